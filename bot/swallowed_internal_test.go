package bot

import (
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/duban-bureau/duban/store"
)

// TestHandle_UnreadableContact: a user whose registration does not read
// fails as an internal error (logged, apologised, not marked handled), not
// as a stranger told to register (roleOf used to drop the read error).
func TestHandle_UnreadableContact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "duban.db")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	open := func() *store.DB {
		db, err := store.Open(path, store.Options{Now: func() time.Time { return now }, NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open()
	if err := db.Update(func(tx *store.Tx) error {
		if err := tx.AddDepartment("甲处"); err != nil {
			return err
		}
		c := &store.Contact{UserID: 42, ChatID: 42, Name: "甲", Role: store.RoleContact}
		c.AddDept("甲处")
		return tx.PutContact(c)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := binary.BigEndian.AppendUint64(nil, 42)
	if err := b.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("contacts")).Put(key, []byte("{broken")) }); err != nil {
		t.Fatal(err)
	}
	b.Close()
	db = open()
	defer db.Close()

	a := &App{DB: db, Lang: "zh", Loc: time.UTC, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	res := a.Handle(context.Background(), Request{UpdateID: 7, UserID: 42, ChatID: 42, MessageID: 1, Text: "/my"})
	if res.Outcome != "error" {
		t.Errorf("outcome %q, want error", res.Outcome)
	}
	db.View(func(tx *store.Tx) error {
		if tx.SeenUpdate(7) {
			t.Errorf("the update was marked handled")
		}
		if _, err := tx.Message(replyKey(Request{UpdateID: 7, ChatID: 42, MessageID: 1}, 0, now)); err == nil {
			t.Errorf("a reply (as to a stranger) was queued")
		}
		return nil
	})
}
