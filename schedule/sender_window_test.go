package schedule_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// heldTransport answers nothing until the test releases each call, so a
// test sees exactly what the sender has in flight.
type heldTransport struct {
	in chan heldCall
	mu sync.Mutex
	id int
}

type heldCall struct {
	m       *store.Message
	release chan error
}

func (h *heldTransport) Send(_ context.Context, m *store.Message) (int, error) {
	c := heldCall{m: m, release: make(chan error)}
	h.in <- c
	if err := <-c.release; err != nil {
		return 0, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.id++
	return h.id, nil
}

func newHeld(t *testing.T, window int) (*harness, *heldTransport) {
	h := newHarness(t, schedule.Limits{Global: -1, PerChat: -1, PerGroupPerMinute: -1})
	ht := &heldTransport{in: make(chan heldCall)}
	h.s.Transport = ht
	h.s.Window = window
	return h, ht
}

// TestSender_Window holds every answer: the sender opens its window one
// message per delivery up to Window and never has more in flight.
func TestSender_Window(t *testing.T) {
	const w, n = 4, 12
	h, ht := newHeld(t, w)
	for i := range n {
		h.enqueue(fmt.Sprintf("m%02d", i), int64(100+i), t0)
	}
	done := make(chan error)
	go func() { _, _, err := h.s.Step(context.Background()); done <- err }()
	var flying []heldCall
	delivered, most := 0, 0
	for delivered < n {
		// Slow start: after k deliveries the window is min(w, k+1).
		want := min(w, delivered+1, n-delivered)
		for len(flying) < want {
			flying = append(flying, <-ht.in)
		}
		most = max(most, len(flying))
		flying[0].release <- nil
		flying = flying[1:]
		delivered++
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if most != w {
		t.Errorf("at most %d in flight, want the window %d reached", most, w)
	}
	if depth := outboxDepth(t, h.db); depth != 0 {
		t.Errorf("%d messages still pending", depth)
	}
}

// TestSender_WindowOneChat: while a chat's message is in flight its next
// one waits, and the free slot goes to another chat instead.
func TestSender_WindowOneChat(t *testing.T) {
	h, ht := newHeld(t, 4)
	for _, k := range []string{"a1", "a2", "a3"} {
		h.enqueue(k, 1, t0)
	}
	h.enqueue("b1", 2, t0)
	done := make(chan error)
	go func() { _, _, err := h.s.Step(context.Background()); done <- err }()
	first := <-ht.in
	if first.m.Key != "a1" {
		t.Fatalf("first send %s, want a1", first.m.Key)
	}
	first.release <- nil // the window opens to 2
	c1, c2 := <-ht.in, <-ht.in
	got := []string{c1.m.Key, c2.m.Key}
	slices.Sort(got)
	if !slices.Equal(got, []string{"a2", "b1"}) {
		t.Errorf("in flight together: %q, want a2 and b1 (never two to chat 1)", got)
	}
	c1.release <- nil
	c2.release <- nil
	last := <-ht.in
	if last.m.Key != "a3" {
		t.Errorf("last send %s, want a3", last.m.Key)
	}
	last.release <- nil
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestSender_CleanShutdown cancels Run while a window of messages is in
// flight: Run waits for their answers and records them, so a restart sends
// none of them again.
func TestSender_CleanShutdown(t *testing.T) {
	h, ht := newHeld(t, 2)
	h.s.After = nil
	h.enqueue("a", 1, t0)
	h.enqueue("b", 2, t0)
	h.enqueue("c", 3, t0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- h.s.Run(ctx) }()
	(<-ht.in).release <- nil // a; the window opens to 2
	b, c := <-ht.in, <-ht.in
	cancel()
	b.release <- nil
	c.release <- nil
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b", "c"} {
		if m := h.message(k); m.State != store.MessageSent {
			t.Errorf("%s: %s after a clean shutdown, want sent", k, m.State)
		}
	}
}

func outboxDepth(t *testing.T, db *store.DB) int {
	t.Helper()
	n := 0
	db.View(func(tx *store.Tx) error { n, _ = tx.OutboxDepth(); return nil })
	return n
}
