package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
)

// TestOps_BackupNeedsToken: any local user could download the database
// through /backup. Now it needs the bearer token: none configured → 403
// saying how to enable it; missing or wrong → 401; GET only; /healthz and
// /metrics stay open.
func TestOps_BackupNeedsToken(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	s := newTestServer(t, fake)
	h := s.opsHandler()
	do := func(method, path, auth string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := do(http.MethodGet, "/backup", "")
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "--backup-token") ||
		!strings.Contains(rec.Body.String(), "DUBAN_BACKUP_TOKEN") {
		t.Errorf("no token configured: %d %q, want 403 saying how to enable it", rec.Code, rec.Body)
	}
	s.cfg.BackupToken = "tok-123"
	for _, auth := range []string{"", "Bearer", "Bearer tok-12", "Bearer tok-1234", "Basic dG9rLTEyMw==", "tok-123"} {
		if rec := do(http.MethodGet, "/backup", auth); rec.Code != http.StatusUnauthorized || rec.Body.Len() > 200 {
			t.Errorf("Authorization %q: %d (%d bytes), want 401 and no database", auth, rec.Code, rec.Body.Len())
		}
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		if rec := do(m, "/backup", "Bearer tok-123"); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s /backup: %d, want 405", m, rec.Code)
		}
	}
	rec = do(http.MethodGet, "/backup", "Bearer tok-123")
	if rec.Code != http.StatusOK || rec.Body.Len() < 4096 || rec.Header().Get("Content-Length") == "" {
		t.Errorf("right token: %d, %d bytes, want 200 and the database", rec.Code, rec.Body.Len())
	}
	for _, path := range []string{"/healthz", "/metrics"} {
		if rec := do(http.MethodGet, path, ""); rec.Code != http.StatusOK {
			t.Errorf("%s without a token: %d, want 200", path, rec.Code)
		}
	}
}

// TestServe_OpsExposedWarning: an operations listener on a non-loopback
// address logs a warning naming what it exposes; on loopback it does not.
func TestServe_OpsExposedWarning(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	addr := freePort(t)
	port := addr[strings.LastIndex(addr, ":"):]
	p := serve(t, fake, dbPath(t), nil, "--http", "0.0.0.0"+port)
	p.waitLog("polling for updates", 1, 30*time.Second)
	p.stop(30 * time.Second)
	if logs := p.logs(); !strings.Contains(logs, "not on a loopback address") || !strings.Contains(logs, "/metrics") ||
		!strings.Contains(logs, "/backup is disabled") {
		t.Errorf("no warning naming /healthz, /metrics and /backup:\n%s", logs)
	}
	q := serve(t, fake, dbPath(t), nil, "--http", addr)
	q.waitLog("polling for updates", 1, 30*time.Second)
	q.stop(30 * time.Second)
	if strings.Contains(q.logs(), "not on a loopback address") {
		t.Errorf("warning on a loopback listener:\n%s", q.logs())
	}
}

// TestOps_ListenerTimeouts: a client that sends half a request is cut off
// after the read timeout instead of holding the connection for as long as
// it likes (before, the listener had only a header timeout of 10 s and no
// read or write timeout).
func TestOps_ListenerTimeouts(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	s := newTestServer(t, fake)
	s.cfg.BackupToken = "tok-123"
	srv := s.opsServer(200*time.Millisecond, 200*time.Millisecond)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	if s.opsServer(opsReadTimeout, opsWriteTimeout).ReadTimeout == 0 || opsWriteTimeout == 0 {
		t.Fatal("the listener has no timeouts")
	}
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")) // never finished
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadAll(conn); err != nil {
		t.Errorf("a half-sent request was not cut off within 10 s: %v", err)
	}
}
