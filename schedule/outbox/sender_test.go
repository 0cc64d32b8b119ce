package outbox_test

import (
	"context"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

type sendCall struct {
	Key  string
	Chat int64
	At   time.Time
	Err  error
}

// fakeTransport records every attempt and answers with scripted errors, per
// key first, then per chat; nil means success.
type fakeTransport struct {
	mu     sync.Mutex
	clock  *storetest.Clock
	calls  []sendCall
	byKey  map[string][]error
	byChat map[int64][]error
	nextID int
	sent   chan string
}

func (f *fakeTransport) Send(_ context.Context, m *store.Message) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var err error
	if q := f.byKey[m.Key]; len(q) > 0 {
		err, f.byKey[m.Key] = q[0], q[1:]
	} else if q := f.byChat[m.ChatID]; len(q) > 0 {
		err, f.byChat[m.ChatID] = q[0], q[1:]
	}
	f.calls = append(f.calls, sendCall{m.Key, m.ChatID, f.clock.Now(), err})
	if err != nil {
		return 0, err
	}
	f.nextID++
	if f.sent != nil {
		f.sent <- m.Key
	}
	return f.nextID, nil
}

// delivered returns the keys accepted, in order, and when.
func (f *fakeTransport) delivered() ([]string, []time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var keys []string
	var ts []time.Time
	for _, c := range f.calls {
		if c.Err == nil {
			keys, ts = append(keys, c.Key), append(ts, c.At)
		}
	}
	return keys, ts
}

func (f *fakeTransport) attempts(key string) []sendCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []sendCall
	for _, c := range f.calls {
		if c.Key == key {
			out = append(out, c)
		}
	}
	return out
}

type harness struct {
	t     *testing.T
	db    *store.DB
	clock *storetest.Clock
	tr    *fakeTransport
	s     *outbox.Sender
}

func newHarness(t *testing.T, l outbox.Limits) *harness {
	t.Helper()
	clock := storetest.NewClock(t0)
	db := storetest.OpenDB(t, store.Options{Now: clock.Now, NoSync: true})
	tr := &fakeTransport{clock: clock, byKey: map[string][]error{}, byChat: map[int64][]error{}}
	h := &harness{t: t, db: db, clock: clock, tr: tr}
	h.s = h.newSender(l)
	return h
}

// newSender is a fresh Sender on the same database: a restart.
func (h *harness) newSender(l outbox.Limits) *outbox.Sender {
	return &outbox.Sender{DB: h.db, Transport: h.tr, Limits: l, Now: h.clock.Now, After: h.clock.After,
		Logger: slog.New(slog.DiscardHandler)}
}

func (h *harness) enqueue(key string, chat int64, notBefore time.Time) {
	h.t.Helper()
	err := h.db.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(&store.Message{Key: key, ChatID: chat, Text: key, NotBefore: notBefore})
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) message(key string) *store.Message {
	h.t.Helper()
	var m *store.Message
	if err := h.db.View(func(tx *store.Tx) (err error) { m, err = tx.Message(key); return err }); err != nil {
		h.t.Fatal(err)
	}
	return m
}

// run steps the sender, jumping the clock to each next attempt, until the
// outbox is empty or the next attempt is after until.
func (h *harness) run(until time.Time) {
	h.t.Helper()
	for range 100000 {
		_, next, err := h.s.Step(context.Background())
		if err != nil {
			h.t.Fatal(err)
		}
		if next.IsZero() || next.After(until) {
			return
		}
		h.clock.Set(next)
	}
	h.t.Fatal("sender did not settle")
}

