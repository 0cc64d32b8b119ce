package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
	"github.com/duban-bureau/duban/store/storetest"
)

// TestImport_Interrupted stops a large `duban import` with SIGTERM while it
// writes: the process exits promptly with status 1 and one line saying the
// import was interrupted, and the database holds exactly what it held.
func TestImport_Interrupted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	tasks := make([]*store.Task, 30000) // a few seconds of writing
	for i := range tasks {
		tasks[i] = storetest.Task(i, r, seeds.Departments(), 2021)
		tasks[i].ID = fmt.Sprintf("%d.%d.%d", i/10000+1, i/100%100+1, i%100+1)
	}
	var b bytes.Buffer
	if err := listfile.WriteCSV(&b, tasks); err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(list, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	path := dbPath(t)
	seedPlan(t, path, 2021, nil).Close()
	before := dumpTasks(t, path)

	p := startProc(t, nil, "import", "--db", path, list)
	p.waitLog("正在导入", 1, 2*time.Minute)
	p.cmd.Process.Signal(syscall.SIGTERM)
	start := time.Now()
	if code := p.wait(time.Minute); code != 1 {
		t.Fatalf("exit status %d after SIGTERM, want 1\n%s", code, p.logs())
	}
	t.Logf("import stopped %v after SIGTERM", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(p.logs(), "已中断，数据库未做任何修改") || strings.Contains(p.logs(), "goroutine") {
		t.Errorf("output does not say the import was interrupted in one line:\n%s", p.logs())
	}
	if after := dumpTasks(t, path); after != before {
		t.Errorf("the interrupted import changed the database (%d bytes of tasks before, %d after)", len(before), len(after))
	}
}

// TestImport_Limits: the command line refuses a plan or a list past the
// limits with the limit in the message, and writes nothing.
func TestImport_Limits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := dbPath(t)
	seedPlan(t, path, 2021, nil).Close()
	before := dumpTasks(t, path)
	long := filepath.Join(dir, "long.csv")
	os.WriteFile(long, []byte("编号,工作任务,牵头单位,完成时限\n4.1.3,"+strings.Repeat("很", 300_000)+",办公室,年底前\n"), 0o600)
	wide := filepath.Join(dir, "wide.xlsx")
	os.WriteFile(wide, storetest.WideXLSX(4000, false), 0o600)
	ctl := filepath.Join(dir, "plan.txt")
	os.WriteFile(ctl, []byte("2021年要点\n三、治气\n（一）标题\n年底前完成85家企业\u202e整治。\n"), 0o600)
	for _, c := range []struct{ file, want string }{
		{long, "2000 个字符"},
		{wide, "XFD"},
		{ctl, "不可见字符"},
	} {
		p := startProc(t, nil, "import", "--db", path, c.file)
		if code := p.wait(time.Minute); code != 1 {
			t.Errorf("%s: exit status %d, want 1\n%s", c.file, code, p.logs())
		}
		if !strings.Contains(p.logs(), c.want) {
			t.Errorf("%s: output does not say %q:\n%s", c.file, c.want, p.logs())
		}
	}
	if after := dumpTasks(t, path); after != before {
		t.Errorf("a refused import changed the database")
	}
}

// dumpTasks is the whole list of the database at path as a CSV export.
func dumpTasks(t *testing.T, path string) string {
	t.Helper()
	db := openDB(t, path)
	defer db.Close()
	var b bytes.Buffer
	err := db.View(func(tx *store.Tx) error {
		ts, err := tx.Tasks()
		if err != nil {
			return err
		}
		return listfile.WriteCSV(&b, ts)
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDepts_RoleName: `duban depts add` refuses a department named like a
// role, or carrying an invisible character, in Chinese, and adds nothing.
func TestDepts_RoleName(t *testing.T) {
	t.Parallel()
	path := dbPath(t)
	seedPlan(t, path, 2021, nil).Close()
	for _, c := range []struct{ name, want string }{
		{"督办员", "单位不能以角色命名"},
		{"ADMIN", "单位不能以角色命名"},
		{"综合处\u200b", "不可见字符"},
	} {
		p := startProc(t, nil, "depts", "--db", path, "add", c.name)
		if code := p.wait(time.Minute); code != 1 {
			t.Errorf("depts add %q: exit status %d, want 1\n%s", c.name, code, p.logs())
		}
		if !strings.Contains(p.logs(), c.want) {
			t.Errorf("depts add %q: output does not say %q:\n%s", c.name, c.want, p.logs())
		}
	}
	db := openDB(t, path)
	db.View(func(tx *store.Tx) error {
		for _, d := range tx.DepartmentNames() {
			if d == "督办员" || d == "ADMIN" || strings.Contains(d, "\u200b") {
				t.Errorf("department %q was added", d)
			}
		}
		return nil
	})
}
