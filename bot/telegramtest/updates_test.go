package telegramtest_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot/telegramtest"
)

func TestServer_GetUpdates_Offset(t *testing.T) {
	srv := MustServer(t)
	ctx := testContext(t)
	for _, text := range []string{"a", "b", "c"} {
		srv.SendText(alice, telegramtest.Chat{}, text)
	}
	check := func(params map[string]any, want ...int64) {
		t.Helper()
		if got := updateIDs(getUpdates(ctx, t, srv, params)); !slices.Equal(got, want) {
			t.Errorf("getUpdates(%v) = %v, want %v", params, got, want)
		}
	}
	check(map[string]any{}, 1, 2, 3)
	check(map[string]any{"offset": 0}, 1, 2, 3) // nothing confirmed yet
	check(map[string]any{"offset": 1, "limit": 2}, 1, 2)
	check(map[string]any{"offset": 3}, 3)
	if !srv.Confirmed(2) || srv.Confirmed(3) {
		t.Errorf("Confirmed(2), Confirmed(3) = %v, %v; want true, false", srv.Confirmed(2), srv.Confirmed(3))
	}
	check(map[string]any{"offset": 0}, 3) // 1 and 2 are gone for good
	srv.SendText(alice, telegramtest.Chat{}, "d")
	srv.SendText(alice, telegramtest.Chat{}, "e")
	check(map[string]any{"offset": -1}, 5)
	check(map[string]any{}, 5)
	check(map[string]any{"offset": 6})
	if n := srv.PendingUpdates(); n != 0 {
		t.Errorf("PendingUpdates = %d, want 0", n)
	}

	t.Run("AllowedUpdates", func(t *testing.T) {
		srv.SendText(alice, telegramtest.Chat{}, "text")
		id := srv.ChatMemberUpdate(alice, "kicked")
		got := getUpdates(ctx, t, srv, map[string]any{"allowed_updates": []string{"my_chat_member"}})
		if len(got) != 1 || got[0].ID != id || got[0].MyChatMember.NewChatMember.Type != models.ChatMemberTypeBanned {
			t.Errorf("got %+v, want only the my_chat_member update", got)
		}
	})
}

func TestServer_GetUpdates_LongPoll(t *testing.T) {
	srv := MustServer(t)
	ctx := testContext(t)
	done := make(chan []models.Update, 1)
	go func() {
		done <- getUpdates(ctx, t, srv, map[string]any{"offset": 1, "timeout": 10})
	}()
	if err := srv.WaitFor(ctx, (*telegramtest.Server).Polling); err != nil {
		t.Fatalf("poll never started: %v", err)
	}
	id := srv.SendText(alice, telegramtest.Chat{}, "/today@duban_test_bot now")
	select {
	case ups := <-done:
		if len(ups) != 1 || ups[0].ID != id {
			t.Fatalf("got %v, want update %d", updateIDs(ups), id)
		}
		m := ups[0].Message
		want := models.MessageEntity{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: len("/today@duban_test_bot")}
		if len(m.Entities) != 1 || m.Entities[0] != want || m.From.ID != alice.ID || m.Chat.Type != models.ChatTypePrivate {
			t.Errorf("message = %+v", m)
		}
	case <-ctx.Done():
		t.Fatal("long poll did not wake up on a new update")
	}

	t.Run("TimeoutZero", func(t *testing.T) {
		if got := getUpdates(ctx, t, srv, map[string]any{"offset": id + 1}); len(got) != 0 {
			t.Errorf("got %v, want none", updateIDs(got))
		}
	})
}

