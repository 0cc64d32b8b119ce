package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `duban serve` in-process against the fake Bot API and
// returns a stop function that cancels it and returns its exit status.
func startServe(t *testing.T, fake *telegramtest.Server, db string, extra ...string) (*syncBuffer, func() int) {
	t.Helper()
	out := &syncBuffer{}
	env := &Env{Stdout: out, Stderr: out, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	args := append([]string{"serve", "--token", fake.Token, "--api-url", fake.URL, "--db", db, "--http", "", "--admin", "1"}, extra...)
	done := make(chan int, 1)
	go func() { done <- Main(ctx, env, args) }()
	return out, func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop")
			return -1
		}
	}
}

func TestServe_AnswersAndStops(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	db := filepath.Join(t.TempDir(), "duban.db")
	logs, stop := startServe(t, fake, db)
	admin := telegramtest.User{ID: 1, FirstName: "管理员"}
	fake.SendText(admin, telegramtest.Chat{}, "/task 4.1.3")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := fake.WaitFor(ctx, func(s *telegramtest.Server) bool { return len(s.Sent(1)) >= 1 })
	if err != nil {
		t.Fatalf("no reply: %v\nlogs:\n%s", err, logs.String())
	}
	got := fake.Sent(1)[0].Text
	if !strings.Contains(got, "完成85家挥发性有机物重点行业企业深度整治") {
		t.Errorf("reply = %q, want the task text", got)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit status %d, want 0\nlogs:\n%s", code, logs.String())
	}
	if strings.Contains(logs.String(), fake.Token) {
		t.Errorf("token in logs")
	}
	if !strings.Contains(logs.String(), "bundled plan") {
		t.Errorf("log does not say the bundled plan was loaded:\n%s", logs.String())
	}
}

func TestServe_NoToken(t *testing.T) {
	out := &syncBuffer{}
	env := &Env{Stdout: out, Stderr: out, Getenv: func(string) string { return "" }}
	if code := Main(context.Background(), env, []string{"serve", "--db", filepath.Join(t.TempDir(), "x.db")}); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(out.String(), "BotFather") || strings.Count(strings.TrimSpace(out.String()), "\n") != 0 {
		t.Errorf("want one line naming BotFather, got %q", out.String())
	}
}

// TestServe_CommandMenus: strangers see /start and /help; a user who
// registers through an invite gets the contact menu in their chat at once.
func TestServe_CommandMenus(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	logs, stop := startServe(t, fake, filepath.Join(t.TempDir(), "duban.db"))
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	names := func(scope string) string {
		var out []string
		for _, c := range fake.Commands(scope) {
			out = append(out, c.Command)
		}
		return strings.Join(out, " ")
	}
	if err := fake.WaitFor(ctx, func(s *telegramtest.Server) bool { return names("all_private_chats") != "" && names("chat:1") != "" }); err != nil {
		t.Fatalf("menus not set: %v\n%s", err, logs.String())
	}
	if got := names("all_private_chats"); got != "start help" {
		t.Errorf("strangers' menu = %q, want start help", got)
	}
	if got := names("chat:1"); !strings.Contains(got, "coordinator") {
		t.Errorf("admin's menu = %q, want it to include coordinator", got)
	}
	fake.SendText(telegramtest.User{ID: 1, FirstName: "管理员"}, telegramtest.Chat{}, "/invite 大气环境与应对气候变化处")
	if err := fake.WaitFor(ctx, func(s *telegramtest.Server) bool { return len(s.Sent(1)) >= 1 }); err != nil {
		t.Fatal(err)
	}
	link := fake.Sent(1)[0].Text
	token := link[strings.LastIndex(link, "start=")+len("start="):]
	fake.SendText(telegramtest.User{ID: 77, FirstName: "联络员"}, telegramtest.Chat{}, "/start "+strings.TrimSpace(token))
	err := fake.WaitFor(ctx, func(s *telegramtest.Server) bool { return strings.Contains(names("chat:77"), "my") })
	if err != nil {
		t.Fatalf("the new contact's menu was not set: %v (scopes %v)", err, fake.CommandScopes())
	}
	if got := names("chat:77"); strings.Contains(got, "assign") {
		t.Errorf("contact's menu = %q: coordinator commands leak into it", got)
	}
}
