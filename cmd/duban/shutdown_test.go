package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// TestShutdown_SendHanging stops duban with SIGTERM while Telegram holds a
// sendMessage unanswered: it still exits 0 within the shutdown timeout, and
// the message stays pending (not lost, not marked sent), to go out once
// after a restart.
func TestShutdown_SendHanging(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := dbPath(t)
	db := openDB(t, path)
	const chat, key = 500, "shutdown|1"
	err := db.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(&store.Message{Key: key, ChatID: chat, Kind: "notice", Text: "停机测试"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	release := fake.Hang("sendMessage")
	defer release()
	const timeout = 2 * time.Second
	p := serve(t, fake, path, nil, "--plan", "none", "--shutdown-timeout", timeout.String())
	waitFake(t, fake, p, 30*time.Second, "the send to hang", func(s *telegramtest.Server) bool { return s.Hanging() >= 1 })
	start := time.Now()
	p.stop(timeout + 10*time.Second)
	took := time.Since(start)
	t.Logf("exited %v after SIGTERM with a send hanging (shutdown timeout %v)", took.Round(time.Millisecond), timeout)
	if !strings.Contains(p.logs(), "shutdown timeout") {
		t.Errorf("the log does not say the shutdown timed out on the sender:\n%s", p.logs())
	}
	// Releasing the hang lets the fake finish the dead process's request,
	// as Telegram may finish a request whose client died: that is the one
	// in-flight message a crash may duplicate.
	release()

	db = openDB(t, path)
	db.View(func(tx *store.Tx) error {
		m, err := tx.Message(key)
		if err != nil {
			t.Fatalf("the message was lost: %v", err)
		}
		if m.State != store.MessagePending {
			t.Errorf("state %v after an unanswered send, want pending", m.State)
		}
		return nil
	})
	db.Close()
	abandoned := fake.SentCount(chat)

	p = serve(t, fake, path, nil, "--plan", "none")
	waitFake(t, fake, p, 30*time.Second, "the message after the restart", func(s *telegramtest.Server) bool { return s.SentCount(chat) > abandoned })
	p.stop(30 * time.Second)
	if n := fake.SentCount(chat); n < 1 || n > 2 {
		t.Errorf("%d deliveries, want 1, or 2 when the abandoned request also went through", n)
	}
	db = openDB(t, path)
	db.View(func(tx *store.Tx) error {
		if m, err := tx.Message(key); err != nil || m.State != store.MessageSent {
			t.Errorf("after the restart: %v %+v, want sent", err, m)
		}
		return nil
	})
}

// TestShutdown_Idle stops an idle duban: it exits 0 at once, well within
// the shutdown timeout, and leaves the database closed for the tools.
func TestShutdown_Idle(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := dbPath(t)
	p := serve(t, fake, path, nil)
	waitFake(t, fake, p, 30*time.Second, "the long poll", func(s *telegramtest.Server) bool { return s.Polling() })
	start := time.Now()
	p.stop(30 * time.Second)
	took := time.Since(start)
	t.Logf("idle shutdown took %v", took.Round(time.Millisecond))
	if took > 2*time.Second {
		t.Errorf("idle shutdown took %v; nothing was running", took)
	}
	if strings.Contains(p.logs(), "shutdown timeout") {
		t.Errorf("idle shutdown hit the timeout:\n%s", p.logs())
	}
	var out bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	if code := Main(context.Background(), env, []string{"tasks", "--db", path}); code != 0 {
		t.Fatalf("duban tasks after the shutdown: exit %d\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "4.1.3") {
		t.Errorf("duban tasks does not list the plan:\n%s", out.String())
	}
}

// TestShutdown_SecondPoller runs two duban on the same token (different
// databases): Telegram answers 409 to whichever was polling, and each says
// so in one clear log line, not one per retry.
func TestShutdown_SecondPoller(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	a := serve(t, fake, dbPath(t), nil, "--plan", "none")
	b := serve(t, fake, dbPath(t), nil, "--plan", "none")
	conflicts := func(s *telegramtest.Server) int {
		n := 0
		for _, c := range s.Calls("getUpdates") {
			if c.Code == 409 {
				n++
			}
		}
		return n
	}
	// Five 409s between two processes: one of them had at least three.
	waitFake(t, fake, a, 60*time.Second, "five 409 answers", func(s *telegramtest.Server) bool { return conflicts(s) >= 5 })
	a.stop(30 * time.Second)
	b.stop(30 * time.Second)
	const line = "another process is polling"
	na, nb := strings.Count(a.logs(), line), strings.Count(b.logs(), line)
	t.Logf("%d conflicts; lines about another poller: %d and %d", conflicts(fake), na, nb)
	if na > 1 || nb > 1 || na+nb == 0 {
		t.Errorf("want one %q line per process that met a 409, got %d and %d\nA:\n%s\nB:\n%s", line, na, nb, a.logs(), b.logs())
	}
	for _, l := range strings.Split(a.logs()+b.logs(), "\n") {
		if strings.Contains(l, "getUpdates failed") {
			t.Errorf("a 409 also logged as a plain failure: %s", l)
		}
	}
}
