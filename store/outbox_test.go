package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

func TestTx_Enqueue(t *testing.T) {
	t.Run("IdempotentByKey", func(t *testing.T) {
		db := MustOpenDB(t)
		first := &store.Message{Key: "rem|4.1.3|before7", ChatID: 7, Kind: "reminder", TaskID: "4.1.3", Text: "第一次"}
		mustUpdate(t, db, func(tx *store.Tx) error {
			added, err := tx.Enqueue(first)
			if !added {
				t.Errorf("first Enqueue = false, want true")
			}
			return err
		})
		mustUpdate(t, db, func(tx *store.Tx) error {
			added, err := tx.Enqueue(&store.Message{Key: "rem|4.1.3|before7", ChatID: 8, Text: "第二次", NotBefore: t0.Add(-time.Hour)})
			if added {
				t.Errorf("second Enqueue = true, want false")
			}
			return err
		})
		mustView(t, db, func(tx *store.Tx) error {
			m, err := tx.Message("rem|4.1.3|before7")
			if err != nil {
				return err
			}
			if m.Text != "第一次" || m.ChatID != 7 || m.State != store.MessagePending ||
				!m.Created.Equal(t0) || !m.NotBefore.Equal(t0) {
				t.Errorf("Message = %+v, want the first, pending, created and not before %v", m, t0)
			}
			if n, _, _ := tx.OutboxDepth(); n != 1 {
				t.Errorf("OutboxDepth = %d, want 1", n)
			}
			return nil
		})
	})

	t.Run("EINVALID", func(t *testing.T) {
		db := MustOpenDB(t)
		for _, m := range []*store.Message{{ChatID: 7}, {Key: "k"}} {
			err := db.Update(func(tx *store.Tx) error { _, err := tx.Enqueue(m); return err })
			if got, want := store.ErrorCode(err), store.EINVALID; got != want {
				t.Errorf("Enqueue(%+v): code %q, want %q", m, got, want)
			}
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		mustView(t, db, func(tx *store.Tx) error {
			if _, err := tx.Message("nope"); store.ErrorCode(err) != store.ENOTFOUND {
				t.Errorf("Message(nope): %v, want ENOTFOUND", err)
			}
			return nil
		})
	})
}

// enqueueAll enqueues three messages whose NotBefore order differs from
// their key and creation order.
func enqueueAll(t *testing.T, db *store.DB, clk *storetest.Clock) {
	t.Helper()
	for _, m := range []*store.Message{
		{Key: "a", ChatID: 7, TaskID: "1.1.1", NotBefore: t0.Add(2 * time.Minute)},
		{Key: "b", ChatID: 7, TaskID: "1.1.2", Kind: "reminder"},
		{Key: "c", ChatID: 8, NotBefore: t0.Add(time.Minute)},
	} {
		mustUpdate(t, db, func(tx *store.Tx) error { _, err := tx.Enqueue(m); return err })
		clk.Add(time.Second)
	}
}

func pendingKeys(t *testing.T, db *store.DB, limit int) []string {
	t.Helper()
	var keys []string
	mustView(t, db, func(tx *store.Tx) error {
		ms, err := tx.Pending(limit)
		for _, m := range ms {
			keys = append(keys, m.Key)
		}
		return err
	})
	return keys
}

func TestTx_Pending(t *testing.T) {
	db, clk := MustOpenClockDB(t)
	enqueueAll(t, db, clk)
	if got, want := pendingKeys(t, db, 10), []string{"b", "c", "a"}; !slices.Equal(got, want) {
		t.Errorf("Pending = %q, want %q (by NotBefore)", got, want)
	}
	if got, want := pendingKeys(t, db, 2), []string{"b", "c"}; !slices.Equal(got, want) {
		t.Errorf("Pending(2) = %q, want %q", got, want)
	}
	t.Run("BackOffReorders", func(t *testing.T) {
		mustUpdate(t, db, func(tx *store.Tx) error {
			m, _ := tx.Message("b")
			m.Attempts++
			m.LastError = "429 Too Many Requests"
			m.NotBefore = t0.Add(time.Hour)
			return tx.UpdateMessage(m)
		})
		if got, want := pendingKeys(t, db, 10), []string{"c", "a", "b"}; !slices.Equal(got, want) {
			t.Errorf("Pending = %q, want %q", got, want)
		}
	})
	t.Run("OutboxDepth", func(t *testing.T) {
		mustView(t, db, func(tx *store.Tx) error {
			n, oldest, _ := tx.OutboxDepth()
			if n != 3 || !oldest.Equal(t0) {
				t.Errorf("OutboxDepth = %d, %v, want 3, %v", n, oldest, t0)
			}
			return nil
		})
	})
}

func TestTx_MarkSent(t *testing.T) {
	db, clk := MustOpenClockDB(t)
	enqueueAll(t, db, clk)
	mustUpdate(t, db, func(tx *store.Tx) error { return tx.MarkSent("b", 555) })

	t.Run("LeavesPending", func(t *testing.T) {
		if got, want := pendingKeys(t, db, 10), []string{"c", "a"}; !slices.Equal(got, want) {
			t.Errorf("Pending = %q, want %q", got, want)
		}
		mustView(t, db, func(tx *store.Tx) error {
			n, oldest, _ := tx.OutboxDepth()
			if want := t0; n != 2 || !oldest.Equal(want) {
				t.Errorf("OutboxDepth = %d, %v, want 2, %v", n, oldest, want)
			}
			m, err := tx.Message("b")
			if err == nil && (m.State != store.MessageSent || m.SentID != 555 || m.Attempts != 1 || !m.SentAt.Equal(clk.Now())) {
				t.Errorf("Message(b) = %+v, want sent as 555 at %v after 1 attempt", m, clk.Now())
			}
			return err
		})
	})

	t.Run("TaskOfMessage", func(t *testing.T) {
		mustView(t, db, func(tx *store.Tx) error {
			if got, want := tx.TaskOfMessage(7, 555), "1.1.2"; got != want {
				t.Errorf("TaskOfMessage(7, 555) = %q, want %q", got, want)
			}
			if id, kind := tx.MessageLink(7, 555); id != "1.1.2" || kind != "reminder" {
				t.Errorf("MessageLink(7, 555) = %q, %q, want 1.1.2, reminder", id, kind)
			}
			if got := tx.TaskOfMessage(8, 555); got != "" {
				t.Errorf("TaskOfMessage(8, 555) = %q, want empty (other chat)", got)
			}
			return nil
		})
	})

	t.Run("NoTaskNoLink", func(t *testing.T) {
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.MarkSent("c", 556) })
		mustView(t, db, func(tx *store.Tx) error {
			if got := tx.TaskOfMessage(8, 556); got != "" {
				t.Errorf("TaskOfMessage(8, 556) = %q, want empty", got)
			}
			return nil
		})
	})

	t.Run("Failed", func(t *testing.T) {
		mustUpdate(t, db, func(tx *store.Tx) error {
			m, _ := tx.Message("a")
			m.State, m.LastError = store.MessageFailed, "403 Forbidden"
			return tx.UpdateMessage(m)
		})
		if got := pendingKeys(t, db, 10); len(got) != 0 {
			t.Errorf("Pending = %q, want none", got)
		}
		mustView(t, db, func(tx *store.Tx) error {
			if n, oldest, _ := tx.OutboxDepth(); n != 0 || !oldest.IsZero() {
				t.Errorf("OutboxDepth = %d, %v, want 0, zero", n, oldest)
			}
			return nil
		})
	})

	t.Run("LinkMessage", func(t *testing.T) {
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.LinkMessage(7, 600, "4.1.3", "ask_reason") })
		mustView(t, db, func(tx *store.Tx) error {
			if got, want := tx.TaskOfMessage(7, 600), "4.1.3"; got != want {
				t.Errorf("TaskOfMessage(7, 600) = %q, want %q", got, want)
			}
			if id, kind := tx.MessageLink(7, 600); id != "4.1.3" || kind != "ask_reason" {
				t.Errorf("MessageLink(7, 600) = %q, %q, want 4.1.3, ask_reason", id, kind)
			}
			return nil
		})
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		err := db.Update(func(tx *store.Tx) error { return tx.MarkSent("zzz", 1) })
		if got, want := store.ErrorCode(err), store.ENOTFOUND; got != want {
			t.Errorf("MarkSent(unknown): code %q, want %q", got, want)
		}
	})
}

