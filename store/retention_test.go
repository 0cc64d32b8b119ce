package store_test

import (
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
)

const day = 24 * time.Hour

func prune(t *testing.T, db *store.DB) store.Pruned {
	t.Helper()
	var p store.Pruned
	mustUpdate(t, db, func(tx *store.Tx) (err error) { p, err = tx.Prune(store.DefaultRetention); return err })
	return p
}

func TestTx_Prune(t *testing.T) {
	t.Run("Outbox", func(t *testing.T) {
		db, clk := MustOpenClockDB(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			for _, k := range []string{"sent", "failed", "pending"} {
				if _, err := tx.Enqueue(&store.Message{Key: k, ChatID: 7, TaskID: "1.1.1", Kind: "reminder"}); err != nil {
					return err
				}
			}
			if err := tx.MarkSent("sent", 11); err != nil {
				return err
			}
			m, err := tx.Message("failed")
			if err != nil {
				return err
			}
			m.State = store.MessageFailed
			return tx.UpdateMessage(m)
		})
		// A message created at t0 but held back (429) and delivered 20
		// days later counts from its delivery, not its creation.
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.Enqueue(&store.Message{Key: "late", ChatID: 8, NotBefore: t0.Add(20 * day)})
			return err
		})
		clk.Add(20 * day)
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.MarkSent("late", 12) })

		// Settled 20 days ago (past Outbox, 14 days): sent and failed go;
		// late settled now and stays whole.
		clk.Add(time.Minute)
		if p := prune(t, db); p.Messages != 2 || p.Bodies != 0 {
			t.Errorf("Prune after 20 days = %+v, want 2 messages (sent, failed), no bodies", p)
		}
		mustView(t, db, func(tx *store.Tx) error {
			for k, want := range map[string]bool{"sent": false, "failed": false, "pending": true, "late": true} {
				_, err := tx.Message(k)
				if got := err == nil; got != want {
					t.Errorf("Message(%q) kept = %v, want %v (err %v)", k, got, want, err)
				}
			}
			if got := tx.TaskOfMessage(7, 11); got != "1.1.1" {
				t.Errorf("link of a pruned message = %q, want 1.1.1 (links have their own, longer retention)", got)
			}
			return nil
		})

		// A day after it settled, late keeps only its key: a second
		// Enqueue under it is still refused, and Pending never sees it.
		clk.Add(day)
		if p := prune(t, db); p.Messages != 0 || p.Bodies != 1 {
			t.Errorf("Prune a day later = %+v, want the body of late only", p)
		}
		mustUpdate(t, db, func(tx *store.Tx) error {
			m, err := tx.Message("late")
			if err != nil || m.Text != "" || m.State != store.MessageSent || m.Key != "late" || m.ChatID != 8 || m.SentID != 12 {
				t.Errorf("late after its body went = %+v, %v; want a sent stub of chat 8, message 12", m, err)
			}
			added, err := tx.Enqueue(&store.Message{Key: "late", ChatID: 8, Text: "again"})
			if added || err != nil {
				t.Errorf("Enqueue(late) on a stub = %v, %v; want refused (the key is taken)", added, err)
			}
			return nil
		})
		if p := prune(t, db); p.Bodies != 0 || p.Messages != 0 {
			t.Errorf("a stub was pruned again: %+v", p)
		}
		clk.Add(13 * day)
		if p := prune(t, db); p.Messages != 1 {
			t.Errorf("Prune 14 days after late settled = %+v, want it gone", p)
		}
	})

	t.Run("Links", func(t *testing.T) {
		db, clk := MustOpenClockDB(t)
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.LinkMessage(7, 1, "1.1.1", "reminder") })
		clk.Add(60 * day)
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.LinkMessage(7, 2, "1.1.2", "prompt") })
		clk.Add(30*day + time.Minute) // first link 90 days old, second 30
		if p := prune(t, db); p.Links != 1 {
			t.Errorf("Prune = %d links, want 1", p.Links)
		}
		mustView(t, db, func(tx *store.Tx) error {
			if got := tx.TaskOfMessage(7, 1); got != "" {
				t.Errorf("90-day-old link still finds %q", got)
			}
			if id, kind := tx.MessageLink(7, 2); id != "1.1.2" || kind != "prompt" {
				t.Errorf("MessageLink(7, 2) = %q, %q; want 1.1.2, prompt", id, kind)
			}
			return nil
		})
	})

	t.Run("Staged", func(t *testing.T) {
		db, clk := MustOpenClockDB(t)
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.Stage("old", []byte(`{"name":"a.csv"}`)) })
		clk.Add(23 * time.Hour)
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.Stage("new", []byte(`{"name":"b.csv"}`)) })
		clk.Add(time.Hour + time.Second)
		if p := prune(t, db); p.Staged != 1 {
			t.Errorf("Prune = %d staged, want 1 (the one staged 24 h ago)", p.Staged)
		}
		mustUpdate(t, db, func(tx *store.Tx) error {
			if v, err := tx.Staged("old"); v != nil || err != nil {
				t.Errorf("Staged(old) after 24 h = %q, %v; want nil", v, err)
			}
			v, err := tx.Staged("new")
			if string(v) != `{"name":"b.csv"}` || err != nil {
				t.Errorf("Staged(new) = %q, %v; want the staged bytes unchanged", v, err)
			}
			return nil
		})
	})

	t.Run("Updates", func(t *testing.T) {
		db, clk := MustOpenClockDB(t)
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.MarkUpdate(100) })
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.MarkUpdate(101) })
		clk.Add(6 * day)
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.MarkUpdate(102) })
		clk.Add(day + time.Second)
		if p := prune(t, db); p.Updates != 2 {
			t.Errorf("Prune = %d updates, want 2 (100, 101 handled 7 days ago)", p.Updates)
		}
		mustView(t, db, func(tx *store.Tx) error {
			for id, want := range map[int64]bool{100: false, 101: false, 102: true} {
				if got := tx.SeenUpdate(id); got != want {
					t.Errorf("SeenUpdate(%d) = %v, want %v", id, got, want)
				}
			}
			return nil
		})
		// The newest handled ID stays however old it is.
		clk.Add(30 * day)
		prune(t, db)
		mustView(t, db, func(tx *store.Tx) error {
			if !tx.SeenUpdate(102) {
				t.Errorf("the newest handled update was pruned")
			}
			return nil
		})
	})
}
