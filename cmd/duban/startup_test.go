package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/bot/telegramtest"
)

// TestServe_RefusedAtStart: settings that cannot work are refused before
// anything is created: a malformed token (without quoting it), an http://
// webhook URL, a webhook secret Telegram would refuse, a missing --plan
// file (no new database left behind).
func TestServe_RefusedAtStart(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "new.db")
	base := []string{"serve", "--api-url", fake.URL, "--db", db, "--http", ""}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"token without secret", []string{"--token", "abcdefghijk"}, "数字:密钥"},
		{"token with a space", []string{"--token", "123 456:abcdefgh"}, "数字:密钥"},
		{"http webhook", []string{"--token", fake.Token, "--webhook-url", "http://bot.example.test/hook", "--webhook-secret", "abc"}, "https"},
		{"webhook secret", []string{"--token", fake.Token, "--webhook-url", "https://bot.example.test/hook", "--webhook-secret", "not ok!"}, "A-Z a-z 0-9 _ -"},
		{"missing plan", []string{"--token", fake.Token, "--plan", filepath.Join(dir, "nosuch.txt")}, "nosuch.txt"},
	}
	for _, c := range cases {
		p := startProc(t, nil, append(base, c.args...)...)
		code := p.wait(30 * time.Second)
		if code != 2 || !strings.Contains(p.logs(), c.want) {
			t.Errorf("%s: exit %d, want 2 and %q:\n%s", c.name, code, c.want, p.logs())
		}
		if strings.Contains(p.logs(), "abcdefghijk") {
			t.Errorf("%s: the error quotes the token: %s", c.name, p.logs())
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%s: left %s behind", c.name, db)
		}
	}
	// A plan that exists but does not parse: the start fails later, and
	// the database it created goes again.
	bad := filepath.Join(dir, "bad.xlsx")
	os.WriteFile(bad, []byte("not a workbook"), 0o600)
	p := startProc(t, nil, append(base, "--token", fake.Token, "--plan", bad)...)
	if code := p.wait(30 * time.Second); code != 1 {
		t.Errorf("unparsable plan: exit %d, want 1:\n%s", code, p.logs())
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("unparsable plan left %s behind", db)
	}
}

// TestServe_TokenRejected: Telegram answering 401 (revoked) to getMe, or
// to getUpdates while running, ends serve with exit status 1 and a message
// to check the token, instead of retrying forever while healthy.
func TestServe_TokenRejected(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer(telegramtest.WithToken("7000000002:AAOtherTokenOtherBotOtherBot"))
	defer fake.Close()
	p := startProc(t, nil, "serve", "--token", telegramtest.DefaultToken, "--api-url", fake.URL, "--db", dbPath(t), "--http", "", "--plan", "none")
	if code := p.wait(30 * time.Second); code != 1 || !strings.Contains(p.logs(), "DUBAN_TELEGRAM_TOKEN") {
		t.Errorf("401 from getMe: exit %d, want 1 and a message to check the token:\n%s", code, p.logs())
	}

	fake2 := telegramtest.NewServer()
	defer fake2.Close()
	q := serve(t, fake2, dbPath(t), nil, "--plan", "none")
	waitFake(t, fake2, q, 30*time.Second, "the long poll", func(s *telegramtest.Server) bool { return s.Polling() })
	fake2.Fail("getUpdates", 1, 401, "Unauthorized")
	fake2.SendText(telegramtest.User{ID: 1, FirstName: "管理员"}, telegramtest.Chat{}, "/help") // ends the waiting poll; the next one gets the 401
	if code := q.wait(30 * time.Second); code != 1 || !strings.Contains(q.logs(), "check the bot token") {
		t.Errorf("401 from getUpdates: exit %d, want 1 and a message to check the token:\n%s", code, q.logs())
	}
}

