package store_test

import (
	"testing"

	"github.com/duban-bureau/duban/store"
)

// TestRemoveExamplePlan: removing the not-adopted example deletes its
// tasks with their history, history-by-time entries and extension
// requests, its plan record and the setting; a task of no plan stays with
// its history. An adopted example, none at all, or an empty plan ID is
// refused and changes nothing.
func TestRemoveExamplePlan(t *testing.T) {
	db := MustOpenDB(t)
	by := store.Actor{Via: "cli"}
	err := db.Update(func(tx *store.Tx) error {
		if err := tx.AddDepartment("办公室"); err != nil {
			return err
		}
		if err := tx.PutPlan(&store.Plan{ID: "2021-ex", Title: "示例", Year: 2021, Example: true}); err != nil {
			return err
		}
		if err := tx.SetSetting(store.ExamplePlanSetting, store.ExamplePlanLoaded); err != nil {
			return err
		}
		tasks := []*store.Task{
			{ID: "1.1.1", PlanID: "2021-ex", Text: "示例任务。", Lead: "办公室", Deadline: store.NewDate(2021, 6, 30)},
			{ID: "1.1.2", PlanID: "2021-ex", Text: "示例任务二。", Lead: "办公室"},
			{ID: "9.1.1", Text: "清单里的任务。", Lead: "办公室"},
		}
		if _, err := tx.ImportTasks(tasks, nil, by, "test"); err != nil {
			return err
		}
		task, _ := tx.Task("1.1.1")
		task.Progress = 50
		if _, err := tx.SaveTask(task, by, "progress", "一半"); err != nil {
			return err
		}
		return tx.PutExtension(&store.Extension{TaskID: "1.1.1", NewDate: store.NewDate(2021, 9, 30), Reason: "等待", By: by})
	})
	if err != nil {
		t.Fatal(err)
	}
	refuse := func(state, planID string, want string) {
		t.Helper()
		db.Update(func(tx *store.Tx) error {
			tx.SetSetting(store.ExamplePlanSetting, state)
			if _, err := tx.RemoveExamplePlan(planID); store.ErrorCode(err) != want {
				t.Errorf("state %q plan %q: %v, want %s", state, planID, err, want)
			}
			return nil
		})
	}
	refuse(store.ExamplePlanAdopted, "2021-ex", store.ECONFLICT)
	refuse("", "2021-ex", store.ENOTFOUND)
	refuse(store.ExamplePlanLoaded, "", store.ENOTFOUND)

	err = db.Update(func(tx *store.Tx) error {
		n, err := tx.RemoveExamplePlan("2021-ex")
		if err != nil || n != 2 {
			t.Errorf("RemoveExamplePlan = %d, %v; want 2 tasks", n, err)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *store.Tx) error {
		ts, _ := tx.Tasks()
		plans, _ := tx.Plans()
		exts, _ := tx.PendingExtensions()
		h1, _ := tx.History("1.1.1")
		h9, _ := tx.History("9.1.1")
		week, _ := tx.HistorySince(t0.AddDate(0, 0, -1))
		if len(ts) != 1 || ts[0].ID != "9.1.1" || len(plans) != 0 || len(exts) != 0 || len(h1) != 0 || len(h9) != 1 || len(week) != 1 || tx.IsExamplePlan() || tx.Setting(store.ExamplePlanSetting) != "" {
			t.Errorf("after removal: %d tasks, %d plans, %d extensions, history %d/%d, %d entries this week, setting %q",
				len(ts), len(plans), len(exts), len(h1), len(h9), len(week), tx.Setting(store.ExamplePlanSetting))
		}
		return nil
	})
}
