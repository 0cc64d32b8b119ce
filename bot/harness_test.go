package bot_test

import (
	"context"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/server"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// The people of the conversations. Department A owns 4.1.3 in the bundled
// plan; B is any other department.
const (
	deptA = "大气环境与应对气候变化处"
	deptB = "水生态环境处"
)

var (
	shanghai, _ = time.LoadLocation("Asia/Shanghai")
	// start is the pinned instant of every conversation: mid-June of the
	// bundled 2021 plan, with some tasks overdue and many due soon.
	start = time.Date(2021, 6, 15, 10, 0, 0, 0, shanghai)

	adminU    = telegramtest.User{ID: 1001, FirstName: "管理员"}
	coordU    = telegramtest.User{ID: 1002, FirstName: "督办", LastName: "员"}
	contactA  = telegramtest.User{ID: 1003, FirstName: "大气", LastName: "联络员", Username: "air"}
	contactB  = telegramtest.User{ID: 1004, FirstName: "水", LastName: "联络员"}
	strangerU = telegramtest.User{ID: 1005, FirstName: "路人"}
	newcomerU = telegramtest.User{ID: 1006, FirstName: "新", LastName: "联络员"}
)

// harness is the real chat wired to the fake Bot API by bot/server, as
// duban serve is: the store, the App with its Reporter, the Sender
// delivering the outbox through the Telegram client, and the Poller
// feeding updates to App.HandleRequests (no schedule, no menus).
type harness struct {
	t     *testing.T
	fake  *telegramtest.Server
	db    *store.DB
	app   *bot.App
	clock *storetest.Clock

	mu      sync.Mutex
	handled map[string]bool // "u<update_id>" and "cb<callback_id>" once handled
	poke    chan struct{}   // closed and replaced when handled or a send committed
}

// harnessOpt changes the App before it starts (language, …).
type harnessOpt func(*bot.App)

func withLang(l bot.Lang) harnessOpt { return func(a *bot.App) { a.Lang = l } }

// newHarness starts the chat with the bundled 2021 plan imported, an admin
// (adminU), a registered coordinator (coordU) and one contact in each of
// deptA and deptB. Cleanup stops everything, checks every message was
// accepted by the fake, and verifies the database pages.
func newHarness(t *testing.T, opts ...harnessOpt) *harness {
	t.Helper()
	h := &harness{t: t, clock: storetest.NewClock(start), handled: map[string]bool{}, poke: make(chan struct{})}
	h.fake = telegramtest.NewServer()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	me := h.fake.Me()
	srv, err := server.Open(server.Config{DB: filepath.Join(t.TempDir(), "duban.db"), Now: h.clock.Now,
		Token: h.fake.Token, APIURL: h.fake.URL, Admins: store.Admins{adminU.ID}, Lang: "zh", Loc: shanghai,
		Policy: schedule.DefaultPolicy(), Cal: schedule.NewCalendar(), Logger: logger, Shutdown: 30 * time.Second,
		Limits: outbox.Limits{Global: -1, PerChat: -1, PerGroupPerMinute: -1},
		Hooks: outbox.SendHooks{
			OnSent:   func(*store.Message, time.Duration) { h.signal("") },
			OnFailed: func(*store.Message, error) { h.signal("") },
			OnRetry:  func(*store.Message, error, time.Time) { h.signal("") },
		},
		Plan: h.seed,
		Handled: func(rs []bot.Request, _ []bot.Result) {
			for _, r := range rs {
				key := "u" + strconv.FormatInt(r.UpdateID, 10)
				if r.CallbackID != "" {
					key = "cb" + r.CallbackID
				}
				h.signal(key)
			}
		}})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	// The conversations run at a pinned instant: no schedule, no menus.
	srv.Runner, srv.Menus, srv.App.OnRoleChange = nil, nil, nil
	srv.Poller.Timeout = 30 * time.Second
	h.db, h.app = srv.DB, srv.App
	h.app.BotName, h.app.BotID = me.Username, me.ID
	for _, o := range opts {
		o(h.app)
	}
	h.app.Reporter.(*schedule.Reporter).Lang = h.app.Lang

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		h.fake.Close()
		h.checkCalls()
		if err := srv.DB.Check(); err != nil {
			t.Errorf("db.Check: %v", err)
		}
		srv.Close()
	})
	return h
}

