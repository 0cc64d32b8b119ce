package outbox_test

import (
	"github.com/duban-bureau/duban/schedule/outbox"
	"slices"
	"testing"
	"time"
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

func TestLimiter_PerChat(t *testing.T) {
	for _, tc := range []struct {
		name   string
		limits outbox.Limits
		chat   int64
		gap    time.Duration
	}{
		// The spacing (1 ns more than period/n) plus its 1/40 margin.
		{"Private", outbox.Limits{}, 42, time.Second + 1 + (time.Second+1)/40},
		{"Group", outbox.Limits{}, -100123, 3*time.Second + 1 + (3*time.Second+1)/40},
		{"Configured", outbox.Limits{PerChat: 2, PerGroupPerMinute: 60}, -1, time.Second + 1 + (time.Second+1)/40},
		{"Off", outbox.Limits{Global: -1, PerChat: -1, PerGroupPerMinute: -1}, -1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := outbox.NewLimiter(tc.limits)
			// Pacing runs from the start (a round trip of 300 ms must not
			// cost a chat 30 % of its rate)…
			l.Sent(tc.chat, t0, t0.Add(300*time.Millisecond))
			want := t0.Add(tc.gap)
			if tc.gap == 0 {
				want = t0.Add(300 * time.Millisecond)
			}
			if got := l.Ready(tc.chat); !got.Equal(want) {
				t.Errorf("Ready = %v, want %v", got, want)
			}
			// …and never before the answer: one send per chat at a time.
			l = outbox.NewLimiter(tc.limits)
			l.Sent(tc.chat, t0, t0.Add(5*time.Second))
			if got, want := l.Ready(tc.chat), t0.Add(5*time.Second); !got.Equal(want) {
				t.Errorf("after a 5 s round trip Ready = %v, want %v", got, want)
			}
		})
	}
}

// TestLimiter_GlobalWindow sends to ever new chats for ten seconds, each
// send waking 2 ms late and taking 1 ms, as on a busy machine: the window
// must still be respected and the lateness caught up.
func TestLimiter_GlobalWindow(t *testing.T) {
	l := outbox.NewLimiter(outbox.DefaultLimits())
	now := t0
	var sent []time.Time
	for chat := int64(1); ; chat++ {
		now = latest(now, l.Ready(chat)).Add(2 * time.Millisecond)
		if !now.Before(t0.Add(10 * time.Second)) {
			break
		}
		l.Sent(chat, now, now.Add(time.Millisecond))
		sent = append(sent, now)
		now = now.Add(time.Millisecond)
	}
	if got := maxInWindow(sent, time.Second); got > 30 {
		t.Errorf("max sends in 1 s = %d, want ≤ 30", got)
	}
	if got, want := len(sent), int(0.95*30*10); got < want {
		t.Errorf("sent %d in 10 s, want ≥ %d (95 %% of the limit)", got, want)
	}
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func TestLimiter_GlobalBurst(t *testing.T) {
	l := outbox.NewLimiter(outbox.DefaultLimits())
	var sent []time.Time
	for chat := int64(1); chat <= 6; chat++ {
		at := latest(t0, l.Ready(chat))
		l.Sent(chat, at, at)
		sent = append(sent, at)
	}
	gap := time.Second/30 + 1
	want := []time.Time{t0, t0, t0, t0.Add(gap), t0.Add(2 * gap), t0.Add(3 * gap)}
	if !slices.EqualFunc(sent, want, time.Time.Equal) {
		t.Errorf("sends at %v\nwant %v (a burst of 3, then 1/30 s apart)", sent, want)
	}
}

func TestLimiter_Holds(t *testing.T) {
	l := outbox.NewLimiter(outbox.DefaultLimits())
	l.Sent(1, t0, t0)
	if got, want := l.Ready(1), t0.Add(time.Second+1+(time.Second+1)/40); !got.Equal(want) {
		t.Errorf("Ready(1) = %v, want %v", got, want)
	}
	if got := l.Ready(2); got.After(t0) {
		t.Errorf("Ready(2) = %v, want at once", got)
	}
	t.Run("Chat", func(t *testing.T) {
		l.Hold(2, t0.Add(time.Hour))
		if got, want := l.Ready(2), t0.Add(time.Hour); !got.Equal(want) {
			t.Errorf("Ready(2) = %v, want %v", got, want)
		}
		if got, want := l.Ready(3), t0; got.After(want) {
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

// TestLimiter_SlowRoundTrip: a round trip slower than the recent ones may
// have been slow on the way there, so the chat's next send keeps the
// spacing from where the server may have stamped it.
func TestLimiter_SlowRoundTrip(t *testing.T) {
	l := outbox.NewLimiter(outbox.DefaultLimits())
	for i := range 5 {
		at := t0.Add(time.Duration(i) * 2 * time.Second)
		l.Sent(1, at, at.Add(100*time.Millisecond))
	}
	start := t0.Add(20 * time.Second)
	l.Sent(2, start, start.Add(180*time.Millisecond))
	gap := time.Second + 1 + (time.Second+1)/40
	if got, want := l.Ready(2), start.Add(gap+80*time.Millisecond); !got.Equal(want) {
		t.Errorf("Ready after an 80 ms slower round trip = %v, want %v", got, want)
	}
	l.Sent(3, start, start.Add(100*time.Millisecond))
	if got, want := l.Ready(3), start.Add(gap); !got.Equal(want) {
		t.Errorf("Ready after a usual round trip = %v, want %v", got, want)
	}
}
