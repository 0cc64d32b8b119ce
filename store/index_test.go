package store_test

import (
	"slices"
	"testing"

	"github.com/duban-bureau/duban/store"
)

func TestTx_TasksByDept(t *testing.T) {
	setup := func(t *testing.T) *store.DB {
		db := MustOpenDB(t)
		mustPutTasks(t, db,
			newTask("1.1.10", "综合处", 0),
			newTask("1.1.2", "综合处", 0, "办公室"),
			newTask("1.1.3", "办公室", 0, "综合处"),
			newTask("1.1.4", "办公室", 0),
			// A department whose name is a prefix of another's.
			newTask("1.1.5", "综合处二", 0),
			// A lead repeated among its co-departments counts once, as lead.
			newTask("1.1.6", "综合处", 0, "综合处"),
		)
		return db
	}
	for _, tc := range []struct {
		dept string
		co   bool
		want []string
	}{
		{"综合处", false, []string{"1.1.2", "1.1.6", "1.1.10"}},
		{"综合处", true, []string{"1.1.2", "1.1.3", "1.1.6", "1.1.10"}},
		{"办公室", false, []string{"1.1.3", "1.1.4"}},
		{"办公室", true, []string{"1.1.2", "1.1.3", "1.1.4"}},
		{"综合处二", true, []string{"1.1.5"}},
		{"执法局", true, nil},
	} {
		name := tc.dept + "/LeadOnly"
		if tc.co {
			name = tc.dept + "/WithCo"
		}
		t.Run(name, func(t *testing.T) {
			db := setup(t)
			mustView(t, db, func(tx *store.Tx) error {
				tasks, err := tx.TasksByDept(tc.dept, tc.co)
				if got := taskIDs(tasks); !slices.Equal(got, tc.want) && len(got)+len(tc.want) > 0 {
					t.Errorf("TasksByDept(%s, %v) = %q, want %q", tc.dept, tc.co, got, tc.want)
				}
				return err
			})
		})
	}

	t.Run("LeadChangeMovesEntry", func(t *testing.T) {
		db := setup(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			task, _ := tx.Task("1.1.10")
			task.Lead = "办公室"
			task.CoDepts = []string{"执法局"}
			_, err := tx.SaveTask(task, alice, "assign", "")
			return err
		})
		mustView(t, db, func(tx *store.Tx) error {
			for _, tc := range []struct {
				dept string
				co   bool
				want []string
			}{
				{"综合处", true, []string{"1.1.2", "1.1.3", "1.1.6"}},
				{"办公室", false, []string{"1.1.3", "1.1.4", "1.1.10"}},
				{"执法局", false, nil},
				{"执法局", true, []string{"1.1.10"}},
			} {
				tasks, _ := tx.TasksByDept(tc.dept, tc.co)
				if got := taskIDs(tasks); !slices.Equal(got, tc.want) && len(got)+len(tc.want) > 0 {
					t.Errorf("TasksByDept(%s, %v) = %q, want %q", tc.dept, tc.co, got, tc.want)
				}
			}
			return nil
		})
	})

	t.Run("CoRemoved", func(t *testing.T) {
		db := setup(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			task, _ := tx.Task("1.1.2")
			task.CoDepts = nil
			_, err := tx.SaveTask(task, alice, "assign", "")
			return err
		})
		mustView(t, db, func(tx *store.Tx) error {
			tasks, _ := tx.TasksByDept("办公室", true)
			if got, want := taskIDs(tasks), []string{"1.1.3", "1.1.4"}; !slices.Equal(got, want) {
				t.Errorf("TasksByDept(办公室, true) = %q, want %q", got, want)
			}
			return nil
		})
	})
}

