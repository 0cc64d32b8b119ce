package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBureau_NamedOnceShownInDigestAndExport: the first real plan's
// 落款单位 names the bureau; duban bureau set renames it; the digest's
// title and the exported workbook show it.
func TestBureau_NamedOnceShownInDigestAndExport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "duban.db")
	plan := filepath.Join(dir, "plan.txt")
	doc := "2027年某某市生态环境局工作要点\n\n一、加强大气污染防治\n（一）推进挥发性有机物治理\n1.完成85家企业深度整治。\n\n某某市生态环境局\n2027年3月1日\n"
	if err := os.WriteFile(plan, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "", "--db", path, "import", plan)
	if out := mustRun(t, "", "--db", path, "bureau"); !strings.Contains(out, "某某市生态环境局") {
		t.Errorf("the plan's issuer did not name the bureau:\n%s", out)
	}
	if out := mustRun(t, "", "--db", path, "digest", "--at", "2027-03-08"); !strings.Contains(out, "某某市生态环境局督办周报") {
		t.Errorf("digest title:\n%s", out)
	}
	if _, code := runStdin(t, "", nil, "--db", path, "bureau", "set", " "); code == 0 {
		t.Error("an empty bureau name was accepted")
	}
	mustRun(t, "", "--db", path, "bureau", "set", "大连市生态环境局", "--short", "市生态环境局")
	if out := mustRun(t, "", "--db", path, "digest", "--at", "2027-03-08"); !strings.Contains(out, "市生态环境局督办周报") || strings.Contains(out, "某某") {
		t.Errorf("digest title after bureau set:\n%s", out)
	}
	xlsx := filepath.Join(dir, "list.xlsx")
	mustRun(t, "", "--db", path, "export", "-o", xlsx)
	zr, err := zip.OpenReader(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	found := false
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" && f.Name != "docProps/core.xml" {
			continue
		}
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		found = found || strings.Contains(string(b), "大连市生态环境局责任清单")
	}
	if !found {
		t.Error("the exported workbook does not carry the bureau's name")
	}
	// ... and it still imports as a list.
	if out := mustRun(t, "", "--db", path, "import", xlsx, "--dry-run"); !strings.Contains(out, "未变 1 项") {
		t.Errorf("re-import of the titled export:\n%s", out)
	}
}