// TestServe_TokenRedacted: a token from an env file with a Windows line
// ending (\r) is trimmed and works; with Telegram unreachable every error
// quotes request URLs, and no line of output, text or JSON, holds either
// half of the token in any encoding.
func TestServe_TokenRedacted(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	tok := fake.Token
	p := serve(t, fake, dbPath(t), []string{"DUBAN_TELEGRAM_TOKEN=" + tok + "\r"}, "--token", tok+"\r", "--log-level", "debug")
	waitFake(t, fake, p, 30*time.Second, "the long poll", func(s *telegramtest.Server) bool { return s.Polling() })
	p.stop(30 * time.Second)
	outs := map[string]string{"trimmed": p.logs()}
	for _, format := range []string{"text", "json"} {
		gone := startProc(t, []string{"DUBAN_TELEGRAM_TOKEN=" + tok + "\r"}, "serve", "--api-url", "http://"+unreachable,
			"--db", dbPath(t), "--http", "", "--log-format", format, "--plan", "none")
		gone.waitLog("getMe failed", 2, 30*time.Second)
		gone.stop(30 * time.Second)
		outs["unreachable "+format] = gone.logs()
	}
	id, secret, _ := strings.Cut(tok, ":")
	for name, out := range outs {
		for _, half := range []string{id, secret, secret[:12]} {
			if strings.Contains(out, half) {
				t.Errorf("%s: output holds %q:\n%s", name, half, out)
			}
		}
	}
}

// TestRedact covers the encodings a token takes in error texts.
func TestRedact(t *testing.T) {
	tok := "123456789:AAH-secret_Part0123456789"
	raw := tok + "\r"
	for _, s := range []string{
		"Post \"https://api.telegram.org/bot" + tok + "/getMe\": EOF",
		"Post \"https://api.telegram.org/bot123456789:AAH-secret_Part0123456789%0D/getMe\": EOF",
		"Post \"https://api.telegram.org/bot123456789%3AAAH-secret_Part0123456789%0d/getMe\": EOF",
		"token \"123456789:AAH-secret_Part0123456789\\r\"",
		`{"token":"123456789:AAH-secret_Part0123456789\r"}`,
		"only the secret AAH-secret_Part0123456789 here",
	} {
		got := telegram.Redact(telegram.Redact(s, raw), tok)
		if strings.Contains(got, "secret_Part") {
			t.Errorf("Redact(%q) = %q", s, got)
		}
	}
}

// TestOps_HealthzTelegramSilence: no successful Bot API call since start,
// or none for longer than the threshold, makes /healthz unhealthy and
// says so; the age of the last success is reported.
func TestOps_HealthzTelegramSilence(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	s := newTestServer(t, fake)
	h := s.opsHandler()
	s.health.apiSilence = time.Minute
	s.health.started = time.Now().Add(-2 * time.Minute)
	rec := get(t, h, "/healthz")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "no successful Bot API call since start") {
		t.Errorf("never a success in 2 min: %d %s, want 503 saying why", rec.Code, rec.Body)
	}
	s.health.observe(s.metrics)("getUpdates", nil)
	rec = get(t, h, "/healthz")
	var body map[string]any
	json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != http.StatusOK || body["last_api_success_age_seconds"] != float64(0) {
		t.Errorf("after a success: %d %s, want 200 and age 0", rec.Code, rec.Body)
	}
	s.health.mu.Lock()
	s.health.lastOK = time.Now().Add(-90 * time.Second)
	s.health.mu.Unlock()
	rec = get(t, h, "/healthz")
	if rec.Code != http.StatusServiceUnavailable || !bytes.Contains(rec.Body.Bytes(), []byte(`"last_api_success_age_seconds":90`)) {
		t.Errorf("90 s of silence: %d %s, want 503 and the age", rec.Code, rec.Body)
	}
}

