package store

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func openInternal(t *testing.T) *DB {
	t.Helper()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "duban.db"), Options{Now: func() time.Time { return now }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestPutTask_UndecodableRecord: PutTask over a stored record that does
// not decode fails with the decode error rather than writing the task
// beside the old record's index entries (it used to drop the error).
func TestPutTask_UndecodableRecord(t *testing.T) {
	db := openInternal(t)
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bktTasks).Put([]byte("1.1.1"), []byte{0x7f, 1, 2, 3})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *Tx) error {
		return tx.PutTask(&Task{ID: "1.1.1", Text: "a", Lead: "甲处", Status: StatusNotStarted})
	})
	if err == nil {
		t.Fatal("PutTask over an undecodable record succeeded")
	}
	if !strings.Contains(err.Error(), "decode task") {
		t.Errorf("PutTask over an undecodable record: %v, want the decode error", err)
	}
}

// TestPutInvite_Unencodable: an invite whose expiry JSON cannot encode
// (year 10000) is refused, not stored as an empty record.
func TestPutInvite_Unencodable(t *testing.T) {
	db := openInternal(t)
	err := db.Update(func(tx *Tx) error {
		return tx.PutInvite("tok", Invite{Dept: "甲处", Role: RoleContact, ExpiresAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	})
	if ErrorCode(err) != EINVALID {
		t.Errorf("PutInvite(year 10000) = %v, want EINVALID", err)
	}
	db.bolt.View(func(tx *bolt.Tx) error {
		if n := tx.Bucket(bktInvites).Stats().KeyN; n != 0 {
			t.Errorf("%d invites stored after the refusal", n)
		}
		return nil
	})
}

// TestPutContact_UndecodableRecord: as PutTask, PutContact over a stored
// contact that does not decode fails instead of leaving its index entries.
func TestPutContact_UndecodableRecord(t *testing.T) {
	db := openInternal(t)
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bktContacts).Put(u64(7), []byte("{not json"))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *Tx) error {
		return tx.PutContact(&Contact{UserID: 7, ChatID: 7, Name: "甲", Dept: "甲处", Role: RoleContact})
	})
	if err == nil {
		t.Fatal("PutContact over an undecodable record succeeded")
	}
}

// TestOutboxDepth_UndecodableMessage: a pending message whose record does
// not decode is counted and named, not skipped (it used to make the queue
// look younger and healthy).
func TestOutboxDepth_UndecodableMessage(t *testing.T) {
	db := openInternal(t)
	err := db.Update(func(tx *Tx) error {
		for _, k := range []string{"a|1", "b|1"} {
			if _, err := tx.Enqueue(&Message{Key: k, ChatID: 1, Kind: KindReply, Text: "x"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bktOutbox).Put([]byte("b|1"), []byte("{not json")) }); err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *Tx) error {
		n, oldest, err := tx.OutboxDepth()
		if n != 2 || oldest.IsZero() {
			t.Errorf("OutboxDepth = %d, %v, want 2 and the good one's time", n, oldest)
		}
		if err == nil || !strings.Contains(err.Error(), "b|1") {
			t.Errorf("OutboxDepth error = %v, want one naming b|1", err)
		}
		return nil
	})
}
