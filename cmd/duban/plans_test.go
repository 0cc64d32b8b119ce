package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

// bundledFile writes the bundled plan where the binary can import it.
func bundledFile(t *testing.T) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), seeds.BundledName)
	if err := os.WriteFile(f, seeds.Bundled(), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, code := runStdin(t, stdin, nil, args...)
	if code != 0 {
		t.Fatalf("duban %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// TestPlans_SecondYearThroughBinary is the complaint of issue 11: the
// same plan imported for next year became "新增 0 项，更新 86 项" over this
// year's work. Now it is a second plan, and this year's progress stays.
func TestPlans_SecondYearThroughBinary(t *testing.T) {
	t.Parallel()
	path, plan := dbPath(t), bundledFile(t)
	mustRun(t, "", "--db", path, "import", plan, "--year", "2026")
	db := openDB(t, path)
	if err := db.Update(func(tx *store.Tx) error {
		return tx.PutContact(&store.Contact{UserID: 501, ChatID: 501, Name: "大气 联络员", Dept: "大气环境与应对气候变化处", Role: store.RoleContact})
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if out := mustRun(t, "/progress 4.1.3 40\n", "--db", path, "shell", "--as", "501"); !strings.Contains(out, "已更新进度") {
		t.Fatalf("the contact's /progress:\n%s", out)
	}
	out := mustRun(t, "", "--db", path, "import", plan, "--year", "2027")
	if !strings.Contains(out, "新增 86 项，更新 0 项") || !strings.Contains(out, "计划 2026 还有 86 项未完成的任务") || !strings.Contains(out, "--carry-over") {
		t.Errorf("importing 2027 reported:\n%s", out)
	}
	// Next year's plan does not silence this year's reminders (each task
	// counts from its own plan's start).
	if out := mustRun(t, "", "--db", path, "reminders", "--at", "2026-12-24"); !strings.Contains(out, "4.1.3") {
		t.Errorf("2026's reminders on 2026-12-24 after importing 2027:\n%s", out)
	}
	list := mustRun(t, "", "--db", path, "plans")
	for _, want := range []string{"2026  2026  86", "2027  2027  86", "2027年大连市生态环境工作要点"} {
		if !strings.Contains(list, want) {
			t.Errorf("duban plans lacks %q:\n%s", want, list)
		}
	}
	if out := mustRun(t, "", "--db", path, "tasks"); !strings.Contains(out, "共 172 项") || !strings.Contains(out, "2026/4.1.3") {
		t.Errorf("duban tasks over two plans:\n%s", out)
	}
	old := mustRun(t, "", "--db", path, "export", "--plan", "2026")
	if !strings.Contains(old, "\n2026/4.1.3,") || !strings.Contains(old, ",47%,") { // 40/85家; IDs qualified: the file holds two plans
		t.Errorf("2026's export lacks 4.1.3 at 40%%:\n%.600s", old)
	}
	db = openDB(t, path)
	defer db.Close()
	db.View(func(tx *store.Tx) error {
		a, err := tx.Task("2026/4.1.3")
		if err != nil || a.Progress != 47 && a.Progress != 40 || a.Current != 40 {
			t.Errorf("2026/4.1.3 = %+v, %v; want still at 40", a, err)
		}
		b, err := tx.Task("2027/4.1.3")
		if err != nil || b.Progress != 0 || b.Current != 0 || b.Status != store.StatusNotStarted {
			t.Errorf("2027/4.1.3 = %+v, %v; want fresh", b, err)
		}
		_, err = tx.Task("4.1.3")
		if store.ErrorCode(err) != store.ECONFLICT {
			t.Errorf("bare 4.1.3 over two active plans: %v", err)
		}
		return nil
	})
	// The contact's bare ID is now ambiguous: the answer names both.
	db.Close()
	if out := mustRun(t, "/progress 4.1.3 50\n", "--db", path, "shell", "--as", "501"); !strings.Contains(out, "2026/4.1.3") || !strings.Contains(out, "2027/4.1.3") {
		t.Errorf("an ambiguous bare ID:\n%s", out)
	}
	if out := mustRun(t, "/progress 2027/4.1.3 10\n", "--db", path, "shell", "--as", "501"); !strings.Contains(out, "已更新进度") {
		t.Errorf("a qualified ID:\n%s", out)
	}
}

// TestTasks_RemoveRestoreThroughBinary: a removed task leaves tasks,
// reminders, the digest and the export; restore brings it back with its
// history.
func TestTasks_RemoveRestoreThroughBinary(t *testing.T) {
	t.Parallel()
	path := dbPath(t)
	mustRun(t, "", "--db", path, "import", bundledFile(t), "--year", "2027") // next year: its reminders lie ahead
	db := openDB(t, path)
	var day store.Date
	var lead string
	db.Update(func(tx *store.Tx) error {
		task, err := tx.Task("6.3.2")
		if err != nil {
			t.Fatal(err)
		}
		lead = task.Lead
		if err := tx.PutContact(&store.Contact{UserID: 502, ChatID: 502, Name: "宣教 联络员", Dept: lead, Role: store.RoleContact}); err != nil {
			t.Fatal(err)
		}
		s, err := schedule.LoadSnapshot(tx, nil, "zh", nil)
		if err != nil {
			t.Fatal(err)
		}
		cal := schedule.NewCalendar()
		for d := store.NewDate(2027, 1, 4); d < task.Deadline && day == 0; d = d.AddDays(1) {
			for _, r := range schedule.Preview(schedule.DefaultPolicy(), cal, s, d).Reminders {
				if r.ChatID == 502 && strings.Contains(r.TaskID, "6.3.2") {
					day = d
				}
			}
		}
		return nil
	})
	db.Close()
	if day == 0 {
		t.Fatalf("no reminder for 6.3.2 in its year (lead %q)", lead)
	}
	at := day.String()
	if out := mustRun(t, "", "--db", path, "reminders", "--at", at); !strings.Contains(out, "6.3.2") {
		t.Fatalf("reminders on %s before the removal lack 6.3.2:\n%s", at, out)
	}
	if _, code := runStdin(t, "", nil, "--db", path, "tasks", "remove", "6.3.2"); code != 2 {
		t.Errorf("remove without a reason: exit %d, want 2", code)
	}
	out := mustRun(t, "", "--db", path, "tasks", "remove", "6.3.2", "--reason", "与6.3.1合并办理")
	if !strings.Contains(out, "已删除任务") {
		t.Errorf("remove said:\n%s", out)
	}
	for _, args := range [][]string{{"tasks"}, {"reminders", "--at", at}, {"digest", "--at", at, "--html"}, {"export"}} {
		if out := mustRun(t, "", append([]string{"--db", path}, args...)...); strings.Contains(out, "6.3.2") {
			t.Errorf("duban %s still shows the removed 6.3.2:\n%.800s", strings.Join(args, " "), out)
		}
	}
	if out := mustRun(t, "", "--db", path, "tasks", "restore", "6.3.2"); !strings.Contains(out, "已恢复任务") {
		t.Errorf("restore said:\n%s", out)
	}
	if out := mustRun(t, "", "--db", path, "reminders", "--at", at); !strings.Contains(out, "6.3.2") {
		t.Errorf("reminders after the restore lack 6.3.2:\n%s", out)
	}
	db = openDB(t, path)
	defer db.Close()
	db.View(func(tx *store.Tx) error {
		h, err := tx.History("6.3.2")
		if err != nil || len(h) != 3 || h[0].Kind != "create" || h[1].Kind != "remove" || h[1].Note != "与6.3.1合并办理" || h[1].By.Via != "cli" || h[2].Kind != "restore" {
			t.Errorf("history of 6.3.2 = %+v, %v", h, err)
		}
		return nil
	})
}

// TestImport_CarryOver: import … --carry-over moves the last plan's
// unfinished tasks into the new plan, with their history.
func TestImport_CarryOver(t *testing.T) {
	t.Parallel()
	path, plan := dbPath(t), bundledFile(t)
	mustRun(t, "", "--db", path, "import", plan, "--year", "2026")
	if _, code := runStdin(t, "", nil, "--db", path, "import", plan, "--year", "2026", "--carry-over"); code == 0 {
		t.Error("--carry-over on a re-import of the same plan was accepted")
	}
	out := mustRun(t, "", "--db", path, "import", plan, "--year", "2027", "--carry-over")
	if !strings.Contains(out, "结转：计划 2026 的 86 项未完成任务已转入计划 2027") {
		t.Errorf("carry-over said:\n%s", out)
	}
	db := openDB(t, path)
	defer db.Close()
	db.View(func(tx *store.Tx) error {
		c, err := tx.Task("2027/2026-4.1.3")
		if err != nil || c.CarriedFrom != "2026/4.1.3" {
			t.Errorf("carried 4.1.3 = %+v, %v", c, err)
		}
		if h, _ := tx.History("2027/2026-4.1.3"); len(h) != 2 || h[0].Kind != "create" || h[1].Kind != "carry_over" {
			t.Errorf("carried history = %+v", h)
		}
		if left, _ := tx.PlanTasks("2026"); len(left) != 0 {
			t.Errorf("2026 still holds %d tasks after carrying all 86 over", len(left))
		}
		return nil
	})
}

// TestImport_RealPlanWithTheExamplesTitle: the bureau's own plan of this
// year can have the example's title (the example is 大连's, rebased); it is
// a plan of its own, never filed into the demonstration, and bare IDs
// name its tasks while the example is still there.
func TestImport_RealPlanWithTheExamplesTitle(t *testing.T) {
	t.Parallel()
	path := dbPath(t)
	if out := mustRun(t, "/plans\n", "--db", path, "shell", "--as", "1"); !strings.Contains(out, "示例") {
		t.Fatalf("the shell did not load the example:\n%s", out)
	}
	year := strconv.Itoa(time.Now().Year())
	doc := strings.ReplaceAll(string(seeds.Bundled()), "2021年", year+"年")
	plan := filepath.Join(t.TempDir(), "plan.txt")
	if err := os.WriteFile(plan, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "", "--db", path, "import", plan); !strings.Contains(out, "新增 86 项，更新 0 项") {
		t.Errorf("the real plan was filed into the example:\n%s", out)
	}
	if out := mustRun(t, "/progress 4.1.3 10%\n", "--db", path, "shell", "--as", "1"); !strings.Contains(out, "已更新进度") {
		t.Errorf("a bare ID with the example still loaded:\n%s", out)
	}
	db := openDB(t, path)
	defer db.Close()
	db.View(func(tx *store.Tx) error {
		t1, err := tx.Task("4.1.3")
		if err != nil || t1.Progress != 10 {
			t.Errorf("4.1.3 = %+v, %v", t1, err)
		}
		p, err := tx.Plan(t1.PlanID)
		if err != nil || p.Example {
			t.Errorf("the progress went to plan %+v, %v; want the real plan", p, err)
		}
		return nil
	})
}
