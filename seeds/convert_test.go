package seeds_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/docx/docxtest"
)

// fakeSoffice writes a stand-in for LibreOffice that "converts" by copying
// a prepared .docx into --outdir, or hangs when hang is set.
func fakeSoffice(t *testing.T, hang bool) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell script stand-in")
	}
	dir := t.TempDir()
	fixture := filepath.Join(dir, "fixture.docx")
	d := &docxtest.Doc{}
	d.P("2020年某局工作要点", 0).NumP(1, 0, "重点任务", 0).NumP(1, 1, "治水。开展河道清淤。", 0)
	if err := os.WriteFile(fixture, d.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	body := "#!/bin/sh\nout=\"\"\nwhile [ $# -gt 0 ]; do case \"$1\" in --outdir) out=\"$2\"; shift;; esac; shift; done\n"
	if hang {
		body += "exec sleep 30\n"
	} else {
		body += "cp '" + fixture + "' \"$out/plan.docx\"\n"
	}
	bin := filepath.Join(dir, "soffice")
	if err := os.WriteFile(bin, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestReadPlanFile_DocViaSoffice(t *testing.T) {
	f, err := seeds.ReadPlanFile("旧版.doc", []byte{0xD0, 0xCF, 0x11, 0xE0}, seeds.FileOptions{Soffice: fakeSoffice(t, false)})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Tasks) != 1 || f.Tasks[0].ID != "1.1.1" || f.Tasks[0].Text != "开展河道清淤。" {
		t.Errorf("tasks:\n%s", summary(f.Tasks))
	}
}

func TestReadPlanFile_SofficeTimeout(t *testing.T) {
	start := time.Now()
	_, err := seeds.ReadPlanFile("旧版.wps", []byte{0xD0, 0xCF}, seeds.FileOptions{Soffice: fakeSoffice(t, true), Timeout: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "超时") || !strings.Contains(err.Error(), ".docx") {
		t.Fatalf("err = %v, want a timeout asking for .docx", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("conversion was not bounded: %s", d)
	}
}