// seed fills the store as `duban serve` does on an empty database, keeping
// the plan's 2021 dates, and registers the people.
func (h *harness) seed(tx *store.Tx) error {
	err := func() error {
		for _, d := range seeds.Departments() {
			if err := tx.AddDepartment(d); err != nil {
				return err
			}
		}
		im, err := intake.Read(tx, seeds.BundledName, seeds.Bundled(), intake.Options{})
		if err != nil {
			return err
		}
		if _, err := im.Apply(tx, intake.ApplyOptions{By: store.Actor{Via: "system", Name: "test"}}); err != nil {
			return err
		}
		for _, c := range []*store.Contact{
			{UserID: coordU.ID, ChatID: coordU.ID, Name: "督办 员", Role: store.RoleCoordinator},
			{UserID: contactA.ID, ChatID: contactA.ID, Name: "大气 联络员", Dept: deptA, Role: store.RoleContact},
			{UserID: contactB.ID, ChatID: contactB.ID, Name: "水 联络员", Dept: deptB, Role: store.RoleContact},
		} {
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		return nil
	}()
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// signal records a handled update (key "" for a committed send) and wakes
// whoever waits in settle.
func (h *harness) signal(key string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if key != "" {
		h.handled[key] = true
	}
	close(h.poke)
	h.poke = make(chan struct{})
}

// settle waits until the update key was handled ("" for none) and the
// outbox is empty, woken by the fake server's changes and by the harness's
// own signals.
func (h *harness) settle(key string) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		h.mu.Lock()
		poke, done := h.poke, key == "" || h.handled[key]
		h.mu.Unlock()
		changed := h.fake.Notify()
		if done && h.outboxEmpty() {
			return
		}
		select {
		case <-poke:
		case <-changed:
		case <-ctx.Done():
			h.t.Fatalf("update %s not settled (handled=%v)", key, done)
		}
	}
}

func (h *harness) outboxEmpty() bool {
	n := 0
	h.db.View(func(tx *store.Tx) error { n, _, _ = tx.OutboxDepth(); return nil })
	return n == 0
}

// exchange injects one thing a user did in chat and returns the bot's new
// messages there once everything it caused was delivered.
func (h *harness) exchange(chatID int64, key func() string) []telegramtest.Message {
	h.t.Helper()
	before := len(h.fake.Sent(chatID))
	h.settle(key())
	return h.fake.Sent(chatID)[before:]
}

// say sends text in the user's private chat and returns the bot's answer
// there (parts of a split message joined by newlines).
func (h *harness) say(u telegramtest.User, text string) string {
	h.t.Helper()
	return texts(h.exchange(u.ID, func() string {
		return "u" + strconv.FormatInt(h.fake.SendText(u, telegramtest.Chat{}, text), 10)
	}))
}

// sayIn sends text in a chat (a group) and returns the bot's new messages.
func (h *harness) sayIn(u telegramtest.User, chat telegramtest.Chat, text string) []telegramtest.Message {
	h.t.Helper()
	return h.exchange(chat.ID, func() string {
		return "u" + strconv.FormatInt(h.fake.SendText(u, chat, text), 10)
	})
}

// reply answers message msgID of the user's private chat with text.
func (h *harness) reply(u telegramtest.User, msgID int, text string) string {
	h.t.Helper()
	return h.replyIn(u, telegramtest.PrivateChat(u), msgID, text)
}

func (h *harness) replyIn(u telegramtest.User, chat telegramtest.Chat, msgID int, text string) string {
	h.t.Helper()
	return texts(h.exchange(chat.ID, func() string {
		return "u" + strconv.FormatInt(h.fake.ReplyText(u, chat, msgID, text), 10)
	}))
}

