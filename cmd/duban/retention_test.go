package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// TestServe_Prunes: duban serve prunes at its first tick: a message
// delivered 20 days before start is gone from the outbox, one delivered
// an hour before is kept whole.
func TestServe_Prunes(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := filepath.Join(t.TempDir(), "duban.db")
	for _, c := range []struct {
		key string
		ago time.Duration
	}{{"old", 20 * 24 * time.Hour}, {"recent", time.Hour}} {
		then := time.Now().Add(-c.ago)
		db, err := store.Open(path, store.Options{Now: func() time.Time { return then }})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *store.Tx) error {
			if _, err := tx.Enqueue(&store.Message{Key: c.key, ChatID: 5, Text: c.key}); err != nil {
				return err
			}
			return tx.MarkSent(c.key, 1)
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	p := serve(t, fake, path, nil)
	p.waitLog("pruned the store", 1, 30*time.Second)
	p.stop(30 * time.Second)
	db := openDB(t, path)
	db.View(func(tx *store.Tx) error {
		if _, err := tx.Message("old"); store.ErrorCode(err) != store.ENOTFOUND {
			t.Errorf("message delivered 20 days ago: %v, want pruned", err)
		}
		if m, err := tx.Message("recent"); err != nil || m.Text != "recent" {
			t.Errorf("message delivered an hour ago: %+v, %v; want it whole", m, err)
		}
		return nil
	})
}
