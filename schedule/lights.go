package schedule

import "github.com/duban-bureau/duban/store"

// Light is the task's 红黄绿灯 on day `on` by 序时进度: the progress a task
// should have if it grew in a straight line from planStart to its
// deadline. Red: overdue, blocked, or more than RedBehind points behind;
// yellow: YellowBehind points behind or more, or due within DueSoonDays;
// green otherwise. Zero thresholds mean DefaultLights.
func (l Lights) Light(t *store.Task, on, planStart store.Date) store.Light {
	if l.RedBehind == 0 {
		l = DefaultLights()
	}
	if t.Status == store.StatusBlocked || t.Overdue(on) {
		return store.LightRed
	}
	if !t.Open() || t.Deadline.IsZero() {
		return store.LightGreen
	}
	if behind, ok := Behind(t, on, planStart); ok {
		switch {
		case behind > l.RedBehind:
			return store.LightRed
		case behind >= l.YellowBehind:
			return store.LightYellow
		}
	}
	if on.DaysUntil(t.Deadline) <= l.DueSoonDays {
		return store.LightYellow
	}
	return store.LightGreen
}

// Behind is how many points t's progress lags 序时进度 on day `on` (negative
// when ahead); ok is false when there is no straight line (no deadline,
// or `on` before the plan start).
func Behind(t *store.Task, on, planStart store.Date) (int, bool) {
	if t.Deadline.IsZero() || planStart.IsZero() || on < planStart {
		return 0, false
	}
	total := planStart.DaysUntil(t.Deadline)
	if total <= 0 {
		return 0, false
	}
	expected := 100 * planStart.DaysUntil(on) / total
	if expected > 100 {
		expected = 100
	}
	return expected - t.Progress, true
}