// press presses a button under message msgID of the user's private chat
// and returns the answer shown on the button (the callback must be
// answered exactly once).
func (h *harness) press(u telegramtest.User, msgID int, data string) string {
	h.t.Helper()
	var id string
	h.exchange(u.ID, func() string {
		id = h.fake.PressButton(u, telegramtest.Chat{}, msgID, data)
		return "cb" + id
	})
	var got []telegramtest.CallbackAnswer
	for _, a := range h.fake.Callbacks() {
		if a.ID == id {
			got = append(got, a)
		}
	}
	if len(got) != 1 {
		h.t.Fatalf("press %s: callback answered %d times, want 1", data, len(got))
	}
	return got[0].Text
}

// sendDoc sends a document in the user's private chat.
func (h *harness) sendDoc(u telegramtest.User, name string, data []byte) []telegramtest.Message {
	h.t.Helper()
	return h.exchange(u.ID, func() string {
		return "u" + strconv.FormatInt(h.fake.SendDocument(u, telegramtest.Chat{}, name, data), 10)
	})
}

// last returns the bot's latest message in a chat.
func (h *harness) last(chatID int64) telegramtest.Message {
	h.t.Helper()
	sent := h.fake.Sent(chatID)
	if len(sent) == 0 {
		h.t.Fatalf("no message in chat %d", chatID)
	}
	return sent[len(sent)-1]
}

// task reads a task from the store.
func (h *harness) task(id string) *store.Task {
	h.t.Helper()
	var t *store.Task
	if err := h.db.View(func(tx *store.Tx) (err error) { t, err = tx.Task(id); return err }); err != nil {
		h.t.Fatalf("task %s: %v", id, err)
	}
	return t
}

// history reads a task's history from the store.
func (h *harness) history(id string) []store.HistoryEntry {
	h.t.Helper()
	var out []store.HistoryEntry
	if err := h.db.View(func(tx *store.Tx) (err error) { out, err = tx.History(id); return err }); err != nil {
		h.t.Fatalf("history %s: %v", id, err)
	}
	return out
}

// lastEntry returns the newest history entry of a task and checks it
// carries the Telegram user and message that caused it.
func (h *harness) lastEntry(id string, u telegramtest.User, kind string) store.HistoryEntry {
	h.t.Helper()
	hist := h.history(id)
	if len(hist) == 0 {
		h.t.Fatalf("task %s has no history", id)
	}
	e := hist[len(hist)-1]
	if e.Kind != kind || e.By.UserID != u.ID || e.By.Via != "telegram" || e.By.MessageID == 0 {
		h.t.Fatalf("task %s last entry = %+v, want kind %q by user %d via telegram with a message ID", id, e, kind, u.ID)
	}
	return e
}

// checkCalls fails the test for any message, edit, document or callback
// answer the fake refused (bad HTML, too long, unknown query, …).
func (h *harness) checkCalls() {
	for _, c := range h.fake.Calls("") {
		switch c.Method {
		case "sendMessage", "editMessageText", "sendDocument", "answerCallbackQuery":
			if c.Code != http.StatusOK && !strings.Contains(c.Description, "message is not modified") {
				h.t.Errorf("%s refused: %d %s (text %q)", c.Method, c.Code, c.Description, c.Params["text"])
			}
		}
	}
}

// testWriter shows the chat's warnings and errors in the test's output.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func texts(ms []telegramtest.Message) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text+m.Caption)
	}
	return strings.Join(out, "\n")
}

// mustContain fails unless s contains every want.
func mustContain(t *testing.T, what, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s = %q, want it to contain %q", what, s, w)
		}
	}
}

// button returns the callback data of the button labelled label under m.
func button(t *testing.T, m telegramtest.Message, label string) string {
	t.Helper()
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				if strings.Contains(b.Text, label) {
					return b.CallbackData
				}
			}
		}
	}
	t.Fatalf("message %d %q has no button %q", m.ID, m.Text, label)
	return ""
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
