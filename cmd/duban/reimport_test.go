package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// TestImport_OldExportConflicts runs issue 11's scenario through the
// binary's Main: export, a /progress 4.1.3 80% in the shell an hour later,
// then `duban import` of the old export. The dry run and the import list
// the conflict with both values and change nothing; --force applies it and
// the history says it was forced.
func TestImport_OldExportConflicts(t *testing.T) {
	fixClock(t, time.Date(2026, 11, 30, 9, 20, 0, 0, time.UTC))
	path := dbPath(t)
	old := filepath.Join(t.TempDir(), "清单.csv")
	run := func(stdin string, args ...string) string {
		t.Helper()
		out, code := runMain(t, stdin, append(args, "--db", path, "--tz", "Asia/Shanghai")...)
		if code != 0 {
			t.Fatalf("duban %s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
		return out
	}
	run("", "import", "../../seeds/2021-dalian-sthjj-gongzuoyaodian.txt", "--year", "2026")
	run("", "export", "-o", old)
	fixClock(t, time.Date(2026, 11, 30, 10, 30, 0, 0, time.UTC))
	mustHave(t, "shell", run("/progress 4.1.3 80%\n", "shell", "--as", "1"), "已更新进度")
	progress := func() (int, []store.HistoryEntry) {
		t.Helper()
		db := openDB(t, path)
		defer db.Close()
		var p int
		var hist []store.HistoryEntry
		db.View(func(tx *store.Tx) error {
			task, err := tx.Task("4.1.3")
			if err != nil {
				t.Fatal(err)
			}
			p = task.Progress
			hist, _ = tx.History("4.1.3")
			return nil
		})
		return p, hist
	}
	_, before := progress()

	for _, dry := range []bool{true, false} {
		args := []string{"import", old}
		if dry {
			args = append(args, "--dry-run")
		}
		out := run("", args...)
		mustHave(t, strings.Join(args, " "), out, "冲突1项", "4.1.3（文件更新时间2026-11-30 17:20）", "进度：文件0%，库中80%",
			"加--force以文件为准", "新增 0 项，更新 0 项，未变 85 项，冲突 1 项未导入")
		if p, hist := progress(); p != 80 || len(hist) != len(before) {
			t.Errorf("%s: 4.1.3 at %d%% with %d history entries, want 80%% and %d", strings.Join(args, " "), p, len(hist), len(before))
		}
	}

	out := run("", "import", old, "--force")
	mustHave(t, "import --force", out, "强制导入1项", "新增 0 项，更新 1 项，未变 85 项（其中强制导入 1 项）")
	p, hist := progress()
	if e := hist[len(hist)-1]; p != 0 || e.Kind != "import_forced" || e.By.Via != "cli" {
		t.Errorf("after --force: 4.1.3 at %d%%, last entry %+v; want 0%% and an import_forced entry", p, e)
	}
	mustHave(t, "shell /history", run("/history 4.1.3\n", "shell", "--as", "1"), "强制导入", "进度：80%→0%")
}

// TestImport_ListsEveryChange: a dry run lists, per task, every field that
// changes (old → new), and the real import prints what it wrote.
func TestImport_ListsEveryChange(t *testing.T) {
	fixClock(t, time.Date(2026, 11, 30, 9, 20, 0, 0, time.UTC))
	path := dbPath(t)
	if _, code := runMain(t, "", "import", "--db", path, "../../seeds/2021-dalian-sthjj-gongzuoyaodian.txt"); code != 0 {
		t.Fatal("seed import failed")
	}
	list := filepath.Join(t.TempDir(), "改.csv")
	writeFile(t, list, "编号,工作任务,牵头单位,完成时限,进度,最新进展\n"+
		"4.1.3,完成85家挥发性有机物重点行业企业深度整治。,大气环境与应对气候变化处,2021-10-31,30%,已排查60家\n"+
		"9.1.1,新增的任务。,办公室,年底前,0%,\n")
	for _, args := range [][]string{{"--dry-run"}, {}} {
		out, code := runMain(t, "", append([]string{"import", "--db", path, list}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, out)
		}
		mustHave(t, "import "+strings.Join(args, " "), out, "更新1项：", "4.1.3 牵头单位：大气环境与应对气候变化处（建议）→大气环境与应对气候变化处；完成时限：2021-12-31→2021-10-31；进度：0%→30%；最新进展：—→已排查60家",
			"新增1项：", "9.1.1 新增的任务。", "新增 1 项，更新 1 项，未变 0 项")
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestImport_RemovesExample: importing a real plan into a database that
// holds the example says so and how to remove it; --remove-example removes
// the example's tasks and history with the import (a dry run changes
// nothing); `duban example remove` does it alone and refuses an adopted
// example or a database without one.
func TestImport_RemovesExample(t *testing.T) {
	fixClock(t, time.Date(2026, 11, 30, 9, 20, 0, 0, time.UTC))
	example := func(t *testing.T) string {
		t.Helper()
		path := dbPath(t)
		db := openDB(t, path)
		if err := db.Update(func(tx *store.Tx) error {
			_, err := loadInitialPlan(tx, "bundled", time.UTC, "system", "test")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		db.Close()
		return path
	}
	count := func(t *testing.T, path string) (tasks, hist int, loaded bool) {
		t.Helper()
		db := openDB(t, path)
		defer db.Close()
		db.View(func(tx *store.Tx) error {
			ts, _ := tx.Tasks()
			for _, task := range ts {
				h, _ := tx.History(task.ID)
				hist += len(h)
			}
			h, _ := tx.History("4.1.3")
			hist += len(h) // 0 once the example is gone
			tasks, loaded = len(ts), tx.IsExamplePlan()
			return nil
		})
		return
	}
	plan := filepath.Join(t.TempDir(), "2027要点.txt")
	writeFile(t, plan, "2027年某局工作要点\n一、重点任务\n（一）治理大气污染。6月底前完成85家企业整治。年底前建成监测网络。\n")

	t.Run("Import", func(t *testing.T) {
		path := example(t)
		out, code := runMain(t, "", "import", "--db", path, plan, "--dry-run")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, out)
		}
		mustHave(t, "import into the example", out, "内置示例计划的 86 项任务", "--remove-example", "duban example remove")
		out, code = runMain(t, "", "import", "--db", path, plan, "--dry-run", "--remove-example")
		mustHave(t, "dry run --remove-example", out, "已移除内置示例计划的 86 项任务", "新增 2 项", "试运行")
		if n, _, loaded := count(t, path); code != 0 || n != 86 || !loaded {
			t.Errorf("the dry run changed the database: exit %d, %d tasks, example %v", code, n, loaded)
		}
		out, code = runMain(t, "", "import", "--db", path, plan, "--remove-example")
		mustHave(t, "import --remove-example", out, "已移除内置示例计划的 86 项任务", "新增 2 项")
		if n, hist, loaded := count(t, path); code != 0 || n != 2 || hist != 2 || loaded {
			t.Errorf("after --remove-example: exit %d, %d tasks, %d history entries, example %v; want 2, 2, false", code, n, hist, loaded)
		}
		out, code = runMain(t, "", "import", "--db", path, plan, "--remove-example")
		if code != 1 || !strings.Contains(out, "没有内置示例计划") {
			t.Errorf("--remove-example without an example: exit %d\n%s", code, out)
		}
	})
	t.Run("Command", func(t *testing.T) {
		path := example(t)
		out, code := runMain(t, "", "example", "remove", "--db", path)
		mustHave(t, "example remove", out, "已删除内置示例计划的 86 项任务及其历史；数据库里还有 0 项任务")
		if n, hist, loaded := count(t, path); code != 0 || n != 0 || hist != 0 || loaded {
			t.Errorf("after example remove: exit %d, %d tasks, %d history entries, example %v", code, n, hist, loaded)
		}
		if out, code := runMain(t, "", "example", "remove", "--db", path); code != 1 || !strings.Contains(out, "没有内置示例计划") {
			t.Errorf("second remove: exit %d\n%s", code, out)
		}
	})
	t.Run("Adopted", func(t *testing.T) {
		path := example(t)
		if _, code := runMain(t, "", "example", "adopt", "--db", path); code != 0 {
			t.Fatal("adopt failed")
		}
		out, code := runMain(t, "", "example", "remove", "--db", path)
		if n, _, _ := count(t, path); code != 1 || !strings.Contains(out, "已被采用") || n != 86 {
			t.Errorf("remove an adopted example: exit %d, %d tasks left\n%s", code, n, out)
		}
	})
}

// TestServe_RealPlanOffersExampleRemoval is issue 11's "a fresh serve
// database … importing a real plan offers its removal", through the binary:
// serve loads the example into an empty database; the admin sends a real
// plan; the preview offers 导入并移除示例; pressing it leaves only the plan's
// tasks and clears the example mark.
func TestServe_RealPlanOffersExampleRemoval(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := dbPath(t)
	logs, stop := startServe(t, fake, path)
	admin := models.User{ID: 1, FirstName: "管理员"}
	fake.SendDocument(admin, models.Chat{}, "2027要点.txt",
		[]byte("2027年某局工作要点\n一、重点任务\n（一）治理大气污染。6月底前完成85家企业整治。年底前建成监测网络。\n"))
	var preview models.Message
	waitFake(t, fake, nil, 20*time.Second, "the preview", func(s *telegramtest.Server) bool {
		for _, m := range s.Sent(1) {
			if strings.Contains(m.Text, "导入预览") {
				preview = m
				return true
			}
		}
		return false
	})
	data := ""
	if preview.ReplyMarkup != nil {
		for _, b := range preview.ReplyMarkup.InlineKeyboard[0] {
			if b.Text == "导入并移除示例" {
				data = b.CallbackData
			}
		}
	}
	if data == "" {
		t.Fatalf("the preview has no 导入并移除示例 button:\n%s\n%+v\nlogs:\n%s", preview.Text, preview.ReplyMarkup, logs.String())
	}
	fake.PressButton(admin, models.Chat{}, preview.ID, data)
	waitFake(t, fake, nil, 20*time.Second, "the result", func(s *telegramtest.Server) bool {
		m, _ := s.Message(1, preview.ID)
		return strings.Contains(m.Text, "已移除内置示例计划的86项任务")
	})
	if code := stop(); code != 0 {
		t.Fatalf("exit %d\n%s", code, logs.String())
	}
	db := openDB(t, path)
	defer db.Close()
	db.View(func(tx *store.Tx) error {
		ts, _ := tx.Tasks()
		if len(ts) != 2 || tx.IsExamplePlan() {
			t.Errorf("after the import: %d tasks, example mark %v; want the plan's 2 and no mark", len(ts), tx.IsExamplePlan())
		}
		return nil
	})
}