func TestTx_OpenTasksDue(t *testing.T) {
	jun30, jul15, aug31 := store.NewDate(2021, 6, 30), store.NewDate(2021, 7, 15), store.NewDate(2021, 8, 31)
	setup := func(t *testing.T) *store.DB {
		db := MustOpenDB(t)
		done := newTask("2.1.3", "综合处", jun30)
		done.Status = store.StatusDone
		closed := newTask("2.1.4", "综合处", jun30)
		closed.Status = store.StatusClosed
		blocked := newTask("2.1.5", "综合处", aug31)
		blocked.Status = store.StatusBlocked
		mustPutTasks(t, db,
			newTask("2.1.1", "综合处", jun30),
			newTask("2.1.2", "综合处", jul15),
			done, closed, blocked,
			newTask("2.1.6", "综合处", 0), // continuous
		)
		return db
	}
	ids := func(t *testing.T, db *store.DB, fn func(tx *store.Tx) ([]*store.Task, error)) []string {
		t.Helper()
		var got []*store.Task
		mustView(t, db, func(tx *store.Tx) (err error) { got, err = fn(tx); return err })
		return taskIDs(got)
	}

	t.Run("Range", func(t *testing.T) {
		db := setup(t)
		for _, tc := range []struct {
			from, to store.Date
			want     []string
		}{
			{store.NewDate(2021, 1, 1), store.NewDate(2021, 12, 31), []string{"2.1.1", "2.1.2", "2.1.5"}},
			{jun30, jun30, []string{"2.1.1"}},
			{store.NewDate(2021, 7, 1), jul15, []string{"2.1.2"}},
			{store.NewDate(2021, 7, 16), store.NewDate(2021, 8, 30), []string{}},
		} {
			got := ids(t, db, func(tx *store.Tx) ([]*store.Task, error) { return tx.OpenTasksDue(tc.from, tc.to) })
			if !slices.Equal(got, tc.want) {
				t.Errorf("OpenTasksDue(%s, %s) = %q, want %q", tc.from, tc.to, got, tc.want)
			}
		}
	})

	t.Run("Overdue", func(t *testing.T) {
		db := setup(t)
		for _, tc := range []struct {
			on   store.Date
			want []string
		}{
			{jun30, []string{}}, // due today is not overdue
			{store.NewDate(2021, 7, 1), []string{"2.1.1"}},
			{store.NewDate(2022, 1, 1), []string{"2.1.1", "2.1.2", "2.1.5"}},
			{store.NewDate(2099, 1, 1), []string{"2.1.1", "2.1.2", "2.1.5"}}, // continuous 2.1.6 never
		} {
			got := ids(t, db, func(tx *store.Tx) ([]*store.Task, error) { return tx.OverdueTasks(tc.on) })
			if !slices.Equal(got, tc.want) {
				t.Errorf("OverdueTasks(%s) = %q, want %q", tc.on, got, tc.want)
			}
			// The index agrees with Task.Overdue over every task.
			var want []string
			mustView(t, db, func(tx *store.Tx) error {
				all, err := tx.Tasks()
				for _, task := range all {
					if task.Overdue(tc.on) {
						want = append(want, task.ID)
					}
				}
				return err
			})
			if !slices.Equal(got, want) && len(got)+len(want) > 0 {
				t.Errorf("OverdueTasks(%s) = %q, Task.Overdue says %q", tc.on, got, want)
			}
		}
	})

	save := func(t *testing.T, db *store.DB, id string, edit func(*store.Task)) {
		t.Helper()
		mustUpdate(t, db, func(tx *store.Tx) error {
			task, err := tx.Task(id)
			if err != nil {
				return err
			}
			edit(task)
			_, err = tx.SaveTask(task, alice, "edit", "")
			return err
		})
	}
	after := store.NewDate(2022, 1, 1)
	overdue := func(tx *store.Tx) ([]*store.Task, error) { return tx.OverdueTasks(after) }

	t.Run("DoneLeavesIndex", func(t *testing.T) {
		db := setup(t)
		save(t, db, "2.1.1", func(task *store.Task) { task.Status = store.StatusDone })
		save(t, db, "2.1.2", func(task *store.Task) { task.Status = store.StatusClosed })
		if got, want := ids(t, db, overdue), []string{"2.1.5"}; !slices.Equal(got, want) {
			t.Errorf("OverdueTasks after done/closed = %q, want %q", got, want)
		}
		t.Run("ReopenReturns", func(t *testing.T) {
			save(t, db, "2.1.1", func(task *store.Task) { task.Status = store.StatusInProgress })
			if got, want := ids(t, db, overdue), []string{"2.1.1", "2.1.5"}; !slices.Equal(got, want) {
				t.Errorf("OverdueTasks after reopen = %q, want %q", got, want)
			}
		})
	})

	t.Run("DeadlineChangeMovesEntry", func(t *testing.T) {
		db := setup(t)
		save(t, db, "2.1.1", func(task *store.Task) { task.Deadline = aug31 })
		got := ids(t, db, func(tx *store.Tx) ([]*store.Task, error) { return tx.OpenTasksDue(jun30, jun30) })
		if len(got) != 0 {
			t.Errorf("OpenTasksDue(old deadline) = %q, want none", got)
		}
		got = ids(t, db, func(tx *store.Tx) ([]*store.Task, error) { return tx.OpenTasksDue(aug31, aug31) })
		if want := []string{"2.1.1", "2.1.5"}; !slices.Equal(got, want) {
			t.Errorf("OpenTasksDue(new deadline) = %q, want %q", got, want)
		}
		if got, want := ids(t, db, overdue), []string{"2.1.2", "2.1.1", "2.1.5"}; !slices.Equal(got, want) {
			t.Errorf("OverdueTasks = %q, want %q (by deadline)", got, want)
		}
	})

	t.Run("BecomesContinuous", func(t *testing.T) {
		db := setup(t)
		save(t, db, "2.1.1", func(task *store.Task) { task.Deadline, task.Cadence = 0, store.CadenceMonthly })
		if got, want := ids(t, db, overdue), []string{"2.1.2", "2.1.5"}; !slices.Equal(got, want) {
			t.Errorf("OverdueTasks = %q, want %q", got, want)
		}
	})

	t.Run("PutTaskReplaces", func(t *testing.T) {
		// A re-import puts a task over its old self: the old entries go.
		db := setup(t)
		mustPutTasks(t, db, newTask("2.1.1", "办公室", jul15))
		got := ids(t, db, func(tx *store.Tx) ([]*store.Task, error) { return tx.OpenTasksDue(jun30, jun30) })
		if len(got) != 0 {
			t.Errorf("OpenTasksDue(old deadline) = %q, want none", got)
		}
		got = ids(t, db, func(tx *store.Tx) ([]*store.Task, error) { return tx.TasksByDept("综合处", true) })
		if slices.Contains(got, "2.1.1") {
			t.Errorf("TasksByDept(综合处) = %q, want no 2.1.1", got)
		}
	})
}
