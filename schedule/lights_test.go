package schedule_test

import (
	"strings"
	"testing"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

func TestLights_SequentialProgress(t *testing.T) {
	start, deadline := day(t, "2026-01-01"), day(t, "2026-12-31")
	mid := day(t, "2026-07-02") // 182 of 364 days: 序时进度 50%
	for _, tc := range []struct {
		name     string
		progress int
		status   store.Status
		on       store.Date
		want     store.Light
	}{
		{"OnTheLine", 50, store.StatusInProgress, mid, store.LightGreen},
		{"9Behind", 41, store.StatusInProgress, mid, store.LightGreen},
		{"10Behind", 40, store.StatusInProgress, mid, store.LightYellow},
		{"30Behind", 20, store.StatusInProgress, mid, store.LightYellow},
		{"31Behind", 19, store.StatusInProgress, mid, store.LightRed},
		{"Blocked", 90, store.StatusBlocked, mid, store.LightRed},
		{"Overdue", 99, store.StatusInProgress, day(t, "2027-01-04"), store.LightRed},
		{"DueSoon", 100, store.StatusInProgress, day(t, "2026-12-28"), store.LightYellow},
		{"Done", 0, store.StatusDone, day(t, "2027-01-04"), store.LightGreen},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task := &store.Task{ID: "1.1.1", Deadline: deadline, Progress: tc.progress, Status: tc.status}
			if got := schedule.DefaultLights().Light(task, tc.on, start); got != tc.want {
				t.Errorf("light = %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("PolicyThresholds", func(t *testing.T) {
		l := schedule.Lights{YellowBehind: 5, RedBehind: 15, DueSoonDays: 0}
		task := &store.Task{ID: "1.1.1", Deadline: deadline, Progress: 40, Status: store.StatusInProgress}
		if got := l.Light(task, mid, start); got != store.LightYellow {
			t.Errorf("10 behind with 5/15: %s, want yellow", got)
		}
		task.Progress = 30
		if got := l.Light(task, mid, start); got != store.LightRed {
			t.Errorf("20 behind with 5/15: %s, want red", got)
		}
		p, err := schedule.LoadPolicy(stringsReader(`{"light_yellow_behind_points": 5, "light_red_behind_points": 15}`))
		if err != nil || p.Lights.YellowBehind != 5 || p.Lights.RedBehind != 15 {
			t.Errorf("LoadPolicy lights = %+v, %v", p.Lights, err)
		}
		if _, err := schedule.LoadPolicy(stringsReader(`{"light_yellow_behind_points": 30, "light_red_behind_points": 10}`)); err == nil {
			t.Errorf("red threshold below yellow accepted")
		}
	})
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
