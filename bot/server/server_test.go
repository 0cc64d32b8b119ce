package server_test

import (
	"context"
	"errors"
	"github.com/duban-bureau/duban/schedule/outbox"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/server"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

func config(fake *telegramtest.Server, path string) server.Config {
	return server.Config{DB: path, Token: fake.Token, APIURL: fake.URL, Admins: store.Admins{1},
		Remember: true, SentLog: true, Lang: "zh", Loc: time.UTC, Policy: schedule.DefaultPolicy(),
		Limits:   outbox.Limits{Global: 1000, PerChat: 1000, PerGroupPerMinute: 1000},
		Shutdown: 10 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// TestServer_RunAndClose: a duban built by Open learns its name, sets the
// admins' menu, answers an admin's /help through the fake Bot API, and
// stops when its context ends; the admins are stored (Remember).
func TestServer_RunAndClose(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	s, err := server.Open(config(fake, filepath.Join(t.TempDir(), "duban.db")))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()

	admin := telegramtest.User{ID: 1, FirstName: "管理员"}
	fake.SendText(admin, telegramtest.Chat{}, "/help")
	wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	if err := fake.WaitFor(wctx, func(f *telegramtest.Server) bool {
		return f.SentCount(1) >= 1 && len(f.Commands("chat:1")) > 0
	}); err != nil {
		t.Fatalf("no /help reply and admin menu: %v (sent %d)", err, fake.SentCount(1))
	}
	if s.App.BotName != fake.Me().Username {
		t.Errorf("BotName = %q, want getMe's %q", s.App.BotName, fake.Me().Username)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after the context ended", err)
	}
	var admins store.Admins
	s.DB.View(func(tx *store.Tx) error { admins = tx.Admins(); return nil })
	if !admins.Has(1) {
		t.Errorf("stored admins %v, want 1", admins)
	}
	if err := s.DB.Check(); err != nil {
		t.Errorf("db.Check: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// TestServer_OpenFails: a first start that fails (here: filling the empty
// database) leaves no database or sent log behind.
func TestServer_OpenFails(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := filepath.Join(t.TempDir(), "duban.db")
	c := config(fake, path)
	c.Plan = func(*store.Tx) error { return errors.New("no such plan") }
	if _, err := server.Open(c); err == nil || !strings.Contains(err.Error(), "no such plan") {
		t.Fatalf("Open = %v, want the plan's error", err)
	}
	for _, p := range []string{path, path + ".sent"} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind (%v)", p, err)
		}
	}
}

// TestServer_NoTransport: without a token or a transport there is nothing
// to send with, and Open says so.
func TestServer_NoTransport(t *testing.T) {
	_, err := server.Open(server.Config{DB: filepath.Join(t.TempDir(), "duban.db")})
	if err == nil {
		t.Fatal("Open without a token or transport succeeded")
	}
}
