package main

import (
	"context"
	"encoding/json"
	"github.com/duban-bureau/duban/schedule/outbox"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot"
	running "github.com/duban-bureau/duban/bot/server"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// TestFaults_OutageThenRecovery answers 502 to getUpdates and sendMessage
// for a while, then makes Telegram unreachable for a while: duban keeps
// running, and once Telegram is back every update injected meanwhile gets
// its reply, once.
func TestFaults_OutageThenRecovery(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	admin := telegramtest.User{ID: 1, FirstName: "管理员"}
	p := serve(t, fake, dbPath(t), nil)
	waitFake(t, fake, p, 30*time.Second, "the long poll", func(s *telegramtest.Server) bool { return s.Polling() })

	ids := []string{"3.1.1", "3.2.1", "4.1.3", "3.1.2"}
	replied := func(n int) func(*telegramtest.Server) bool {
		return func(s *telegramtest.Server) bool { return s.SentCount(1) >= n }
	}

	// Phase 1: Telegram's front end answers 502 Bad Gateway three times to
	// each of getUpdates and sendMessage.
	fake.Fail("getUpdates", 3, 502, "Bad Gateway")
	fake.Fail("sendMessage", 3, 502, "Bad Gateway")
	fake.SendText(admin, telegramtest.Chat{}, "/task "+ids[0]) // the waiting long poll takes it
	waitFake(t, fake, p, 30*time.Second, "the first reply to fail", func(s *telegramtest.Server) bool {
		return len(s.Calls("sendMessage")) >= 1
	})
	fake.SendText(admin, telegramtest.Chat{}, "/task "+ids[1]) // waits out the getUpdates failures
	waitFake(t, fake, p, 60*time.Second, "two replies after the 502s", replied(2))

	// Phase 2: Telegram unreachable (requests hang) while an update comes
	// in, until a send and a poll are both stuck; another update arrives
	// during the outage.
	waitFake(t, fake, p, 30*time.Second, "the long poll", func(s *telegramtest.Server) bool { return s.Polling() })
	fake.SetDown(true)
	fake.SendText(admin, telegramtest.Chat{}, "/task "+ids[2]) // the waiting long poll takes it
	waitFake(t, fake, p, 30*time.Second, "a send and a poll held by the outage", func(s *telegramtest.Server) bool { return s.Hanging() >= 2 })
	fake.SendText(admin, telegramtest.Chat{}, "/task "+ids[3])
	fake.SetDown(false)
	waitFake(t, fake, p, 60*time.Second, "all four replies", replied(4))
	p.stop(30 * time.Second)

	sent := fake.Sent(1)
	if len(sent) != len(ids) {
		t.Errorf("%d messages to the admin, want %d (one per update)", len(sent), len(ids))
	}
	for _, id := range ids {
		n := 0
		for _, m := range sent {
			if strings.Contains(m.Text, id) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("/task %s: %d replies, want 1", id, n)
		}
	}
	var codes []int
	for _, c := range fake.Calls("") {
		if c.Code >= 500 {
			codes = append(codes, c.Code)
		}
	}
	if len(codes) != 6 {
		t.Errorf("%d 5xx answers recorded, want the 6 injected", len(codes))
	}
}

// panicReporter is a schedule.Reporter whose digest panics.
type panicReporter struct{ *schedule.Reporter }

func (panicReporter) Digest(*store.Tx, time.Time) (string, error) { panic("digest exploded") }

// TestFaults_HandlerPanic wires the chat in-process (bot/server, as serve
// does, without the schedule) with a Reporter whose
// Digest panics: /digest gets the apology, the log line names the update,
// and the next command works.
func TestFaults_HandlerPanic(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	loc := time.FixedZone("CST", 8*3600)
	path := dbPath(t)
	seedPlan(t, path, time.Now().Year(), nil).Close()
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	policy := schedule.DefaultPolicy()
	srv, err := running.Open(running.Config{DB: path, Token: fake.Token, APIURL: fake.URL, Admins: store.Admins{1},
		Lang: bot.Lang("zh"), Loc: loc, Policy: policy, Cal: schedule.NewCalendar(), Logger: log, Shutdown: 30 * time.Second,
		Limits: outbox.Limits{Global: 1000, PerChat: 1000, PerGroupPerMinute: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Runner, srv.Menus, srv.App.OnRoleChange = nil, nil, nil
	srv.Poller.Timeout = time.Second
	srv.App.Reporter = panicReporter{srv.App.Reporter.(*schedule.Reporter)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); srv.Run(ctx) }()
	defer func() { cancel(); <-done }()

	admin := telegramtest.User{ID: 1, FirstName: "管理员"}
	apology := bot.Lang("zh").T("internal_error")
	uid := fake.SendText(admin, telegramtest.Chat{}, "/digest")
	wait := func(what string, cond func(*telegramtest.Server) bool) {
		t.Helper()
		wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer wcancel()
		if err := fake.WaitFor(wctx, cond); err != nil {
			t.Fatalf("waiting for %s: %v\nlogs:\n%s", what, err, logs.String())
		}
	}
	wait("the apology", func(s *telegramtest.Server) bool { return repliesTo(s, 1, apology) >= 1 })
	fake.SendText(admin, telegramtest.Chat{}, "/task 4.1.3")
	wait("the next command's reply", func(s *telegramtest.Server) bool { return repliesTo(s, 1, "4.1.3") >= 1 })
	wait("both updates confirmed", func(s *telegramtest.Server) bool { return s.PendingUpdates() == 0 || s.Confirmed(uid+1) })

	if n := repliesTo(fake, 1, apology); n != 1 {
		t.Errorf("%d apologies, want 1", n)
	}
	found := false
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		if rec["msg"] == "handler panic" {
			found = true
			if id, _ := rec["update"].(float64); int64(id) != uid {
				t.Errorf("panic logged with update %v, want %d: %s", rec["update"], uid, line)
			}
			if !strings.Contains(line, "digest exploded") {
				t.Errorf("panic line lacks the panic value: %s", line)
			}
		}
	}
	if !found {
		t.Errorf("no \"handler panic\" line:\n%s", logs.String())
	}
}

// TestFaults_TokenNeverLogged provokes errors with --log-format json (5xx
// answers, a failing getFile, a wrong --api-url path, an unreachable
// --api-url) and checks that every line is JSON and none holds the token.
func TestFaults_TokenNeverLogged(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	admin := telegramtest.User{ID: 1, FirstName: "管理员"}

	p := serve(t, fake, dbPath(t), nil, "--log-format", "json", "--log-level", "debug")
	waitFake(t, fake, p, 30*time.Second, "the long poll", func(s *telegramtest.Server) bool { return s.Polling() })
	fake.Fail("getUpdates", 2, 500, "Internal Server Error")
	fake.Fail("sendMessage", 1, 500, "Internal Server Error")
	fake.Fail("getFile", 1, 500, "Internal Server Error")
	fake.SendDocument(admin, telegramtest.Chat{}, "清单.csv", []byte("编号,任务\n9.9.9,测试\n"))
	waitFake(t, fake, p, 60*time.Second, "the reply after the failures", func(s *telegramtest.Server) bool {
		return s.SentCount(1) >= 1 && len(s.Calls("getFile")) >= 1
	})
	p.waitLog("getUpdates failed", 2, 30*time.Second)
	p.stop(30 * time.Second)

	// A wrong path on the right server: every call is 404, which is what
	// Telegram answers for an unknown token, so serve ends (exit 1) with
	// a message to check the token.
	bad := startProc(t, nil, "serve", "--token", fake.Token, "--api-url", fake.URL+"/wrong/path", "--db", dbPath(t),
		"--http", "", "--log-format", "json", "--plan", "none")
	if code := bad.wait(30 * time.Second); code != 1 || !strings.Contains(bad.logs(), "check the bot token") {
		t.Errorf("404 from getMe: exit %d, want 1 with a message to check the token\n%s", code, bad.logs())
	}

	// Nothing listening: transport errors quote the request URL.
	gone := startProc(t, nil, "serve", "--token", fake.Token, "--api-url", "http://"+unreachable, "--db", dbPath(t),
		"--http", "", "--log-format", "json", "--plan", "none")
	gone.waitLog("getMe failed", 2, 30*time.Second)
	gone.stop(30 * time.Second)

	for name, out := range map[string]string{"5xx": p.logs(), "wrong path": bad.logs(), "unreachable": gone.logs()} {
		lines := strings.Split(strings.TrimSpace(out), "\n")
		for _, line := range lines {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Errorf("%s: log line is not JSON: %q", name, line)
			}
			if strings.Contains(line, fake.Token) {
				t.Errorf("%s: the token is in the log: %s", name, line)
			}
			if i := strings.Index(fake.Token, ":"); i > 0 && strings.Contains(line, fake.Token[i+1:]) {
				t.Errorf("%s: the token's secret part is in the log: %s", name, line)
			}
		}
		t.Logf("%s: %d log lines, token-free", name, len(lines))
	}
	if !strings.Contains(p.logs(), "download document") {
		t.Errorf("the getFile failure was not logged:\n%s", p.logs())
	}
}

// TestFaults_GetMeAtStart starts duban while getMe hangs and then fails
// once: the sender already delivers the queued outbox meanwhile, intake
// waits, getMe is retried until it answers, and with the bot's name known
// a command addressed to another bot is not taken as ours.
func TestFaults_GetMeAtStart(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := dbPath(t)
	db := seedPlan(t, path, time.Now().Year(), nil)
	err := db.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(&store.Message{Key: "queued|1", ChatID: 700, Kind: "notice", Text: "启动前排队的消息"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	fake.Fail("getMe", 1, 502, "Bad Gateway")
	release := fake.Hang("getMe")
	defer release()
	p := serve(t, fake, path, nil)
	waitFake(t, fake, p, 30*time.Second, "the queued message while getMe hangs", func(s *telegramtest.Server) bool {
		return s.SentCount(700) == 1 && s.Hanging() == 1
	})
	if n := len(fake.Calls("getUpdates")); n != 0 {
		t.Errorf("%d getUpdates before the bot knew its name", n)
	}
	release()
	p.waitLog("connected", 1, 30*time.Second)
	if n := len(fake.Calls("getMe")); n < 2 {
		t.Errorf("getMe called %d times, want a retry after the 502", n)
	}
	admin := telegramtest.User{ID: 1, FirstName: "管理员"}
	other := fake.SendText(admin, telegramtest.Chat{}, "/task@some_other_bot 4.1.3")
	fake.SendText(admin, telegramtest.Chat{}, "/task@"+fake.Me().Username+" 3.1.1")
	waitFake(t, fake, p, 30*time.Second, "the reply to /task@duban", func(s *telegramtest.Server) bool {
		return repliesTo(s, 1, "3.1.1") >= 1 && s.Confirmed(other+1)
	})
	p.stop(30 * time.Second)
	if n := repliesTo(fake, 1, "完成85家挥发性有机物重点行业企业深度整治"); n != 0 {
		t.Errorf("/task@some_other_bot answered as ours: %v", fake.Sent(1))
	}
}
