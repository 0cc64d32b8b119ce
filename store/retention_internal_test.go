package store

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestPrune_OlderValues: a reply link and a staged import written before
// they carried their time still read as before, are stamped by the first
// prune, and expire a retention period after it.
func TestPrune_OlderValues(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "duban.db"), Options{Now: func() time.Time { return now }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bktMsgTask).Put(msgKey(7, 1), []byte("4.1.3\x00reminder")); err != nil {
			return err
		}
		return tx.Bucket(bktStaged).Put([]byte("imp"), []byte(`{"name":"a.csv"}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	prune := func() Pruned {
		t.Helper()
		var p Pruned
		if err := db.Update(func(tx *Tx) (err error) { p, err = tx.Prune(DefaultRetention); return err }); err != nil {
			t.Fatal(err)
		}
		return p
	}
	db.View(func(tx *Tx) error {
		if id, kind := tx.MessageLink(7, 1); id != "4.1.3" || kind != "reminder" {
			t.Errorf("older link reads %q, %q; want 4.1.3, reminder", id, kind)
		}
		return nil
	})
	if p := prune(); p.Links != 0 || p.Staged != 0 {
		t.Errorf("first prune deleted older values %+v; want them stamped", p)
	}
	db.View(func(tx *Tx) error {
		if id, kind := tx.MessageLink(7, 1); id != "4.1.3" || kind != "reminder" {
			t.Errorf("stamped link reads %q, %q", id, kind)
		}
		return nil
	})
	now = now.Add(25 * time.Hour)
	if p := prune(); p.Staged != 1 || p.Links != 0 {
		t.Errorf("a day after the stamp: %+v, want the staged import gone, the link kept", p)
	}
	now = now.Add(90 * 24 * time.Hour)
	if p := prune(); p.Links != 1 {
		t.Errorf("90 days after the stamp: %+v, want the link gone", p)
	}
}
