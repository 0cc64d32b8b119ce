package schedule_test

import (
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
)

var t0 = time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)

// maxInWindow returns the most sends that fall in one closed window of
// length w (both ends counted: the strictest server).
func maxInWindow(ts []time.Time, w time.Duration) int {
	best := 0
	for i := range ts {
		n := 0
		for j := i; j < len(ts) && ts[j].Sub(ts[i]) <= w; j++ {
			n++
		}
		best = max(best, n)
	}
	return best
}

func TestLimiter_Spacing(t *testing.T) {
	l := schedule.NewLimiter(schedule.Limits{})
	for _, tc := range []struct {
		chat          int64
		chat1, global time.Duration
	}{
		{42, time.Second + 1, time.Second/30 + 1},
		{-100123, 3*time.Second + 1, time.Second/30 + 1},
	} {
		c, g := l.Spacing(tc.chat)
		if c != tc.chat1 || g != tc.global {
			t.Errorf("Spacing(%d) = %v, %v; want %v, %v", tc.chat, c, g, tc.chat1, tc.global)
		}
	}
	off := schedule.NewLimiter(schedule.Limits{Global: -1, PerChat: -1, PerGroupPerMinute: -1})
	if c, g := off.Spacing(-1); c != 0 || g != 0 {
		t.Errorf("disabled limits: Spacing = %v, %v; want 0, 0", c, g)
	}
}

func TestLimiter_GlobalWindow(t *testing.T) {
	l := schedule.NewLimiter(schedule.DefaultLimits())
	now := t0
	var sent []time.Time
	for chat := int64(1); len(sent) < 300; chat++ {
		if r := l.Ready(chat); r.After(now) {
			now = r
		}
		l.Sent(chat, now)
		sent = append(sent, now)
	}
	if got := maxInWindow(sent, time.Second); got > 30 {
		t.Errorf("max sends in 1 s = %d, want ≤ 30", got)
	}
	rate := float64(len(sent)-1) / sent[len(sent)-1].Sub(sent[0]).Seconds()
	if rate < 0.95*30 {
		t.Errorf("achieved %.2f msgs/s, want ≥ 28.5", rate)
	}
}

func TestLimiter_Holds(t *testing.T) {
	l := schedule.NewLimiter(schedule.DefaultLimits())
	l.Sent(1, t0)
	if got, want := l.Ready(1), t0.Add(time.Second+1); !got.Equal(want) {
		t.Errorf("Ready(1) = %v, want %v", got, want)
	}
	if got, want := l.Ready(2), t0.Add(time.Second/30+1); !got.Equal(want) {
		t.Errorf("Ready(2) = %v, want %v", got, want)
	}
	t.Run("Chat", func(t *testing.T) {
		l.Hold(2, t0.Add(time.Hour))
		if got, want := l.Ready(2), t0.Add(time.Hour); !got.Equal(want) {
			t.Errorf("Ready(2) = %v, want %v", got, want)
		}
		if got, want := l.Ready(3), t0.Add(time.Second/30+1); !got.Equal(want) {
			t.Errorf("Ready(3) = %v, want %v (another chat's hold leaked)", got, want)
		}
	})
	t.Run("All", func(t *testing.T) {
		l.HoldAll(t0.Add(time.Minute))
		l.HoldAll(t0.Add(time.Second)) // an earlier hold never shortens
		if got, want := l.Ready(3), t0.Add(time.Minute); !got.Equal(want) {
			t.Errorf("Ready(3) = %v, want %v", got, want)
		}
		if got, want := l.HeldAll(), t0.Add(time.Minute); !got.Equal(want) {
			t.Errorf("HeldAll = %v, want %v", got, want)
		}
	})
}
