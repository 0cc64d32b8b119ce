package store

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestMigrate_V1ToV2 opens a schema-1 file: Open keeps a copy of it, then
// builds the department-by-deadline index from the stored tasks.
func TestMigrate_V1ToV2(t *testing.T) {
	db := openUpgraded(t, 1, func(tx *bolt.Tx) error {
		for _, task := range []*Task{
			{ID: "1.1.1", Text: "a", Lead: "甲处", Deadline: NewDate(2021, 6, 30), Status: StatusInProgress},
			{ID: "1.1.2", Text: "b", Lead: "甲处", Status: StatusNotStarted, Cadence: CadenceMonthly},
			{ID: "1.1.3", Text: "c", Lead: "甲处", Deadline: NewDate(2021, 3, 31), Status: StatusDone},
			{ID: "1.1.4", Text: "d", Lead: "乙处", CoDepts: []string{"甲处"}, Deadline: NewDate(2021, 5, 1), Status: StatusNotStarted},
		} {
			v, _ := encodeTask(task)
			if err := tx.Bucket(bktTasks).Put([]byte(task.ID), v); err != nil {
				return err
			}
		}
		return nil
	})
	db.View(func(tx *Tx) error {
		if v, _ := tx.SchemaVersion(); v != SchemaVersion {
			t.Errorf("schema %d, want %d", v, SchemaVersion)
		}
		page, total, err := tx.DeptOpenPage("甲处", 10)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, task := range page {
			ids = append(ids, task.ID)
		}
		if got, want := fmtIDs(ids), "1.1.4 1.1.1 1.1.2"; got != want || total != 3 {
			t.Errorf("甲处 open page = %s (total %d), want %s (3): by deadline, continuous last, done excluded", got, total, want)
		}
		return nil
	})
}

func fmtIDs(ids []string) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += " "
		}
		s += id
	}
	return s
}

// TestMigrate_PendingBands opens a schema-3 file whose pending index is
// not-before + key: after the upgrade the same messages are pending, and a
// user's reply queued after a burst of reminders is served first.
func TestMigrate_PendingBands(t *testing.T) {
	at := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
	msgs := []*Message{
		{Key: "before7|4.1.3|2021-06-08|1001", ChatID: 1001, Kind: "reminder", DueAt: at, NotBefore: at},
		{Key: "before7|4.1.4|2021-06-08|1002", ChatID: 1002, Kind: "reminder", DueAt: at, NotBefore: at.Add(time.Nanosecond)},
		{Key: "r|77|1003|5|0", ChatID: 1003, Kind: "reply", NotBefore: at.Add(time.Second)},
		{Key: "old|sent", ChatID: 1004, Kind: "reply", NotBefore: at, State: MessageSent},
	}
	db := openUpgraded(t, 3, func(tx *bolt.Tx) error {
		for _, m := range msgs {
			if m.State == "" {
				m.State = MessagePending
			}
			v, err := json.Marshal(m)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bktOutbox).Put([]byte(m.Key), v); err != nil {
				return err
			}
			if m.State == MessagePending {
				k := append(u64(uint64(m.NotBefore.UnixNano())), m.Key...)
				if err := tx.Bucket(bktIdxPending).Put(k, u64(uint64(m.ChatID))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	db.View(func(tx *Tx) error {
		ps, err := tx.Pending(10)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, m := range ps {
			keys = append(keys, m.Key)
		}
		want := []string{"r|77|1003|5|0", "before7|4.1.3|2021-06-08|1001", "before7|4.1.4|2021-06-08|1002"}
		if !slices.Equal(keys, want) {
			t.Errorf("pending after upgrade = %q, want %q", keys, want)
		}
		refs, err := tx.PendingRefs(BandScheduled, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) != 2 || refs[0].ChatID != 1001 || !refs[0].NotBefore.Equal(at) {
			t.Errorf("scheduled refs = %+v, want 2 starting with chat 1001 at %v", refs, at)
		}
		return nil
	})
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}

// TestMigrate_Summaries opens a schema-4 file, whose deadline index has no
// summaries: the upgrade writes them, and the list rows match the records.
func TestMigrate_Summaries(t *testing.T) {
	long := strings.Repeat("推进入海排污口排查整治", 6)
	tasks := []*Task{
		{ID: "1.1.1", Text: long, Lead: "甲处", LeadSuggested: true, Deadline: NewDate(2021, 3, 31), Status: StatusInProgress, Progress: 40},
		{ID: "1.1.2", Text: "短", Lead: "乙处", Deadline: NewDate(2021, 5, 1), Status: StatusNotStarted},
	}
	db := openUpgraded(t, 4, func(tx *bolt.Tx) error {
		for _, task := range tasks {
			v, _ := encodeTask(task)
			if err := tx.Bucket(bktTasks).Put([]byte(task.ID), v); err != nil {
				return err
			}
			if err := tx.Bucket(bktIdxDeadline).Put(deadlineKey(task), nil); err != nil {
				return err
			}
		}
		return nil
	})
	db.View(func(tx *Tx) error {
		idx := tx.tx.Bucket(bktIdxDeadline)
		for _, task := range tasks {
			got, err := tx.Task(task.ID) // keyed plan/ID since schema 7
			if err != nil {
				t.Fatal(err)
			}
			if v := idx.Get(deadlineKey(got)); len(v) == 0 || v[0] != summaryFormat {
				t.Errorf("%s: index value %q after the upgrade, want a summary", task.ID, v)
			}
		}
		rows, err := tx.OverdueRows(NewDate(2021, 7, 1))
		if err != nil {
			t.Fatal(err)
		}
		want := []TaskRow{tasks[0].Row(), tasks[1].Row()}
		for i := range want {
			want[i].Plan = "2021" // schema 7 put them in a plan named by their year
		}
		if !slices.Equal(rows, want) {
			t.Errorf("rows = %+v\nwant %+v", rows, want)
		}
		if got := []rune(rows[0].Text); len(got) != SummaryText {
			t.Errorf("row text has %d characters, want the first %d", len(got), SummaryText)
		}
		return nil
	})
}
