package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/web"
	"github.com/duban-bureau/duban/store"
)

// runDuban runs a subcommand in-process with stdin and returns its exit
// status and output.
func runDuban(t *testing.T, stdin string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	return Main(context.Background(), env, args), out.String()
}

// TestShell_LedgerPrintsLink: the shell answers /ledger with a signed link
// (to --web-url, default localhost:8080) that the stored key verifies.
func TestShell_LedgerPrintsLink(t *testing.T) {
	db := dbPath(t)
	code, out := runDuban(t, "/ledger\n/ledger 执法局\n!quit\n", "shell", "--db", db, "--web-url", "https://duban.example/x/")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	links := regexp.MustCompile(`https://duban\.example/x/l/([A-Za-z0-9_-]+)`).FindAllStringSubmatch(out, -1)
	if len(links) != 2 {
		t.Fatalf("want two links in:\n%s", out)
	}
	d := openDB(t, db)
	var key []byte
	d.View(func(tx *store.Tx) error { key = tx.WebKey(); return nil })
	for i, want := range []string{"", "执法局"} {
		scope, exp, err := web.Verify(key, links[i][1], time.Now())
		if err != nil || scope != want || exp.Before(time.Now().Add(23*time.Hour)) {
			t.Errorf("link %d: scope %q, expiry %v, %v; want %q for 24h", i, scope, exp, err, want)
		}
	}
	d.Close()

	code, out = runDuban(t, "/ledger\n!quit\n", "shell", "--db", db)
	if code != 0 || !strings.Contains(out, "http://localhost:8080/l/") {
		t.Errorf("default --web-url: exit %d:\n%s", code, out)
	}
}

// TestWeb_RotateKey: duban web rotate-key replaces the key, so links made
// before stop verifying.
func TestWeb_RotateKey(t *testing.T) {
	db := dbPath(t)
	code, out := runDuban(t, "/ledger\n!quit\n", "shell", "--db", db)
	if code != 0 {
		t.Fatalf("shell: exit %d:\n%s", code, out)
	}
	token := regexp.MustCompile(`/l/([A-Za-z0-9_-]+)`).FindStringSubmatch(out)[1]
	code, out = runDuban(t, "", "web", "rotate-key", "--db", db)
	if code != 0 || !strings.Contains(out, "失效") {
		t.Fatalf("rotate-key: exit %d: %s", code, out)
	}
	d := openDB(t, db)
	var key []byte
	d.View(func(tx *store.Tx) error { key = tx.WebKey(); return nil })
	d.Close()
	if _, _, err := web.Verify(key, token, time.Now()); err != web.ErrInvalid {
		t.Errorf("a link from before the rotation: %v, want ErrInvalid", err)
	}
	for _, args := range [][]string{{"web"}, {"web", "turn-key"}} {
		if code, out := runDuban(t, "", append(args, "--db", db)...); code != 2 || !strings.Contains(out, "rotate-key") {
			t.Errorf("%v: exit %d, %q; want a usage error naming rotate-key", args, code, out)
		}
	}
}

// TestServe_WebFlags: bad --web settings are refused before anything starts.
func TestServe_WebFlags(t *testing.T) {
	db := dbPath(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--web", "nonsense"}, "--web"},
		{[]string{"--web", ":0", "--web-url", "ftp://x"}, "--web-url"},
		{[]string{"--web", ":0", "--web-link-ttl", "0s"}, "--web-link-ttl"},
	} {
		args := append([]string{"serve", "--token", "1:x", "--db", db, "--http", ""}, c.args...)
		if code, out := runDuban(t, "", args...); code != 2 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, %q; want a usage error naming %s", c.args, code, out, c.want)
		}
	}
}
