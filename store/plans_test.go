package store_test

import (
	"strings"
	"testing"

	"github.com/duban-bureau/duban/schedule/lang"
	"github.com/duban-bureau/duban/store"
)

// yearPlan is a small plan document of one year: the same IDs every year.
func yearPlan(year int) (*store.Plan, []*store.Task) {
	p := &store.Plan{Title: "工作要点", Year: year, Source: "plan.txt"}
	return p, []*store.Task{
		{ID: "4.1.3", Text: "完成85家企业深度整治", Lead: "大气处", Deadline: store.NewDate(year, 12, 31), Target: 85, Unit: "家"},
		{ID: "4.1.6", Text: "柴油车监管", Lead: "大气处", Deadline: store.NewDate(year, 6, 30)},
	}
}

func importPlan(t *testing.T, tx *store.Tx, year int) *store.Plan {
	t.Helper()
	p, tasks := yearPlan(year)
	if _, err := tx.AddPlan(p, tasks); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ImportTasks(tasks, store.PlanFields, store.Actor{Via: "cli"}, "plan.txt"); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPlans_SecondYear is the complaint: next year's plan, with the usual
// numbering, must be a new plan that changes nothing of this year's.
func TestPlans_SecondYear(t *testing.T) {
	db := MustOpenDB(t)
	err := db.Update(func(tx *store.Tx) error {
		if err := tx.AddDepartment("大气处"); err != nil {
			return err
		}
		importPlan(t, tx, 2026)
		task, err := tx.Task("4.1.3")
		if err != nil {
			return err
		}
		task.Progress, task.Status, task.Latest = 40, store.StatusInProgress, "已完成初稿"
		if _, err := tx.SaveTask(task, store.Actor{Via: "telegram"}, "progress", ""); err != nil {
			return err
		}
		p := importPlan(t, tx, 2027)
		if p.ID != "2027" {
			t.Errorf("next year's plan is %q, want 2027", p.ID)
		}
		// The same document again is the same plan.
		again, tasks := yearPlan(2027)
		if fresh, err := tx.AddPlan(again, tasks); err != nil || fresh || again.ID != "2027" {
			t.Errorf("re-import of 2027: fresh=%v id=%q err=%v; want the stored plan", fresh, again.ID, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *store.Tx) error {
		all, _ := tx.Tasks()
		if len(all) != 4 {
			t.Errorf("%d tasks, want 2 plans × 2", len(all))
		}
		old, err := tx.Task("2026/4.1.3")
		if err != nil || old.Progress != 40 || old.Latest != "已完成初稿" {
			t.Errorf("2026/4.1.3 = %+v, %v; want it still at 40", old, err)
		}
		if n, err := tx.Task("2027/4.1.3"); err != nil || n.Progress != 0 || n.Status != store.StatusNotStarted {
			t.Errorf("2027/4.1.3 = %+v, %v; want a fresh task", n, err)
		}
		_, err = tx.Task("4.1.3")
		if store.ErrorCode(err) != store.ECONFLICT || !strings.Contains(lang.Lang("zh").ErrorText(err), "2026/4.1.3") || !strings.Contains(lang.Lang("zh").ErrorText(err), "2027/4.1.3") {
			t.Errorf("bare 4.1.3 with two active plans: %v; want the candidates named", err)
		}
		if _, err := tx.Task("2025/4.1.3"); store.ErrorCode(err) != store.ENOTFOUND {
			t.Errorf("a plan that does not exist: %v", err)
		}
		if h, _ := tx.History("2026/4.1.3"); len(h) != 2 || h[1].Kind != "progress" {
			t.Errorf("2026/4.1.3 history = %+v", h)
		}
		if h, _ := tx.History("2027/4.1.3"); len(h) != 1 || h[0].Kind != "create" {
			t.Errorf("2027/4.1.3 history = %+v", h)
		}
		sums, _ := tx.PlanSummaries()
		if len(sums) != 2 || sums[0].Tasks != 2 || sums[1].Tasks != 2 {
			t.Errorf("plan summaries = %+v", sums)
		}
		return nil
	})
}

// TestPlans_ArchiveRemoveRestore: an archived plan leaves every list but
// stays readable; a removed task leaves everything and comes back with its
// history; carry-over moves unfinished work with its history.
func TestPlans_ArchiveRemoveRestore(t *testing.T) {
	db := MustOpenDB(t)
	by := store.Actor{Name: "督办员", Via: "cli"}
	err := db.Update(func(tx *store.Tx) error {
		if err := tx.AddDepartment("大气处"); err != nil {
			return err
		}
		importPlan(t, tx, 2026)
		importPlan(t, tx, 2027)
		// remove and restore
		if _, err := tx.RemoveTask("2027/4.1.6", by, ""); store.ErrorCode(err) != store.EINVALID {
			t.Errorf("removal without a reason: %v", err)
		}
		if _, err := tx.RemoveTask("2027/4.1.6", by, "与4.1.3合并"); err != nil {
			return err
		}
		if _, err := tx.Task("2027/4.1.6"); store.ErrorCode(err) != store.ENOTFOUND || !strings.Contains(lang.Lang("zh").ErrorText(err), "已删除") {
			t.Errorf("removed task read: %v; want not found, saying removed", err)
		}
		due, _ := tx.OpenTasksDue(1, store.NewDate(2028, 1, 1))
		for _, d := range due {
			if d.Key() == "2027/4.1.6" {
				t.Error("a removed task is still due")
			}
		}
		// An old file naming it does not bring it back.
		_, tasks := yearPlan(2027)
		for _, x := range tasks {
			x.PlanID = "2027"
		}
		if _, err := tx.ImportTasks(tasks, store.PlanFields, by, "again"); err != nil {
			return err
		}
		if _, err := tx.Task("2027/4.1.6"); err == nil {
			t.Error("a re-import brought a removed task back")
		}
		if _, err := tx.RestoreTask("2027/4.1.6", by, ""); err != nil {
			return err
		}
		h, _ := tx.History("2027/4.1.6")
		if len(h) != 3 || h[1].Kind != "remove" || h[1].Note != "与4.1.3合并" || h[2].Kind != "restore" {
			t.Errorf("history after remove+restore = %+v", h)
		}
		// archive
		if _, n, err := tx.ArchivePlan("2026", by); err != nil || n != 2 {
			t.Errorf("archive 2026: %d tasks, %v", n, err)
		}
		all, _ := tx.Tasks()
		for _, x := range all {
			if x.PlanID == "2026" {
				t.Errorf("archived %s still listed", x.Key())
			}
		}
		if x, err := tx.Task("4.1.3"); err != nil || x.PlanID != "2027" {
			t.Errorf("bare 4.1.3 with 2026 archived = %+v, %v; want 2027's", x, err)
		}
		old, err := tx.Task("2026/4.1.3")
		if err != nil || !old.Archived() {
			t.Fatalf("archived 2026/4.1.3 = %+v, %v; want it readable", old, err)
		}
		old.Progress = 90
		if _, err := tx.SaveTask(old, by, "progress", ""); err == nil {
			t.Error("an archived task was changed")
		}
		if ts, _ := tx.PlanTasks("2026"); len(ts) != 2 {
			t.Errorf("archived plan's tasks for export = %d", len(ts))
		}
		if _, _, err := tx.ActivatePlan("2026", by); err != nil {
			return err
		}
		// carry over 2026's unfinished work into 2027
		moved, err := tx.CarryOver("2026", "2027", by)
		if err != nil || len(moved) != 2 {
			t.Fatalf("carry-over moved %d, %v", len(moved), err)
		}
		c, err := tx.Task("2027/2026-4.1.3")
		if err != nil || c.CarriedFrom != "2026/4.1.3" {
			t.Fatalf("carried task = %+v, %v", c, err)
		}
		if h, _ := tx.History("2027/2026-4.1.3"); len(h) != 2 || h[0].Kind != "create" || h[1].Kind != "carry_over" {
			t.Errorf("carried task's history = %+v; want its own history and the carry-over", h)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *store.Tx) error {
		r, err := tx.RemovePlan("2026", true)
		if err != nil || r.Tasks != 0 {
			t.Errorf("removing the emptied 2026 would delete %+v, %v", r, err)
		}
		r, err = tx.RemovePlan("2027", true)
		if err != nil || r.Tasks != 4 || r.History == 0 {
			t.Errorf("removing 2027 would delete %+v, %v", r, err)
		}
		return nil
	})
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}
