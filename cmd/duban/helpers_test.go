package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// The robustness tests run duban as a real process, so they can kill it
// with SIGKILL, stop it with SIGTERM and watch its exit status. Rather than
// building the binary, the test binary re-executes itself: with
// asMainEnv set, TestMain runs main() instead of the tests. Under -race the
// child is race-built for free.
const asMainEnv = "DUBAN_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// proc is one running duban child process.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	out  *logBuffer // stdout and stderr together
	done chan struct{}
	code int // exit status once done; -1 when killed by a signal
}

// startProc starts the duban child with args and extra environment
// variables. The caller's DUBAN_* variables are not passed on. The child is
// killed when the test ends if it is still running.
func startProc(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DUBAN_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, asMainEnv+"=1")
	cmd.Env = append(cmd.Env, env...)
	p := &proc{t: t, cmd: cmd, out: newLogBuffer(), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := cmd.Wait()
		p.code = 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			p.code = ee.ExitCode()
		} else if err != nil {
			p.code = -2
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// serve starts `duban serve` against the fake with the database db, admin
// 1, no operations listener and send rates high enough not to slow tests.
func serve(t *testing.T, fake *telegramtest.Server, db string, env []string, extra ...string) *proc {
	t.Helper()
	args := []string{"serve", "--token", fake.Token, "--api-url", fake.URL, "--db", db, "--http", "",
		"--admin", "1", "--rate-global", "1000", "--rate-chat", "1000", "--shutdown-timeout", "3s"}
	return startProc(t, env, append(args, extra...)...)
}

// wait waits for the process to exit and returns its status; the test
// fails if that takes longer than d.
func (p *proc) wait(d time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(d):
		p.t.Fatalf("duban did not exit within %v\nlogs:\n%s", d, p.out.String())
		return 0
	}
}

// stop sends SIGTERM and requires a clean exit within d.
func (p *proc) stop(d time.Duration) {
	p.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(d); code != 0 {
		p.t.Fatalf("exit status %d after SIGTERM, want 0\nlogs:\n%s", code, p.out.String())
	}
}

// kill is a power cut: SIGKILL, then wait for the process to be gone.
func (p *proc) kill() {
	p.t.Helper()
	p.cmd.Process.Kill()
	p.wait(30 * time.Second)
}

func (p *proc) logs() string { return p.out.String() }

// waitLog waits until the child's output contains want at least n times,
// failing the test after d or when the child exits first.
func (p *proc) waitLog(want string, n int, d time.Duration) {
	p.t.Helper()
	timeout := time.After(d)
	for {
		ch := p.out.notify()
		if strings.Count(p.out.String(), want) >= n {
			return
		}
		select {
		case <-ch:
		case <-p.done:
			if strings.Count(p.out.String(), want) >= n {
				return
			}
			p.t.Fatalf("duban exited (%d) before logging %q %d times\nlogs:\n%s", p.code, want, n, p.out.String())
		case <-timeout:
			p.t.Fatalf("duban did not log %q %d times within %v\nlogs:\n%s", want, n, d, p.out.String())
		}
	}
}

// logBuffer collects a child's output and tells waiters when it grows.
type logBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func newLogBuffer() *logBuffer { return &logBuffer{changed: make(chan struct{})} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.changed)
	l.changed = make(chan struct{})
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) notify() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.changed
}

// waitFake waits until cond holds on the fake, failing the test with the
// child's logs after d or as soon as the child exits unexpectedly.
func waitFake(t *testing.T, fake *telegramtest.Server, p *proc, d time.Duration, what string, cond func(*telegramtest.Server) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if p != nil {
		go func() {
			select {
			case <-p.done:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	if err := fake.WaitFor(ctx, cond); err != nil {
		if cond(fake) {
			return // the process exited right after doing it
		}
		logs := ""
		if p != nil {
			logs = p.logs()
		}
		t.Fatalf("waiting for %s: %v\nlogs:\n%s", what, err, logs)
	}
}

// openDB opens a database no process holds, checking and closing it when
// the test ends (storetest.OpenPath).
func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	return storetest.OpenPath(t, path, store.Options{Timeout: 5 * time.Second})
}

// seedPlan fills a new database at path with the departments and the
// bundled plan moved to year, the way serve does on first start, and
// returns it open. now is the database clock (nil = time.Now).
func seedPlan(t *testing.T, path string, year int, now func() time.Time) *store.DB {
	t.Helper()
	db := storetest.OpenPath(t, path, store.Options{Timeout: 5 * time.Second, Now: now})
	err := db.Update(func(tx *store.Tx) error {
		if err := seedDepartments(tx); err != nil {
			return err
		}
		l, err := intake.Read(tx, seeds.BundledName, seeds.Bundled(), intake.Options{MoveTo: year})
		if err != nil {
			return err
		}
		_, err = l.Apply(tx, intake.ApplyOptions{By: store.Actor{Via: "system", Name: "test"}, Note: "test"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// unreachable is an address nothing listens on: port 1 is privileged and
// unused, so a connection is refused at once. A port freePort found free
// can be taken by another test's fake before the child dials it (the
// "unreachable" API then answered getMe and the poll got 409 Conflict).
const unreachable = "127.0.0.1:1"

// freePort returns a TCP address on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// dbPath is a database file in the test's own directory.
func dbPath(t *testing.T) string { return filepath.Join(t.TempDir(), "duban.db") }

// repliesTo counts the bot's messages to chat that contain want.
func repliesTo(fake *telegramtest.Server, chat int64, want string) int {
	n := 0
	for _, m := range fake.Sent(chat) {
		if strings.Contains(m.Text, want) {
			n++
		}
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// progressOnce checks, inside tx, that task 4.1.3 stands at 60% with exactly
// one progress entry in its history: the /progress update applied once.
func progressOnce(t *testing.T, tx *store.Tx) {
	t.Helper()
	task, err := tx.Task("4.1.3")
	if err != nil {
		t.Fatal(err)
	}
	if task.Progress != 60 {
		t.Errorf("progress %d%%, want 60%%", task.Progress)
	}
	hist, _ := tx.History("4.1.3")
	var kinds []string
	n := 0
	for _, u := range hist {
		kinds = append(kinds, u.Kind)
		if u.Kind == "progress" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d progress entries in the history (%s), want 1", n, strings.Join(kinds, ","))
	}
}
