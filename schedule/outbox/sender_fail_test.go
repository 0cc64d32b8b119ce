package outbox_test

import (
	"errors"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
)

func TestSender_429Chat(t *testing.T) {
	h := newHarness(t, outbox.Limits{})
	var throttled []int64
	h.s.Hooks.On429 = func(chat int64, _ time.Duration, global bool) {
		if global {
			t.Error("chat 429 reported as global")
		}
		throttled = append(throttled, chat)
	}
	h.enqueue("a1", 1, t0)
	h.enqueue("a2", 1, t0)
	h.enqueue("b1", 2, t0)
	h.enqueue("b2", 2, t0)
	h.tr.byKey["a1"] = []error{fmt.Errorf("send: %w", &outbox.RetryAfterError{After: 2 * time.Hour})}
	h.run(t0.Add(time.Hour))
	got, _ := h.tr.delivered()
	wantKeys(t, got, []string{"b1", "b2"})
	if !slices.Equal(throttled, []int64{1}) {
		t.Errorf("On429 chats = %v, want [1]", throttled)
	}
	until := t0.Add(2 * time.Hour)
	a1, a2 := h.message("a1"), h.message("a2")
	if a1.NotBefore.Before(until) || !a2.NotBefore.After(a1.NotBefore) {
		t.Errorf("NotBefore a1 %v, a2 %v; want a1 ≥ %v and a2 after a1", a1.NotBefore, a2.NotBefore, until)
	}
	if a1.Attempts != 1 || !strings.Contains(a1.LastError, "too many requests") {
		t.Errorf("a1 attempts %d, last error %q", a1.Attempts, a1.LastError)
	}
	h.run(t0.Add(3 * time.Hour))
	got, ts := h.tr.delivered()
	wantKeys(t, got, []string{"b1", "b2", "a1", "a2"})
	if ts[2].Before(until) {
		t.Errorf("a1 sent at %v, before the hold ended at %v", ts[2], until)
	}
}

