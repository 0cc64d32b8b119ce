package store_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// TestTx_OverdueRows: the list rows read from the deadline index's
// summaries are the rows of the records, also after tasks change, finish
// or move to another department.
func TestTx_OverdueRows(t *testing.T) {
	db := MustOpenDB(t)
	r := rand.New(rand.NewPCG(3, 4))
	depts := []string{"甲处", "乙处", "丙处"}
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, d := range depts {
			if err := tx.AddDepartment(d); err != nil {
				return err
			}
		}
		for i := range 300 {
			if err := tx.PutTask(storetest.Task(i, r, depts, 2021)); err != nil {
				return err
			}
		}
		return nil
	})
	on := store.NewDate(2021, 7, 1)
	check := func(when string) {
		t.Helper()
		mustView(t, db, func(tx *store.Tx) error {
			full, err := tx.OverdueTasks(on)
			if err != nil {
				return err
			}
			var want []store.TaskRow
			for _, task := range full {
				want = append(want, task.Row())
			}
			got, err := tx.OverdueRows(on)
			if err != nil {
				return err
			}
			if len(want) == 0 {
				t.Fatalf("%s: no overdue tasks to compare", when)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: %d rows differ from the %d records' rows", when, len(got), len(want))
			}
			return nil
		})
	}
	check("after the import")
	mustUpdate(t, db, func(tx *store.Tx) error {
		ts, err := tx.OverdueTasks(on)
		if err != nil {
			return err
		}
		for i, task := range ts[:30] {
			switch i % 3 {
			case 0:
				task.Progress = 77
				task.Text = "改过的任务内容"
			case 1:
				task.Status = store.StatusDone
			case 2:
				task.Lead, task.LeadSuggested = "丙处", false
			}
			if _, err := tx.SaveTask(task, store.Actor{Via: "test"}, "edit", ""); err != nil {
				return err
			}
		}
		return nil
	})
	check("after changes")
}

// TestMessageKey pins the key format: existing outboxes hold these keys,
// and a changed format would send everything again.
func TestMessageKey(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{store.MessageKey("before7", "4.1.3", "2021-06-30", int64(1001)), "before7|4.1.3|2021-06-30|1001"},
		{store.MessageKey("unreachable", int64(-100123), int64(21)), "unreachable|-100123|21"},
		{store.MessageKey("r", int64(77), int64(5), 3, 0), "r|77|5|3|0"},
		{store.PartKey("r|77|5|3|0", 2), "r|77|5|3|0#2"},
	} {
		if tc.got != tc.want {
			t.Errorf("key %q, want %q", tc.got, tc.want)
		}
	}
}