func (h *harness) drain() {
	h.t.Helper()
	if err := h.s.Drain(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

func wantKeys(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("sent %q\nwant %q", got, want)
	}
}

func TestSender_Order(t *testing.T) {
	h := newHarness(t, outbox.Limits{})
	h.enqueue("c", 1, t0)
	h.enqueue("b", 1, t0)
	h.enqueue("a", 1, t0.Add(time.Minute))
	h.enqueue("z", 1, t0.Add(-time.Minute))
	h.enqueue("later", 1, t0.Add(time.Hour))
	h.drain()
	got, _ := h.tr.delivered()
	wantKeys(t, got, []string{"z", "b", "c"})
	h.run(t0.Add(2 * time.Hour))
	got, _ = h.tr.delivered()
	wantKeys(t, got, []string{"z", "b", "c", "a", "later"})
	if m := h.message("a"); m.State != store.MessageSent || m.SentID != 4 || m.Attempts != 1 {
		t.Errorf("a = %s id %d attempts %d, want sent id 4 attempts 1", m.State, m.SentID, m.Attempts)
	}
}

func TestSender_Idempotent(t *testing.T) {
	h := newHarness(t, outbox.Limits{})
	h.enqueue("rem|1", 1, t0)
	h.enqueue("rem|1", 1, t0)
	h.drain()
	h.enqueue("rem|1", 1, t0) // again after it went out
	h.clock.Add(time.Hour)
	h.drain()
	got, _ := h.tr.delivered()
	wantKeys(t, got, []string{"rem|1"})
}

func sendTimes(calls []sendCall, keep func(sendCall) bool) []time.Time {
	var ts []time.Time
	for _, c := range calls {
		if keep(c) {
			ts = append(ts, c.At)
		}
	}
	return ts
}

func TestSender_Limits(t *testing.T) {
	t.Run("GlobalAndPerChat", func(t *testing.T) {
		h := newHarness(t, outbox.Limits{})
		for i := range 300 {
			h.enqueue(fmt.Sprintf("m%03d", i), int64(1+i%100), t0)
		}
		h.run(t0.Add(time.Hour))
		keys, ts := h.tr.delivered()
		if len(keys) != 300 {
			t.Fatalf("sent %d, want 300", len(keys))
		}
		if got := maxInWindow(ts, time.Second); got > 30 {
			t.Errorf("max sends in any 1 s = %d, want ≤ 30", got)
		}
		for chat := int64(1); chat <= 100; chat++ {
			got := maxInWindow(sendTimes(h.tr.calls, func(c sendCall) bool { return c.Chat == chat }), time.Second)
			if got > 1 {
				t.Fatalf("chat %d: %d sends in 1 s, want ≤ 1", chat, got)
			}
		}
		first9s := 0
		for _, at := range ts {
			if at.Sub(ts[0]) < 9*time.Second {
				first9s++
			}
		}
		if want := 256; first9s < want { // 95 % of 30/s for 9 s
			t.Errorf("sent %d in the first 9 s, want ≥ %d", first9s, want)
		}
	})
	t.Run("Group", func(t *testing.T) {
		h := newHarness(t, outbox.Limits{})
		for i := range 45 {
			h.enqueue(fmt.Sprintf("g%02d", i), -100-int64(i%2), t0)
		}
		h.run(t0.Add(time.Hour))
		for _, g := range []int64{-100, -101} {
			ts := sendTimes(h.tr.calls, func(c sendCall) bool { return c.Chat == g })
			if got := maxInWindow(ts, time.Minute); got > 20 {
				t.Errorf("group %d: %d sends in 60 s, want ≤ 20", g, got)
			}
			if got := maxInWindow(ts, 3*time.Second); got > 1 {
				t.Errorf("group %d: %d sends in 3 s, want ≤ 1", g, got)
			}
		}
		if keys, _ := h.tr.delivered(); len(keys) != 45 {
			t.Errorf("sent %d, want 45", len(keys))
		}
	})
}

func TestSender_Wake(t *testing.T) {
	h := newHarness(t, outbox.Limits{Global: -1, PerChat: -1, PerGroupPerMinute: -1})
	h.s.After = nil // Run waits on Wake, not on the clock
	h.tr.sent = make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- h.s.Run(ctx) }()
	h.enqueue("reply|1", 1, time.Time{})
	h.s.Wake()
	if got := <-h.tr.sent; got != "reply|1" {
		t.Errorf("sent %q, want reply|1", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
}

func TestSender_Restart(t *testing.T) {
	h := newHarness(t, outbox.Limits{})
	for i := range 5 {
		h.enqueue(fmt.Sprintf("m%d", i), 1, t0)
	}
	h.tr.byKey["m2"] = []error{&outbox.RetryAfterError{After: time.Hour}}
	h.run(t0.Add(10 * time.Second)) // m0, m1 sent; m2 got 429; m3, m4 held
	got, _ := h.tr.delivered()
	wantKeys(t, got, []string{"m0", "m1"})

	h.clock.Add(time.Minute)
	h.s = h.newSender(outbox.Limits{}) // restart: in-memory hold is gone
	h.drain()
	if got, _ := h.tr.delivered(); len(got) != 2 {
		t.Fatalf("after restart sent %q before the 429 hold ended", got[2:])
	}
	h.run(t0.Add(2 * time.Hour))
	got, ts := h.tr.delivered()
	wantKeys(t, got, []string{"m0", "m1", "m2", "m3", "m4"})
	if earliest := t0.Add(time.Hour + time.Second); ts[2].Before(earliest) {
		t.Errorf("m2 sent at %v, want ≥ %v", ts[2], earliest)
	}
}