func TestSender_429Global(t *testing.T) {
	h := newHarness(t, outbox.Limits{})
	h.enqueue("a1", 1, t0)
	h.enqueue("b1", 2, t0)
	h.enqueue("c1", 3, t0)
	h.enqueue("d1", 4, t0)
	h.tr.byKey["a1"] = []error{&outbox.RetryAfterError{After: 10 * time.Minute, Global: true}}
	h.run(t0.Add(5 * time.Minute))
	// b1 and c1 left with a1, before its 429 came back (the window's first
	// burst); nothing starts after it until the hold ends.
	got, ts := h.tr.delivered()
	if !slices.Equal(sorted(got), []string{"b1", "c1"}) {
		t.Fatalf("sent %q, want only b1 and c1 (in flight with a1) before the hold ends", got)
	}
	for _, at := range ts {
		if !at.Equal(t0) {
			t.Errorf("a send at %v, inside the global hold", at)
		}
	}
	t.Run("SurvivesRestart", func(t *testing.T) {
		h.s = h.newSender(outbox.Limits{})
		_, next, err := h.s.Step(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if want := t0.Add(10 * time.Minute); next.Before(want) {
			t.Errorf("next = %v, want ≥ %v", next, want)
		}
	})
	h.run(t0.Add(time.Hour))
	got, ts = h.tr.delivered()
	if len(got) != 4 || !slices.Equal(sorted(got[2:]), []string{"a1", "d1"}) {
		t.Errorf("sent %q, want b1, c1, then a1 and d1", got)
	}
	for _, at := range ts[2:] {
		if at.Before(t0.Add(10 * time.Minute)) {
			t.Errorf("send at %v, inside the global hold", at)
		}
	}
}

func TestSender_403(t *testing.T) {
	h := newHarness(t, outbox.Limits{})
	err := h.db.Update(func(tx *store.Tx) error {
		for _, c := range []*store.Contact{
			{UserID: 11, ChatID: 11, Name: "王<五>", Dept: "办公室", Role: store.RoleContact},
			{UserID: 21, ChatID: 21, Name: "协调员甲", Role: store.RoleCoordinator},
			{UserID: 22, ChatID: 22, Name: "协调员乙", Role: store.RoleCoordinator},
		} {
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		return tx.SetSetting("digest_chat", "-100500")
	})
	if err != nil {
		t.Fatal(err)
	}
	var forbidden []int64
	h.s.Hooks.On403 = func(chat int64) { forbidden = append(forbidden, chat) }
	h.enqueue("rem|1", 11, t0)
	h.enqueue("rem|2", 11, t0)
	h.tr.byChat[11] = []error{outbox.ErrForbidden, fmt.Errorf("telegram: %w", outbox.ErrForbidden)}
	h.run(t0.Add(time.Hour))

	for _, k := range []string{"rem|1", "rem|2"} {
		if m := h.message(k); m.State != store.MessageFailed || len(h.tr.attempts(k)) != 1 {
			t.Errorf("%s: state %s after %d attempts, want failed after 1", k, m.State, len(h.tr.attempts(k)))
		}
	}
	var c *store.Contact
	h.db.View(func(tx *store.Tx) (err error) { c, err = tx.Contact(11); return err })
	if !c.Unreachable {
		t.Error("contact not marked unreachable")
	}
	got, _ := h.tr.delivered()
	slices.Sort(got)
	wantKeys(t, got, []string{"unreachable|11|-100500", "unreachable|11|21", "unreachable|11|22"})
	if n := h.message("unreachable|11|21"); !strings.Contains(n.Text, "王&lt;五&gt;（办公室）") || n.Kind != "notice" {
		t.Errorf("notice %s %q does not name the contact", n.Kind, n.Text)
	}
	if !slices.Equal(forbidden, []int64{11, 11}) {
		t.Errorf("On403 = %v, want [11 11]", forbidden)
	}
}

func TestSender_Permanent(t *testing.T) {
	h := newHarness(t, outbox.Limits{})
	var failed []string
	h.s.Hooks.OnFailed = func(m *store.Message, _ error) { failed = append(failed, m.Key) }
	h.enqueue("long", 1, t0)
	h.enqueue("next", 1, t0)
	h.tr.byKey["long"] = []error{&outbox.PermanentError{Code: 400, Description: "Bad Request: message is too long"}}
	h.run(t0.Add(24 * time.Hour))
	if n := len(h.tr.attempts("long")); n != 1 {
		t.Errorf("long attempted %d times, want 1", n)
	}
	m := h.message("long")
	if m.State != store.MessageFailed || !strings.Contains(m.LastError, "message is too long") {
		t.Errorf("long: state %s, last error %q", m.State, m.LastError)
	}
	got, _ := h.tr.delivered()
	wantKeys(t, got, []string{"next"})
	if !slices.Equal(failed, []string{"long"}) {
		t.Errorf("OnFailed = %q, want [long]", failed)
	}
	t.Run("BadTokenIsNotPermanent", func(t *testing.T) {
		h.enqueue("tok", 1, t0)
		h.tr.byKey["tok"] = []error{&outbox.PermanentError{Code: 401, Description: "Unauthorized"}}
		h.run(t0.Add(48 * time.Hour))
		if m := h.message("tok"); m.State != store.MessageSent || m.Attempts != 2 {
			t.Errorf("tok: state %s after %d attempts, want sent after 2", m.State, m.Attempts)
		}
	})
}

func TestSender_Transient(t *testing.T) {
	h := newHarness(t, outbox.Limits{})
	h.enqueue("m", 1, t0)
	h.enqueue("other", 2, t0)
	var errs []error
	for range 12 {
		errs = append(errs, errors.New("connection reset by peer"))
	}
	h.tr.byKey["m"] = errs
	h.run(t0.Add(24 * time.Hour))
	calls := h.tr.attempts("m")
	if len(calls) != 13 || calls[12].Err != nil {
		t.Fatalf("m: %d attempts, want 13 with the last one delivered", len(calls))
	}
	want := time.Second
	for i := 1; i < len(calls); i++ {
		if gap := calls[i].At.Sub(calls[i-1].At); gap < want || gap > want+time.Second {
			t.Errorf("retry %d after %v, want %v", i, gap, want)
		}
		want = min(2*want, 5*time.Minute)
	}
	if m := h.message("m"); m.State != store.MessageSent || m.Attempts != 13 {
		t.Errorf("m: state %s attempts %d, want sent 13", m.State, m.Attempts)
	}
	if got, _ := h.tr.delivered(); got[0] != "other" {
		t.Errorf("sent %q first; a failing message held up another chat", got[0])
	}
}

func TestSender_NotModified(t *testing.T) {
	h := newHarness(t, outbox.Limits{})
	err := h.db.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(&store.Message{Key: "edit|1", ChatID: 1, EditID: 77, Text: "x"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h.enqueue("plain", 1, t0)
	notModified := &outbox.PermanentError{Code: 400, Description: "Bad Request: message is not modified: specified new message content and reply markup are exactly the same"}
	h.tr.byKey["edit|1"] = []error{notModified}
	h.tr.byKey["plain"] = []error{notModified} // not an edit: a real failure
	h.run(t0.Add(time.Hour))
	if m := h.message("edit|1"); m.State != store.MessageSent || m.SentID != 77 {
		t.Errorf("edit: state %s id %d, want sent 77", m.State, m.SentID)
	}
	if m := h.message("plain"); m.State != store.MessageFailed {
		t.Errorf("plain: state %s, want failed", m.State)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
