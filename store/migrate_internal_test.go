package store

import (
	"testing"

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
