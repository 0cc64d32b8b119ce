package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runStdin runs the duban child with stdin and extra environment, and
// returns its output and exit status.
func runStdin(t *testing.T, stdin string, env []string, args ...string) (string, int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DUBAN_") && !strings.HasPrefix(kv, "TMPDIR=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, asMainEnv+"=1"), env...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// TestShell_ExportPrivate: the shell's /export wrote the workbook to
// $TMPDIR/<name> with os.WriteFile, following a symlink another local user
// planted there. Now it goes into a fresh private directory, created with
// O_EXCL, and the planted link's target is untouched.
func TestShell_ExportPrivate(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim.txt")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, d := range []int{-1, 0, 1} {
		name := "责任清单-" + time.Now().In(sh).AddDate(0, 0, d).Format("20060102") + ".xlsx"
		if err := os.Symlink(victim, filepath.Join(tmp, name)); err != nil {
			t.Fatal(err)
		}
	}
	path := dbPath(t)
	seedPlan(t, path, 2021, nil).Close()
	out, code := runStdin(t, "/export\n", []string{"TMPDIR=" + tmp}, "shell", "--as", "1", "--db", path)
	if code != 0 {
		t.Fatalf("shell exit %d:\n%s", code, out)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Errorf("the export was written through the planted symlink")
	}
	m := regexp.MustCompile(`📎 (\S+\.xlsx)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no exported file in the output:\n%s", out)
	}
	dir := filepath.Dir(m[1])
	if dir == tmp || filepath.Dir(dir) != tmp {
		t.Errorf("export written to %s, want a fresh directory inside %s", m[1], tmp)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("export directory %s: %v %v, want mode 0700", dir, fi.Mode(), err)
	}
	if fi, err := os.Lstat(m[1]); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 || fi.Size() < 1000 {
		t.Errorf("export file %s: %v %v, want a private regular file", m[1], fi, err)
	}
}