func TestTx_PruneOutbox(t *testing.T) {
	db, clk := MustOpenClockDB(t)
	enqueueAll(t, db, clk) // a, b, c created at t0, t0+1s, t0+2s; a not before t0+2m, c t0+1m
	mustUpdate(t, db, func(tx *store.Tx) error { return tx.MarkSent("a", 1) })
	clk.Add(time.Hour)
	mustUpdate(t, db, func(tx *store.Tx) error { return tx.MarkSent("c", 2) }) // settled at t0+1h3s
	outboxOnly := store.Retention{Outbox: 30 * 24 * time.Hour}
	var p store.Pruned
	clk.Add(30*24*time.Hour - time.Hour + 3*time.Minute) // t0+30d+3m: a settled (t0+2m) more than 30 days ago
	mustUpdate(t, db, func(tx *store.Tx) (err error) { p, err = tx.Prune(outboxOnly); return err })
	if p.Messages != 1 {
		t.Errorf("Prune = %d messages, want 1 (a: sent and old)", p.Messages)
	}
	clk.Add(time.Hour)
	mustUpdate(t, db, func(tx *store.Tx) (err error) { p, err = tx.Prune(outboxOnly); return err })
	if p.Messages != 1 {
		t.Errorf("Prune = %d messages, want 1 (c; b is pending)", p.Messages)
	}
	mustView(t, db, func(tx *store.Tx) error {
		if _, err := tx.Message("b"); err != nil {
			t.Errorf("pending message pruned: %v", err)
		}
		for _, k := range []string{"a", "c"} {
			if _, err := tx.Message(k); store.ErrorCode(err) != store.ENOTFOUND {
				t.Errorf("Message(%s) after prune: %v, want ENOTFOUND", k, err)
			}
		}
		if got, want := tx.TaskOfMessage(7, 1), "1.1.1"; got != want {
			t.Errorf("TaskOfMessage after prune = %q, want %q (replies still find the task)", got, want)
		}
		return nil
	})
	if got, want := pendingKeys(t, db, 10), []string{"b"}; !slices.Equal(got, want) {
		t.Errorf("Pending = %q, want %q", got, want)
	}
}

