package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

var alice = store.Actor{UserID: 1001, Name: "王联络员", ChatID: 1001, MessageID: 42, Via: "telegram"}

func TestTx_PutTask(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		db := MustOpenDB(t)
		want := &store.Task{
			ID: "4.1.3", PlanID: "2021", Section: "四、深入打好污染防治攻坚战 / (一)精准推进大气污染防治",
			Text: "完成85家企业挥发性有机物治理", Lead: "大气环境与应对气候变化处", LeadSuggested: true,
			CoDepts: []string{"执法局", "生态环境监测处"}, Deadline: store.NewDate(2021, 9, 30),
			Target: 85, Unit: "家", Current: 12.5, Status: store.StatusInProgress, Progress: 15, Latest: "已完成12家",
		}
		mustPutTasks(t, db, want)
		if !want.CreatedAt.Equal(t0) || !want.UpdatedAt.Equal(t0) {
			t.Errorf("CreatedAt, UpdatedAt = %v, %v, want both %v", want.CreatedAt, want.UpdatedAt, t0)
		}
		mustView(t, db, func(tx *store.Tx) error {
			got, err := tx.Task("4.1.3")
			if err != nil {
				return err
			}
			if ch := store.Diff(want, got); len(ch) != 0 {
				t.Errorf("Task differs after round trip: %+v", ch)
			}
			if got.PlanID != want.PlanID || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t0) || got.Cadence != "" {
				t.Errorf("Task = %+v, want %+v", got, want)
			}
			return nil
		})
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		mustView(t, db, func(tx *store.Tx) error {
			_, err := tx.Task("9.9.9")
			if got, want := store.ErrorCode(err), store.ENOTFOUND; got != want {
				t.Errorf("ErrorCode = %q, want %q (err %v)", got, want, err)
			}
			return nil
		})
	})

	t.Run("EINVALID", func(t *testing.T) {
		db := MustOpenDB(t)
		for _, bad := range []*store.Task{
			{ID: " ", Status: store.StatusNotStarted},
			{ID: "1\x001", Status: store.StatusNotStarted},
			{ID: "1.1.1", Status: "finished"},
			{ID: "1.1.1", Status: store.StatusDone, Progress: 101},
			{ID: "1.1.1", Status: store.StatusDone, Progress: -1},
		} {
			err := db.Update(func(tx *store.Tx) error { return tx.PutTask(bad) })
			if got, want := store.ErrorCode(err), store.EINVALID; got != want {
				t.Errorf("PutTask(%+v): code %q, want %q (err %v)", bad, got, want, err)
			}
		}
	})
}

func TestTx_Tasks(t *testing.T) {
	db := MustOpenDB(t)
	mustPutTasks(t, db,
		newTask("4.1.10", "综合处", 0),
		newTask("10.1.1", "综合处", 0),
		newTask("4.1.2", "综合处", 0),
		newTask("4.2.1", "综合处", 0),
		newTask("4.1.1", "综合处", 0),
	)
	mustView(t, db, func(tx *store.Tx) error {
		tasks, err := tx.Tasks()
		if err != nil {
			return err
		}
		if got, want := taskIDs(tasks), []string{"4.1.1", "4.1.2", "4.1.10", "4.2.1", "10.1.1"}; !slices.Equal(got, want) {
			t.Errorf("Tasks = %q, want %q", got, want)
		}
		if got := tx.TaskCount(); got != 5 {
			t.Errorf("TaskCount = %d, want 5", got)
		}
		return nil
	})
}

