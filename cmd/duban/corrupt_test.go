package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
)

// goodDB writes a database with the bundled plan and returns its path and
// bytes.
func goodDB(t *testing.T) (string, []byte) {
	t.Helper()
	path := dbPath(t)
	db := seedPlan(t, path, 2021, nil)
	db.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, b
}

// TestCLI_DamagedDatabase: a flipped page header, a truncated file, an
// empty file and a file that is not a database. Before, export, tasks and
// serve crashed with a bbolt panic and a stack trace, and serve loaded the
// demo plan into the empty file. Now each is one line naming the file and
// what to do, exit status 1, and the file is left untouched.
func TestCLI_DamagedDatabase(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	_, good := goodDB(t)
	const page = 4096
	flipped := bytes.Clone(good)
	for off := 2 * page; off+16 <= len(flipped); off += page {
		flipped[off+8], flipped[off+9] = 0xA5, 0x5A // page flags
	}
	cases := map[string][]byte{
		"flipped":   flipped,
		"truncated": good[:len(good)/2],
		"empty":     {},
		"text":      []byte("这不是数据库\nthis is not a database, it is a note\n"),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), name+".db")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			runs := [][]string{
				{"tasks", "--db", path},
				{"export", "--db", path, "-o", filepath.Join(t.TempDir(), "out.csv")},
				{"check", "--db", path},
				{"serve", "--token", fake.Token, "--api-url", fake.URL, "--db", path, "--http", "", "--admin", "1"},
			}
			for _, args := range runs {
				p := startProc(t, nil, args...)
				code := p.wait(60 * time.Second)
				out := p.logs()
				if code != 1 {
					t.Errorf("%s: exit %d, want 1\n%s", args[0], code, out)
				}
				for _, bad := range []string{"goroutine ", "panic:", ".go:"} {
					if strings.Contains(out, bad) {
						t.Errorf("%s: output has a stack trace (%q):\n%s", args[0], bad, out)
					}
				}
				if !strings.Contains(out, path) || !strings.Contains(out, "备份") || !strings.Contains(out, "duban check") {
					t.Errorf("%s: output does not name the file and what to do:\n%s", args[0], out)
				}
				if lines := strings.Count(strings.TrimSpace(out), "\n") + 1; lines > 2 {
					t.Errorf("%s: %d lines of output, want one error line:\n%s", args[0], lines, out)
				}
			}
			after, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(after, data) {
				t.Errorf("the file was changed (%d bytes, was %d): %v", len(after), len(data), err)
			}
		})
	}
}

// TestCLI_Check: duban check passes a good file.
func TestCLI_Check(t *testing.T) {
	t.Parallel()
	path, _ := goodDB(t)
	p := startProc(t, nil, "check", "--db", path)
	if code := p.wait(30 * time.Second); code != 0 || !strings.Contains(p.logs(), "完好") || !strings.Contains(p.logs(), "86 项任务") {
		t.Errorf("check of a good file: exit %d\n%s", code, p.logs())
	}
}

// TestReadCommands_MissingDB: the commands that only read, given a --db
// that does not exist (a typo), created an empty database there and
// answered with an empty list and exit 0: `duban export --db typo.db`
// wrote a CSV with no tasks, taken for the real list. Now they fail with
// one line naming the file, and create nothing.
func TestReadCommands_MissingDB(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "typo.db")
	for _, args := range [][]string{{"tasks"}, {"export"}, {"export", "-o", filepath.Join(t.TempDir(), "x.xlsx")},
		{"digest", "--at", "2026-12-17"}, {"reminders", "--at", "2026-12-17"}} {
		p := startProc(t, nil, append(args, "--db", db)...)
		code := p.wait(30 * time.Second)
		if code != 1 || !strings.Contains(p.logs(), "typo.db 不存在") {
			t.Errorf("%v on a missing --db: exit %d, want 1 and the file named:\n%s", args, code, p.logs())
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%v created %s", args, db)
		}
	}
}
