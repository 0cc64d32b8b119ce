package store_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
)

func TestTx_OpenTasks(t *testing.T) {
	june30, july31 := store.NewDate(2021, 6, 30), store.NewDate(2021, 7, 31)
	setup := func(t *testing.T) *store.DB {
		db := MustOpenDB(t)
		done := newTask("1.1.3", "办公室", june30)
		done.Status = store.StatusDone
		both := newTask("1.1.5", "综合处", july31)
		both.Cadence = store.CadenceMonthly // a cadence wins over the deadline: always read
		mustPutTasks(t, db,
			newTask("1.1.10", "综合处", june30),
			newTask("1.1.2", "综合处", july31, "办公室"),
			done,
			newTask("1.1.4", "", 0), // continuous, no lead
			both,
		)
		return db
	}
	for _, tc := range []struct {
		name string
		keep func(store.Date) bool
		want []string
	}{
		{"All", nil, []string{"1.1.2", "1.1.4", "1.1.5", "1.1.10"}},
		{"KeepJune", func(d store.Date) bool { return d == june30 }, []string{"1.1.4", "1.1.5", "1.1.10"}},
		{"KeepNone", func(store.Date) bool { return false }, []string{"1.1.4", "1.1.5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := setup(t)
			mustView(t, db, func(tx *store.Tx) error {
				tasks, err := tx.OpenTasks(tc.keep)
				if got := taskIDs(tasks); !slices.Equal(got, tc.want) {
					t.Errorf("OpenTasks = %q, want %q", got, tc.want)
				}
				return err
			})
		})
	}

	t.Run("DoneAndReopenMove", func(t *testing.T) {
		db := setup(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			for id, st := range map[string]store.Status{"1.1.4": store.StatusClosed, "1.1.3": store.StatusInProgress} {
				task, _ := tx.Task(id)
				task.Status = st
				if _, err := tx.SaveTask(task, alice, "status", ""); err != nil {
					return err
				}
			}
			return nil
		})
		mustView(t, db, func(tx *store.Tx) error {
			tasks, err := tx.OpenTasks(nil)
			if got, want := taskIDs(tasks), []string{"1.1.2", "1.1.3", "1.1.5", "1.1.10"}; !slices.Equal(got, want) {
				t.Errorf("OpenTasks = %q, want %q", got, want)
			}
			if got, want := tx.FinishedByLead(), map[string]int{"": 1}; !maps.Equal(got, want) {
				t.Errorf("FinishedByLead = %v, want %v", got, want)
			}
			return err
		})
	})
}

func TestTx_FinishedByLead(t *testing.T) {
	db := MustOpenDB(t)
	var tasks []*store.Task
	for i, st := range []store.Status{store.StatusDone, store.StatusClosed, store.StatusInProgress, store.StatusDone} {
		task := newTask("2.1."+string(rune('1'+i)), []string{"甲处", "甲处", "甲处", "甲处二"}[i], store.NewDate(2021, 6, 30), "乙处")
		task.Status = st
		tasks = append(tasks, task)
	}
	mustPutTasks(t, db, tasks...)
	mustUpdate(t, db, func(tx *store.Tx) error { return tx.DeleteTask("2.1.2") })
	mustView(t, db, func(tx *store.Tx) error {
		// Co-departments do not count; a deleted task is gone.
		if got, want := tx.FinishedByLead(), map[string]int{"甲处": 1, "甲处二": 1}; !maps.Equal(got, want) {
			t.Errorf("FinishedByLead = %v, want %v", got, want)
		}
		return nil
	})
}

func TestTx_HistorySince(t *testing.T) {
	db, clk := MustOpenClockDB(t)
	mustPutTasks(t, db, newTask("1.1.2", "甲处", 0), newTask("1.1.10", "甲处", 0))
	note := func(id string) {
		mustUpdate(t, db, func(tx *store.Tx) error {
			task, _ := tx.Task(id)
			_, err := tx.SaveTask(task, alice, "note", "n")
			return err
		})
	}
	note("1.1.10") // t0
	clk.Add(24 * time.Hour)
	note("1.1.2") // t0+1d: same instant for both, key order breaks the tie
	note("1.1.10")
	clk.Add(24 * time.Hour)
	note("1.1.2") // t0+2d
	mustView(t, db, func(tx *store.Tx) error {
		hist, err := tx.HistorySince(t0.Add(24 * time.Hour))
		var got []string
		for _, u := range hist {
			got = append(got, u.TaskID+"@"+u.At.Sub(t0).String())
		}
		if want := []string{"1.1.10@24h0m0s", "1.1.2@24h0m0s", "1.1.2@48h0m0s"}; !slices.Equal(got, want) {
			t.Errorf("HistorySince(t0+1d) = %q, want %q", got, want)
		}
		return err
	})
}