func TestTx_SaveTask(t *testing.T) {
	setup := func(t *testing.T) (*store.DB, *storetest.Clock) {
		db, clk := MustOpenClockDB(t)
		mustPutTasks(t, db, newTask("4.1.3", "综合处", store.NewDate(2021, 6, 30), "执法局"))
		clk.Add(24 * time.Hour)
		return db, clk
	}

	t.Run("OneHistoryEntry", func(t *testing.T) {
		db, _ := setup(t)
		var u *store.HistoryEntry
		mustUpdate(t, db, func(tx *store.Tx) error {
			task, err := tx.Task("4.1.3")
			if err != nil {
				return err
			}
			task.Status, task.Progress, task.Latest = store.StatusInProgress, 40, "已完成40%"
			u, err = tx.SaveTask(task, alice, "progress", "按计划推进")
			return err
		})
		if u == nil {
			t.Fatal("SaveTask returned no update")
		}
		want := t0.Add(24 * time.Hour)
		mustView(t, db, func(tx *store.Tx) error {
			task, err := tx.Task("4.1.3")
			if err != nil {
				return err
			}
			if task.Progress != 40 || task.Status != store.StatusInProgress {
				t.Errorf("task = %d%% %s, want 40%% in_progress", task.Progress, task.Status)
			}
			if !task.CreatedAt.Equal(t0) || !task.UpdatedAt.Equal(want) {
				t.Errorf("CreatedAt, UpdatedAt = %v, %v, want %v, %v", task.CreatedAt, task.UpdatedAt, t0, want)
			}
			h, err := tx.History("4.1.3")
			if err != nil {
				return err
			}
			if len(h) != 1 {
				t.Fatalf("history has %d entries, want 1", len(h))
			}
			got := h[0]
			if got.TaskID != "4.1.3" || got.Seq != u.Seq || !got.At.Equal(want) || got.By != alice ||
				got.Kind != "progress" || got.Note != "按计划推进" {
				t.Errorf("history entry = %+v, want task 4.1.3 seq %d at %v by %+v kind progress note 按计划推进", got, u.Seq, want, alice)
			}
			wantCh := []store.Change{
				{Field: "status", Old: "not_started", New: "in_progress"},
				{Field: "progress", Old: "0", New: "40"},
				{Field: "latest", Old: "", New: "已完成40%"},
			}
			if !slices.Equal(got.Changes, wantCh) {
				t.Errorf("Changes = %+v, want %+v", got.Changes, wantCh)
			}
			return nil
		})
	})

	t.Run("NoChangeNoEntry", func(t *testing.T) {
		db, _ := setup(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			task, err := tx.Task("4.1.3")
			if err != nil {
				return err
			}
			u, err := tx.SaveTask(task, alice, "progress", "")
			if u != nil {
				t.Errorf("SaveTask with no change returned %+v, want nil", u)
			}
			return err
		})
		mustView(t, db, func(tx *store.Tx) error {
			h, err := tx.History("4.1.3")
			if len(h) != 0 {
				t.Errorf("history has %d entries, want 0", len(h))
			}
			task, _ := tx.Task("4.1.3")
			if !task.UpdatedAt.Equal(t0) {
				t.Errorf("UpdatedAt = %v, want unchanged %v", task.UpdatedAt, t0)
			}
			return err
		})
	})

	t.Run("NoteOnly", func(t *testing.T) {
		db, _ := setup(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			task, _ := tx.Task("4.1.3")
			_, err := tx.SaveTask(task, alice, "note", "已召开协调会")
			return err
		})
		mustView(t, db, func(tx *store.Tx) error {
			h, err := tx.History("4.1.3")
			if len(h) != 1 || h[0].Note != "已召开协调会" || len(h[0].Changes) != 0 {
				t.Errorf("history = %+v, want one note with no changes", h)
			}
			return err
		})
	})

	t.Run("SequentialEntries", func(t *testing.T) {
		db, clk := setup(t)
		for pct := 10; pct <= 30; pct += 10 {
			clk.Add(time.Hour)
			mustUpdate(t, db, func(tx *store.Tx) error {
				task, _ := tx.Task("4.1.3")
				task.Progress = pct
				_, err := tx.SaveTask(task, alice, "progress", "")
				return err
			})
		}
		mustView(t, db, func(tx *store.Tx) error {
			h, err := tx.History("4.1.3")
			if len(h) != 3 {
				t.Fatalf("history has %d entries, want 3", len(h))
			}
			for i := 1; i < len(h); i++ {
				if h[i].Seq <= h[i-1].Seq || !h[i].At.After(h[i-1].At) {
					t.Errorf("entries %d, %d out of order: %+v, %+v", i-1, i, h[i-1], h[i])
				}
			}
			since, err2 := tx.HistorySince(t0.Add(24*time.Hour + 90*time.Minute))
			if len(since) != 2 {
				t.Errorf("HistorySince = %d entries, want 2", len(since))
			}
			return errors.Join(err, err2)
		})
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db, _ := setup(t)
		err := db.Update(func(tx *store.Tx) error {
			_, err := tx.SaveTask(newTask("9.9.9", "综合处", 0), alice, "progress", "")
			return err
		})
		if got, want := store.ErrorCode(err), store.ENOTFOUND; got != want {
			t.Errorf("ErrorCode = %q, want %q", got, want)
		}
	})

	t.Run("RolledBack", func(t *testing.T) {
		db, _ := setup(t)
		errBoom := errors.New("boom")
		err := db.Update(func(tx *store.Tx) error {
			task, _ := tx.Task("4.1.3")
			task.Status, task.Lead, task.Deadline = store.StatusDone, "办公室", store.NewDate(2021, 7, 31)
			if _, err := tx.SaveTask(task, alice, "done", "完成"); err != nil {
				return err
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("Update: got %v, want %v", err, errBoom)
		}
		mustView(t, db, func(tx *store.Tx) error {
			task, err := tx.Task("4.1.3")
			if err != nil {
				return err
			}
			if task.Status != store.StatusNotStarted || task.Lead != "综合处" || task.Deadline != store.NewDate(2021, 6, 30) {
				t.Errorf("task = %+v, want unchanged", task)
			}
			if h, _ := tx.History("4.1.3"); len(h) != 0 {
				t.Errorf("history has %d entries, want 0", len(h))
			}
			if got, _ := tx.TasksByDept("综合处", false); len(got) != 1 {
				t.Errorf("TasksByDept(综合处) = %q, want [4.1.3]", taskIDs(got))
			}
			if got, _ := tx.TasksByDept("办公室", true); len(got) != 0 {
				t.Errorf("TasksByDept(办公室) = %q, want none", taskIDs(got))
			}
			if got, _ := tx.OverdueTasks(store.NewDate(2021, 7, 1)); len(got) != 1 {
				t.Errorf("OverdueTasks = %q, want [4.1.3]", taskIDs(got))
			}
			return nil
		})
	})
}

func TestTx_DeleteTask(t *testing.T) {
	db := MustOpenDB(t)
	mustPutTasks(t, db, newTask("1.1.1", "综合处", store.NewDate(2021, 1, 31), "办公室"))
	mustUpdate(t, db, func(tx *store.Tx) error {
		task, _ := tx.Task("1.1.1")
		task.Progress = 10
		if _, err := tx.SaveTask(task, alice, "progress", ""); err != nil {
			return err
		}
		return tx.DeleteTask("1.1.1")
	})
	mustView(t, db, func(tx *store.Tx) error {
		if _, err := tx.Task("1.1.1"); store.ErrorCode(err) != store.ENOTFOUND {
			t.Errorf("Task after delete: %v, want ENOTFOUND", err)
		}
		for _, d := range []string{"综合处", "办公室"} {
			if got, _ := tx.TasksByDept(d, true); len(got) != 0 {
				t.Errorf("TasksByDept(%s) = %q, want none", d, taskIDs(got))
			}
		}
		if got, _ := tx.OverdueTasks(store.NewDate(2021, 6, 1)); len(got) != 0 {
			t.Errorf("OverdueTasks = %q, want none", taskIDs(got))
		}
		if h, _ := tx.History("1.1.1"); len(h) != 1 {
			t.Errorf("history has %d entries, want 1 (kept)", len(h))
		}
		return nil
	})
}
