package store_test

import (
	"os"
	"testing"

	"github.com/duban-bureau/duban/store"
)

// TestSentLog_SurvivesKill: deliveries recorded but never flushed (the
// process was killed) are marked sent when the log is opened again; a torn
// last line is ignored.
func TestSentLog_SurvivesKill(t *testing.T) {
	db := MustOpenDB(t)
	db.Update(func(tx *store.Tx) error {
		for _, k := range []string{"a", "b|x\ty", "c"} {
			if _, err := tx.Enqueue(&store.Message{Key: k, ChatID: 1, Text: k, TaskID: "4.1.3"}); err != nil {
				return err
			}
		}
		return nil
	})
	l, err := store.OpenSentLog(db)
	if err != nil {
		t.Fatal(err)
	}
	l.Record("a", 11)
	l.Record("b|x\ty", 12)
	if !l.Sent("a") || l.Sent("c") || l.Len() != 2 {
		t.Errorf("Sent/Len wrong before flush")
	}
	// Killed here: no Flush, no Close. A torn line follows.
	f, _ := os.OpenFile(db.Path+".sent", os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`"c" 1`)
	f.Close()

	l2, err := store.OpenSentLog(db)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	db.View(func(tx *store.Tx) error {
		for k, want := range map[string]store.MessageState{"a": store.MessageSent, "b|x\ty": store.MessageSent, "c": store.MessagePending} {
			m, err := tx.Message(k)
			if err != nil || m.State != want {
				t.Errorf("%q: state %v (%v), want %v", k, m.State, err, want)
			}
		}
		if id := tx.TaskOfMessage(1, 11); id != "4.1.3" {
			t.Errorf("message 11 not linked to its task after replay: %q", id)
		}
		return nil
	})
	if fi, _ := os.Stat(db.Path + ".sent"); fi.Size() != 0 {
		t.Errorf("log not emptied after replay: %d bytes", fi.Size())
	}
	l2.Record("c", 13)
	if err := l2.Flush(); err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *store.Tx) error {
		if m, _ := tx.Message("c"); m.State != store.MessageSent || m.SentID != 13 {
			t.Errorf("c after flush: %v %d", m.State, m.SentID)
		}
		if n, _, _ := tx.OutboxDepth(); n != 0 {
			t.Errorf("outbox depth %d after flush", n)
		}
		return nil
	})
}

// TestDB_ReleaseMapped: dropping the mapped pages loses no data.
func TestDB_ReleaseMapped(t *testing.T) {
	db := MustOpenDB(t)
	db.Update(func(tx *store.Tx) error {
		return tx.PutTask(&store.Task{ID: "1.1.1", Text: "保留", Status: store.StatusNotStarted})
	})
	if err := db.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *store.Tx) error {
		if task, err := tx.Task("1.1.1"); err != nil || task.Text != "保留" {
			t.Errorf("after release: %v %v", task, err)
		}
		return nil
	})
}
