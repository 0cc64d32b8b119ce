package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixClock starts the commands' clock at at for one (non-parallel) test; it
// runs on from there (the shell's sender waits for time to pass).
func fixClock(t *testing.T, at time.Time) {
	t.Helper()
	old, start := nowFunc, time.Now()
	nowFunc = func() time.Time { return at.Add(time.Since(start)) }
	t.Cleanup(func() { nowFunc = old })
}

// runMain runs the binary's Main in-process with stdin and no environment.
func runMain(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	out := &syncBuffer{}
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: out, Stderr: out, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), env, args)
	return out.String(), code
}

// TestShell_EmptyDatabaseLoadsExample: the README's first shell example on
// a fresh clone — `/task 4.1.3` on an empty database answered "没有编号为
// 4.1.3 的任务". The shell now loads what serve loads (the bundled example,
// dates moved to this year) and says so; once only; --plan none loads nothing.
func TestShell_EmptyDatabaseLoadsExample(t *testing.T) {
	fixClock(t, time.Date(2031, 3, 2, 9, 0, 0, 0, time.UTC))
	db := dbPath(t)
	out, code := runMain(t, "/task 4.1.3\n", "shell", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{"数据库为空：已载入内置示例《2031年大连市生态环境工作要点》（86 项任务），日期由 2021 年移到 2031 年", "4.1.3 完成85家", "完成时限：2031-12-31"} {
		if !strings.Contains(out, want) {
			t.Errorf("shell on an empty database: no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "没有编号为") {
		t.Errorf("shell on an empty database still has no 4.1.3:\n%s", out)
	}
	out, _ = runMain(t, "/task 4.1.3\n", "shell", "--db", db)
	if strings.Contains(out, "已载入") {
		t.Errorf("second start loaded the example again:\n%s", out)
	}
	out, _ = runMain(t, "/task 4.1.3\n", "shell", "--db", dbPath(t), "--plan", "none")
	if strings.Contains(out, "已载入") || !strings.Contains(out, "没有编号为") {
		t.Errorf("--plan none: want nothing loaded, got\n%s", out)
	}
}

// TestGlobalFlags_BeforeSubcommand: `duban --db X import FILE` failed with
// 未知命令 "--db". Leading --db/--tz/--lang now reach the subcommand; the
// subcommand's own flag still wins; anything else before it is refused.
func TestGlobalFlags_BeforeSubcommand(t *testing.T) {
	fixClock(t, time.Date(2021, 7, 5, 9, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	x := filepath.Join(dir, "x.db")
	plan := filepath.Join("..", "..", "seeds", "2021-dalian-sthjj-gongzuoyaodian.txt")
	if out, code := runMain(t, "", "--db", x, "import", plan); code != 0 || !strings.Contains(out, "新增 86 项") {
		t.Fatalf("duban --db X import: exit %d\n%s", code, out)
	}
	if out, code := runMain(t, "", "--db="+x, "--lang", "en", "tasks", "--overdue"); code != 0 || !strings.Contains(out, "6.3.2") {
		t.Errorf("duban --db=X --lang en tasks --overdue: exit %d\n%s", code, out)
	}
	// the flag after the subcommand wins: y.db does not exist, x.db has tasks
	y := filepath.Join(dir, "y.db")
	if out, code := runMain(t, "", "--db", y, "tasks", "--db", x); code != 0 || !strings.Contains(out, "共 86 项") {
		t.Errorf("duban --db Y tasks --db X: exit %d\n%s", code, out)
	}
	if out, code := runMain(t, "", "--tz", "Mars/Base", "tasks", "--db", x); code != 2 || !strings.Contains(out, "--tz") {
		t.Errorf("bad leading --tz: exit %d\n%s", code, out)
	}
	if out, code := runMain(t, "", "--bogus", "tasks"); code != 2 || !strings.Contains(out, "--bogus") {
		t.Errorf("unknown leading flag: exit %d\n%s", code, out)
	}
	if out, code := runMain(t, "", "--db"); code != 2 || !strings.Contains(out, "缺少值") {
		t.Errorf("--db without value: exit %d\n%s", code, out)
	}
}

// TestReminders_AtDefaultsToToday: `duban reminders` without --at previews
// today, like tasks and digest (it used to demand --at).
func TestReminders_AtDefaultsToToday(t *testing.T) {
	fixClock(t, time.Date(2031, 12, 1, 2, 0, 0, 0, time.UTC))
	db := dbPath(t)
	seedPlan(t, db, 2031, nil).Close()
	out, code := runMain(t, "", "reminders", "--db", db)
	if code != 0 || !strings.Contains(out, "（2031-12-01）") {
		t.Errorf("reminders without --at: exit %d, want today's preview\n%s", code, out)
	}
	at, _ := runMain(t, "", "reminders", "--db", db, "--at", "2031-12-01")
	if at != out {
		t.Errorf("reminders without --at differs from --at today:\n%s\n---\n%s", out, at)
	}
}

// TestHelp_NoMissingDesignSections: the help cited "DESIGN §3/§4/§6", which
// is not in the repository; it now says the thing itself.
func TestHelp_NoMissingDesignSections(t *testing.T) {
	for _, tc := range []struct{ cmd, want string }{
		{"import", "节的第一句是标题"},
		{"export", "编号、章节、工作任务、牵头单位"},
		{"serve", "到期前 [30 14 7 3 1 0] 天"},
		{"reminders", "默认今天"},
		{"shell", "空库时载入（与 serve 相同）"},
	} {
		out, code := runMain(t, "", tc.cmd, "--help")
		if code != 0 || strings.Contains(out, "DESIGN") || !strings.Contains(out, tc.want) {
			t.Errorf("duban %s --help: exit %d, want %q and no DESIGN\n%s", tc.cmd, code, tc.want, out)
		}
	}
}
