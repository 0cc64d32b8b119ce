package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// runCmd runs duban in-process and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), env, args)
	return code, out.String()
}

// The dry run of a real plan lists every skipped paragraph with its reason
// and writes the decomposed 任务分解表 as an XLSX; nothing is written.
func TestImport_DryRunPlanToXLSX(t *testing.T) {
	dir := t.TempDir()
	db, xlsx := filepath.Join(dir, "d.db"), filepath.Join(dir, "分解表.xlsx")
	plan := filepath.Join("..", "..", "seeds", "testdata", "real", "gd-zuoxie-2014-gongzuobaogao.txt")
	code, out := runCmd(t, "import", "--db", db, "--dry-run", "-o", xlsx, plan)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{"（2015年）", "[工作回顾，不是任务]", "[结束语] 踏上新征程", "[落款日期] （2014年12月21日）", "试运行"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	f, err := os.Open(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := listfile.Read(f, listfile.XLSX, listfile.Options{Year: 2015})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 98 || rows[0].Task.ID != "2.1.1" {
		t.Errorf("xlsx has %d rows, first %q", len(rows), rows[0].Task.ID)
	}
	wb, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	skipped, err := wb.GetRows("未拆为任务")
	if err != nil || len(skipped) < 5 || skipped[0][1] != "原因" {
		t.Errorf("skipped sheet: %v %v", err, skipped)
	}
	d, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_ = d.View(func(tx *store.Tx) error {
		if ts, _ := tx.Tasks(); len(ts) != 0 {
			t.Errorf("dry run wrote %d tasks", len(ts))
		}
		return nil
	})
}

func TestImport_YearFlagAndError(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.txt")
	if err := os.WriteFile(plan, []byte("某局工作要点\n一、重点任务\n（一）治气。6月底前完成整治。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runCmd(t, "import", "--db", filepath.Join(dir, "d.db"), "--dry-run", plan)
	if code == 0 || !strings.Contains(out, "--year") {
		t.Fatalf("exit %d, want an error naming --year:\n%s", code, out)
	}
	code, out = runCmd(t, "import", "--db", filepath.Join(dir, "d.db"), "--dry-run", "--year", "2023", plan)
	if code != 0 || !strings.Contains(out, "（2023年）") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestDepts_Import(t *testing.T) {
	dir := t.TempDir()
	db, file := filepath.Join(dir, "d.db"), filepath.Join(dir, "depts.txt")
	if err := os.WriteFile(file, []byte("办公室\n基础教育科: 幼儿园\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runCmd(t, "depts", "--db", db, "import", file)
	if code != 0 || !strings.Contains(out, "已导入单位文件") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out = runCmd(t, "depts", "--db", db)
	if code != 0 || !strings.Contains(out, "基础教育科") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
