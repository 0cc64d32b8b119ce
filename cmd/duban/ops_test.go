package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// newTestServer builds a serve instance (not running) against the fake.
func newTestServer(t *testing.T, fake *telegramtest.Server) *server {
	t.Helper()
	c := &serveConfig{common: common{DB: filepath.Join(t.TempDir(), "duban.db"), TZ: "Asia/Shanghai", Lang: "zh"},
		Token: fake.Token, APIURL: fake.URL, Admins: "1", Plan: "bundled", LogFormat: "text", LogLevel: "error",
		Shutdown: time.Second, RateGlobal: 30, RatePerChat: 1, RateGroup: 20}
	if err := c.check(); err != nil {
		t.Fatal(err)
	}
	s, err := newServer(context.Background(), c, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.db.Close() })
	return s
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestOps_Healthz(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	s := newTestServer(t, fake)
	h := s.opsHandler()
	rec := get(t, h, "/healthz")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", rec.Code, rec.Body)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if body["database"] != "ok" || body["healthy"] != true {
		t.Errorf("body = %v", body)
	}
	// A message pending for over 15 minutes makes the bot unhealthy.
	s.db.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(&store.Message{Key: "old", ChatID: 5, Text: "x", Created: time.Now().Add(-time.Hour)})
		return err
	})
	rec = get(t, h, "/healthz")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"outbox_depth":1`) {
		t.Errorf("stale outbox: status %d body %s, want 503 and depth 1", rec.Code, rec.Body)
	}
}

func TestOps_MetricsAndBackup(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	s := newTestServer(t, fake)
	h := s.opsHandler()
	telegram.HandleUpdate(context.Background(), s.app, &models.Update{ID: 7, Message: &models.Message{ID: 1,
		From: &models.User{ID: 1, FirstName: "A"}, Chat: models.Chat{ID: 1, Type: models.ChatTypePrivate}, Text: "/stats"}})
	m := get(t, h, "/metrics").Body.String()
	for _, want := range []string{`duban_updates_total{command="stats",result="ok"} 1`, "duban_handler_seconds_bucket",
		"duban_outbox_depth 1", "duban_messages_sent_total 0", "duban_telegram_429_total 0"} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	s.cfg.BackupToken = "s3cret-token"
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/backup", nil)
	req.Header.Set("Authorization", "Bearer s3cret-token")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
		t.Fatalf("/backup status %d, %d bytes", rec.Code, rec.Body.Len())
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Errorf("backup check: %v", err)
	}
	var n int
	db.View(func(tx *store.Tx) error { n = tx.TaskCount(); return nil })
	if n != 86 {
		t.Errorf("backup has %d tasks, want the bundled plan's 86", n)
	}
}