func TestServer_GetUpdates_Conflict(t *testing.T) {
	srv := MustServer(t)
	ctx := testContext(t)
	type answer struct {
		code int
		desc string
	}
	first := make(chan answer, 1)
	go func() {
		code, r := postJSON(ctx, t, srv, "getUpdates", map[string]any{"timeout": 10})
		first <- answer{code, r.Description}
	}()
	if err := srv.WaitFor(ctx, (*telegramtest.Server).Polling); err != nil {
		t.Fatal(err)
	}
	// Telegram ends the waiting request when another poller arrives.
	if code, r := postJSON(ctx, t, srv, "getUpdates", map[string]any{}); code != http.StatusOK {
		t.Errorf("second poll: %d %s", code, r.Description)
	}
	select {
	case a := <-first:
		if a.code != http.StatusConflict || !strings.Contains(a.desc, "terminated by other getUpdates request") {
			t.Errorf("first poll got %d %q, want 409 terminated by other getUpdates request", a.code, a.desc)
		}
	case <-ctx.Done():
		t.Fatal("first poll never ended")
	}
}

func TestServer_Webhook(t *testing.T) {
	srv := MustServer(t)
	b := MustBot(t, srv)
	ctx := testContext(t)
	srv.SendText(alice, telegramtest.Chat{}, "hi")
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: "https://duban.example/hook", SecretToken: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	if url, secret := srv.Webhook(); url != "https://duban.example/hook" || secret != "s3cret" {
		t.Errorf("Webhook() = %q, %q", url, secret)
	}
	code, r := postJSON(ctx, t, srv, "getUpdates", map[string]any{})
	if code != http.StatusConflict || !strings.Contains(r.Description, "can't use getUpdates method while webhook is active") {
		t.Errorf("getUpdates with webhook: %d %q", code, r.Description)
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil || info.URL != "https://duban.example/hook" || info.PendingUpdateCount != 1 {
		t.Errorf("GetWebhookInfo = %+v, %v", info, err)
	}
	if _, err := b.DeleteWebhook(ctx, &bot.DeleteWebhookParams{DropPendingUpdates: true}); err != nil {
		t.Fatal(err)
	}
	if got := getUpdates(ctx, t, srv, map[string]any{}); len(got) != 0 {
		t.Errorf("after drop_pending_updates: %v", updateIDs(got))
	}
}

// TestServer_RealPoller runs the go-telegram/bot poller against the fake.
func TestServer_RealPoller(t *testing.T) {
	srv := MustServer(t)
	got := make(chan *models.Update, 4)
	b, err := bot.New(srv.Token, bot.WithServerURL(srv.URL), bot.WithSkipGetMe(),
		bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) { got <- u }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(testContext(t))
	stopped := make(chan struct{})
	go func() { b.Start(ctx); close(stopped) }()
	t.Cleanup(func() { cancel(); <-stopped })

	group := telegramtest.GroupChat(5001, "财务部")
	srv.SendGroupText(alice, group.ID, group.Title, "/start")
	cb := srv.PressButton(bob, telegramtest.Chat{}, 1, "x")
	srv.ChatMemberUpdate(bob, "kicked")
	var ups []*models.Update
	for len(ups) < 3 {
		select {
		case u := <-got:
			ups = append(ups, u)
		case <-ctx.Done():
			t.Fatalf("received %d updates, want 3", len(ups))
		}
	}
	slices.SortFunc(ups, func(a, b *models.Update) int { return int(a.ID - b.ID) }) // handlers run concurrently
	if m := ups[0].Message; m == nil || m.Chat.ID != -5001 || m.Chat.Type != models.ChatTypeGroup || m.Text != "/start" {
		t.Errorf("group message = %+v", m)
	}
	if q := ups[1].CallbackQuery; q == nil || q.ID != cb || q.Message.InaccessibleMessage == nil {
		t.Errorf("callback query = %+v", q)
	}
	if mc := ups[2].MyChatMember; mc == nil || mc.NewChatMember.Banned == nil || mc.NewChatMember.Banned.User.ID != b.ID() {
		t.Errorf("my_chat_member = %+v", mc)
	}
	_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: bob.ID, Text: "still there?"})
	if !errors.Is(err, bot.ErrorForbidden) {
		t.Errorf("send after kicked: err = %v, want ErrorForbidden", err)
	}
	// The poller confirms what it received with its next request.
	if err := srv.WaitFor(ctx, func(s *telegramtest.Server) bool { return s.Confirmed(ups[2].ID) }); err != nil {
		t.Errorf("updates never confirmed: %v", err)
	}
}
