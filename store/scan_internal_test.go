package store

import (
	"encoding/json"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestMigrate_V2ToV3 opens a schema-2 file: Open keeps a copy, then builds
// the schedule's indexes from the stored tasks and history.
func TestMigrate_V2ToV3(t *testing.T) {
	at := time.Date(2021, 6, 15, 9, 0, 0, 0, time.UTC)
	db := openUpgraded(t, 2, func(tx *bolt.Tx) error {
		for _, task := range []*Task{
			{ID: "1.1.1", Text: "a", Lead: "甲处", Deadline: NewDate(2021, 6, 30), Status: StatusInProgress},
			{ID: "1.1.2", Text: "b", Lead: "甲处", Status: StatusNotStarted, Cadence: CadenceMonthly},
			{ID: "1.1.3", Text: "c", Lead: "甲处", Deadline: NewDate(2021, 3, 31), Status: StatusDone},
			{ID: "1.1.4", Text: "d", Status: StatusClosed},
		} {
			v, _ := encodeTask(task)
			if err := tx.Bucket(bktTasks).Put([]byte(task.ID), v); err != nil {
				return err
			}
			if task.Open() && task.Deadline != 0 {
				tx.Bucket(bktIdxDeadline).Put(deadlineKey(task), nil)
			}
			for i, d := range []time.Duration{0, 48 * time.Hour} {
				v, _ := json.Marshal(historyRecord{At: at.Add(d), Kind: "import"})
				if err := tx.Bucket(bktHistory).Put(append(append([]byte(task.ID), 0), u64(uint64(i+1))...), v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	db.View(func(tx *Tx) error {
		open, err := tx.OpenTasks(nil)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, task := range open {
			ids = append(ids, task.ID)
		}
		if got, want := fmtIDs(ids), "1.1.1 1.1.2"; got != want {
			t.Errorf("open tasks = %s, want %s", got, want)
		}
		if got := tx.FinishedByLead(); len(got) != 2 || got["甲处"] != 1 || got[""] != 1 {
			t.Errorf("FinishedByLead = %v, want 甲处:1 and \"\":1", got)
		}
		hist, err := tx.HistorySince(at.Add(time.Hour))
		if err != nil || len(hist) != 4 || hist[0].TaskID != "1.1.1" || hist[0].Seq != 2 {
			t.Errorf("HistorySince = %d entries (first %+v), %v; want the 4 later ones from 1.1.1 #2", len(hist), hist, err)
		}
		return nil
	})
}