func TestTx_SeenUpdate(t *testing.T) {
	db := MustOpenDB(t)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, id := range []int64{100, 101, 105, 300} {
			if err := tx.MarkUpdate(id); err != nil {
				return err
			}
		}
		return nil
	})
	seen := func() []int64 {
		var out []int64
		mustView(t, db, func(tx *store.Tx) error {
			for _, id := range []int64{99, 100, 101, 102, 105, 300, 301} {
				if tx.SeenUpdate(id) {
					out = append(out, id)
				}
			}
			return nil
		})
		return out
	}
	if got, want := seen(), []int64{100, 101, 105, 300}; !slices.Equal(got, want) {
		t.Errorf("seen = %v, want %v", got, want)
	}
	t.Run("PruneUpdates", func(t *testing.T) {
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.PruneUpdates(105) })
		if got, want := seen(), []int64{105, 300}; !slices.Equal(got, want) {
			t.Errorf("seen after PruneUpdates(105) = %v, want %v", got, want)
		}
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.PruneUpdates(1000) })
		if got := seen(); len(got) != 0 {
			t.Errorf("seen after PruneUpdates(1000) = %v, want none", got)
		}
	})
}

func TestTx_Staged(t *testing.T) {
	db := MustOpenDB(t)
	mustUpdate(t, db, func(tx *store.Tx) error { return tx.Stage("imp1", []byte(`{"rows":3}`)) })
	take := func() []byte {
		var v []byte
		mustUpdate(t, db, func(tx *store.Tx) (err error) { v, err = tx.Staged("imp1"); return err })
		return v
	}
	if got, want := string(take()), `{"rows":3}`; got != want {
		t.Errorf("first Staged = %q, want %q", got, want)
	}
	if got := take(); got != nil {
		t.Errorf("second Staged = %q, want nil (single use)", got)
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		if v, err := tx.Staged("never"); v != nil || err != nil {
			t.Errorf("Staged(never) = %q, %v, want nil, nil", v, err)
		}
		return nil
	})
}

func TestTx_JobState(t *testing.T) {
	db := MustOpenDB(t)
	mustView(t, db, func(tx *store.Tx) error {
		if got := tx.JobState("digest"); got != nil {
			t.Errorf("JobState(unset) = %q, want nil", got)
		}
		return nil
	})
	mustUpdate(t, db, func(tx *store.Tx) error { return tx.SetJobState("digest", []byte("2021-06-21T09:00:00+08:00")) })
	var v []byte
	mustView(t, db, func(tx *store.Tx) error { v = tx.JobState("digest"); return nil })
	// The value was copied out of the transaction, so it is still valid here.
	if got, want := string(v), "2021-06-21T09:00:00+08:00"; got != want {
		t.Errorf("JobState = %q, want %q", got, want)
	}
}

// TestTx_PruneUpdates_NegativeBound: early in a bot's life the bound
// (offset minus a margin) is negative; nothing may be forgotten then.
func TestTx_PruneUpdates_NegativeBound(t *testing.T) {
	db := MustOpenDB(t)
	db.Update(func(tx *store.Tx) error {
		for _, id := range []int64{1, 5, 9000} {
			tx.MarkUpdate(id)
		}
		return tx.PruneUpdates(9001 - 10000)
	})
	db.View(func(tx *store.Tx) error {
		for _, id := range []int64{1, 5, 9000} {
			if !tx.SeenUpdate(id) {
				t.Errorf("update %d forgotten by a negative prune bound", id)
			}
		}
		return nil
	})
}
