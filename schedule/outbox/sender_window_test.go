package outbox_test

import (
	"context"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"slices"
	"sync"
	"testing"
	"time"

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
	h := newHarness(t, outbox.Limits{Global: -1, PerChat: -1, PerGroupPerMinute: -1})
	ht := &heldTransport{in: make(chan heldCall)}
	h.s.Transport = ht
	h.s.Window = window
	return h, ht
}

// TestSender_Window holds every answer: the sender starts with three in
// flight, opens its window one message per delivery up to Window and never
// has more in flight.
func TestSender_Window(t *testing.T) {
	const w, n = 6, 16
	h, ht := newHeld(t, w)
	for i := range n {
		h.enqueue(fmt.Sprintf("m%02d", i), int64(100+i), t0)
	}
	done := make(chan error)
	go func() { _, _, err := h.s.Step(context.Background()); done <- err }()
	var flying []heldCall
	delivered, most := 0, 0
	for delivered < n {
		// After k deliveries the window is min(w, 3+k).
		want := min(w, delivered+3, n-delivered)
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
	h, ht := newHeld(t, 6)
	for _, k := range []string{"a1", "a2", "a3"} {
		h.enqueue(k, 1, t0)
	}
	h.enqueue("b1", 2, t0)
	h.enqueue("c1", 3, t0)
	h.enqueue("d1", 4, t0)
	done := make(chan error)
	go func() { _, _, err := h.s.Step(context.Background()); done <- err }()
	recv := func(n int) map[string]heldCall {
		got := map[string]heldCall{}
		for range n {
			c := <-ht.in
			got[c.m.Key] = c
		}
		return got
	}
	keys := func(m map[string]heldCall) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		return sorted(ks)
	}
	first := recv(3) // the first window: three
	if got := keys(first); !slices.Equal(got, []string{"a1", "b1", "c1"}) {
		t.Fatalf("first window %q, want a1, b1, c1 (never two to chat 1)", got)
	}
	first["a1"].release <- nil // the window opens to 4: two free slots
	second := recv(2)
	if got := keys(second); !slices.Equal(got, []string{"a2", "d1"}) {
		t.Errorf("then %q, want a2 and d1", got)
	}
	for _, c := range []heldCall{first["b1"], first["c1"], second["a2"], second["d1"]} {
		c.release <- nil
	}
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
// flight: Run waits for their answers and records them, and starts nothing
// new, so a restart sends none of them again.
func TestSender_CleanShutdown(t *testing.T) {
	h, ht := newHeld(t, 2)
	h.s.After = nil
	h.enqueue("a", 1, t0)
	h.enqueue("b", 2, t0)
	h.enqueue("c", 3, t0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- h.s.Run(ctx) }()
	a, b := <-ht.in, <-ht.in
	cancel()
	a.release <- nil
	b.release <- nil
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]store.MessageState{a.m.Key: store.MessageSent, b.m.Key: store.MessageSent, "c": store.MessagePending} {
		if m := h.message(k); m.State != want {
			t.Errorf("%s: %s after a clean shutdown, want %s", k, m.State, want)
		}
	}
}

func outboxDepth(t *testing.T, db *store.DB) int {
	t.Helper()
	n := 0
	db.View(func(tx *store.Tx) error { n, _, _ = tx.OutboxDepth(); return nil })
	return n
}

// TestSender_RepliesFirst: a user's reply queued behind a burst of the
// schedule's reminders goes out with the next free slot, not after them.
func TestSender_RepliesFirst(t *testing.T) {
	h := newHarness(t, outbox.Limits{})
	err := h.db.Update(func(tx *store.Tx) error {
		for i := range 60 {
			_, err := tx.Enqueue(&store.Message{Key: fmt.Sprintf("before7|%02d", i), ChatID: int64(100 + i),
				Kind: store.KindReminder, Text: "提醒", DueAt: t0, NotBefore: t0})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.s.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	burst, _ := h.tr.delivered()
	h.clock.Add(time.Millisecond)
	h.enqueue("r|1|7|1|0", 7, time.Time{}) // a reply, after the reminders
	h.run(t0.Add(time.Minute))
	got, _ := h.tr.delivered()
	if len(got) != 61 || got[len(burst)] != "r|1|7|1|0" {
		t.Errorf("the reply went out as send %d of %d, want %d (right after the first burst)", slices.Index(got, "r|1|7|1|0")+1, len(got), len(burst)+1)
	}
}