// TestBackup_OntoLiveFile: duban backup -o naming the database itself (by
// the same or another path, or a link to it) is refused and the database
// is untouched.
func TestBackup_OntoLiveFile(t *testing.T) {
	t.Parallel()
	path, before := goodDB(t)
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{path, link, rel, filepath.Join(filepath.Dir(path), ".", filepath.Base(path))} {
		p := startProc(t, nil, "backup", "--db", path, "-o", out)
		if code := p.wait(30 * time.Second); code == 0 || !strings.Contains(p.logs(), "数据库本身") {
			t.Errorf("backup -o %s: exit %d, want a refusal:\n%s", out, code, p.logs())
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Errorf("the database changed")
	}
	p := startProc(t, nil, "backup", "--db", path, "-o", filepath.Join(t.TempDir(), "copy.db"))
	if code := p.wait(30 * time.Second); code != 0 {
		t.Errorf("a real backup failed: %d\n%s", code, p.logs())
	}
}

// TestWebhook_TokenRevoked: in webhook mode only sends reach Telegram; a
// 401 on one (the token was revoked while running) ends serve with exit
// status 1 and a message to check the token, instead of retrying the send
// forever.
func TestWebhook_TokenRevoked(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	addr, secret := freePort(t), "revoked_token-test"
	p := serve(t, fake, dbPath(t), nil, "--webhook-url", "https://duban.example.test/hook", "--webhook-listen", addr, "--webhook-secret", secret)
	waitFake(t, fake, p, 30*time.Second, "setWebhook", func(s *telegramtest.Server) bool { return len(s.Calls("setWebhook")) >= 1 })
	fake.Fail("sendMessage", 1, 401, "Unauthorized")
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/hook", bytes.NewReader(updateJSON(t, 7, "/help")))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code := p.wait(30 * time.Second); code != 1 || !strings.Contains(p.logs(), "check the bot token") {
		t.Errorf("401 on a send: exit %d, want 1 and a message to check the token:\n%s", code, p.logs())
	}
}

// TestServe_HealthzCountsGetMe: the getMe at start is a successful Bot API
// call. /healthz said "last_api_success_age_seconds": null (and the
// metrics had no getMe) until the first long poll returned, up to a
// minute after a healthy start.
func TestServe_HealthzCountsGetMe(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	addr := freePort(t)
	p := serve(t, fake, dbPath(t), nil, "--http", addr)
	p.waitLog("polling for updates", 1, 30*time.Second)
	code, body := healthz(t, addr)
	var h map[string]any
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		t.Fatalf("/healthz: %v: %s", err, body)
	}
	if code != http.StatusOK || h["last_api_success_age_seconds"] == nil {
		t.Errorf("/healthz after a successful getMe: %d %s, want 200 and an age", code, body)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if !strings.Contains(b.String(), `duban_bot_api_calls_total{method="getMe",outcome="ok"} 1`) {
		t.Errorf("/metrics does not count the getMe:\n%s", grepLines(b.String(), "duban_bot_api_calls_total"))
	}
	p.stop(30 * time.Second)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestServe_RatesAndEnvNumbers: --rate-global Inf crashed serve with a
// makeslice panic and a stack trace, NaN was taken, a huge rate tried to
// allocate gigabytes; an unreadable number in the environment
// (DUBAN_RATE_GLOBAL=abc, DUBAN_SEND_WINDOW=16x, DUBAN_SHUTDOWN_TIMEOUT=10)
// was silently replaced by the default. Each is now refused at start with
// exit 2, naming the setting, and nothing is created.
func TestServe_RatesAndEnvNumbers(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "new.db")
	base := []string{"serve", "--token", fake.Token, "--api-url", fake.URL, "--db", db, "--http", ""}
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"rate Inf", nil, []string{"--rate-global", "Inf"}, "--rate-global"},
		{"rate NaN", nil, []string{"--rate-chat", "NaN"}, "--rate-chat"},
		{"rate huge", nil, []string{"--rate-global", "1e9"}, "--rate-global"},
		{"group rate Inf", nil, []string{"--rate-group", "+Inf"}, "--rate-group"},
		{"env rate", []string{"DUBAN_RATE_GLOBAL=abc"}, nil, "DUBAN_RATE_GLOBAL"},
		{"env window", []string{"DUBAN_SEND_WINDOW=16x"}, nil, "DUBAN_SEND_WINDOW"},
		{"env window fraction", []string{"DUBAN_SEND_WINDOW=2.5"}, nil, "DUBAN_SEND_WINDOW"},
		{"env timeout", []string{"DUBAN_SHUTDOWN_TIMEOUT=10"}, nil, "DUBAN_SHUTDOWN_TIMEOUT"},
		{"env link ttl", []string{"DUBAN_WEB_LINK_TTL=1 day"}, nil, "DUBAN_WEB_LINK_TTL"},
	}
	for _, c := range cases {
		p := startProc(t, c.env, append(base, c.args...)...)
		code := p.wait(30 * time.Second)
		if code != 2 || !strings.Contains(p.logs(), c.want) || strings.Contains(p.logs(), "goroutine") {
			t.Errorf("%s: exit %d, want 2 naming %q:\n%s", c.name, code, c.want, p.logs())
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%s: left %s behind", c.name, db)
		}
	}
}
