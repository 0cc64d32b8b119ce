package telegram_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// decode reads an update as Telegram sends it.
func decode(t *testing.T, js string) *models.Update {
	t.Helper()
	var u models.Update
	if err := json.Unmarshal([]byte(js), &u); err != nil {
		t.Fatalf("decode %s: %v", js, err)
	}
	return &u
}

// TestFromUpdate converts the Bot API's JSON into the transport-free
// request the chat sees, and refuses what duban does not act on.
func TestFromUpdate(t *testing.T) {
	const botID = 42
	for name, tc := range map[string]struct {
		json string
		want bot.Request
		ok   bool
	}{
		"PrivateText": {`{"update_id":7,"message":{"message_id":3,"from":{"id":1001,"first_name":"大气","last_name":"联络员","username":"air"},
			"chat":{"id":1001,"type":"private"},"text":"/my"}}`,
			bot.Request{UpdateID: 7, UserID: 1001, Name: "大气 联络员", Username: "air", ChatID: 1001, MessageID: 3, Text: "/my"}, true},
		"GroupReplyToTheBot": {`{"update_id":8,"message":{"message_id":9,"from":{"id":5,"first_name":"A"},"chat":{"id":-100,"type":"supergroup"},
			"text":"60%","reply_to_message":{"message_id":4,"from":{"id":42,"is_bot":true,"first_name":"duban"},"chat":{"id":-100,"type":"supergroup"}}}}`,
			bot.Request{UpdateID: 8, UserID: 5, Name: "A", ChatID: -100, Group: true, MessageID: 9, Text: "60%", ReplyToID: 4, ReplyToMe: true}, true},
		"ReplyToAnotherBot": {`{"update_id":9,"message":{"message_id":9,"from":{"id":5,"first_name":"A"},"chat":{"id":5,"type":"private"},
			"text":"x","reply_to_message":{"message_id":4,"from":{"id":77,"is_bot":true,"first_name":"other"},"chat":{"id":5,"type":"private"}}}}`,
			bot.Request{UpdateID: 9, UserID: 5, Name: "A", ChatID: 5, MessageID: 9, Text: "x", ReplyToID: 4}, true},
		"DocumentWithCaption": {`{"update_id":10,"message":{"message_id":2,"from":{"id":1,"first_name":"管理员"},"chat":{"id":1,"type":"private"},
			"caption":"清单","document":{"file_id":"F1","file_unique_id":"u","file_name":"清单.xlsx","file_size":2048}}}`,
			bot.Request{UpdateID: 10, UserID: 1, Name: "管理员", ChatID: 1, MessageID: 2, Text: "清单", DocumentID: "F1", DocumentName: "清单.xlsx", DocumentSize: 2048}, true},
		"ButtonPress": {`{"update_id":11,"callback_query":{"id":"cb1","from":{"id":1003,"first_name":"大气"},"chat_instance":"x","data":"done:4.1.3",
			"message":{"message_id":12,"date":1,"chat":{"id":1003,"type":"private"}}}}`,
			bot.Request{UpdateID: 11, UserID: 1003, Name: "大气", ChatID: 1003, MessageID: 12, CallbackID: "cb1", CallbackData: "done:4.1.3"}, true},
		"ButtonUnderAnInaccessibleMessage": {`{"update_id":12,"callback_query":{"id":"cb2","from":{"id":1003,"first_name":"大气"},"chat_instance":"x","data":"done:4.1.3",
			"message":{"message_id":13,"date":0,"chat":{"id":1003,"type":"private"}}}}`,
			bot.Request{UpdateID: 12, UserID: 1003, Name: "大气", ChatID: 1003, MessageID: 13, CallbackID: "cb2", CallbackData: "done:4.1.3"}, true},
		"RemovedFromGroup": {`{"update_id":13,"my_chat_member":{"chat":{"id":-200,"type":"group"},"from":{"id":9,"first_name":"群主"},"date":1,
			"old_chat_member":{"status":"member","user":{"id":42,"is_bot":true,"first_name":"duban"}},
			"new_chat_member":{"status":"kicked","user":{"id":42,"is_bot":true,"first_name":"duban"},"until_date":0}}}`,
			bot.Request{UpdateID: 13, UserID: 9, Name: "群主", ChatID: -200, Group: true, MemberStatus: "kicked"}, true},
		"UpgradedToSupergroup": {`{"update_id":14,"message":{"message_id":1,"from":{"id":9,"first_name":"群主"},"chat":{"id":-200,"type":"group"},"migrate_to_chat_id":-100200}}`,
			bot.Request{UpdateID: 14, UserID: 9, Name: "群主", ChatID: -200, Group: true, MessageID: 1, MigrateFrom: -200, MigrateTo: -100200}, true},
		"EditedMessage":   {`{"update_id":15,"edited_message":{"message_id":1,"from":{"id":1,"first_name":"A"},"chat":{"id":1,"type":"private"},"text":"/my"}}`, bot.Request{UpdateID: 15}, false},
		"ChannelPost":     {`{"update_id":16,"channel_post":{"message_id":1,"chat":{"id":-300,"type":"channel"},"text":"hi"}}`, bot.Request{UpdateID: 16}, false},
		"MessageNoSender": {`{"update_id":17,"message":{"message_id":1,"chat":{"id":-300,"type":"group"},"text":"hi"}}`, bot.Request{UpdateID: 17}, false},
	} {
		t.Run(name, func(t *testing.T) {
			got, ok := telegram.FromUpdate(decode(t, tc.json), botID)
			if ok != tc.ok || got != tc.want {
				t.Errorf("FromUpdate =\n %+v, %v\nwant\n %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestRequests_Ignored: an update duban does not act on still reaches the
// chat (logged and counted as ignored) under its own ID.
func TestRequests_Ignored(t *testing.T) {
	rs := telegram.Requests([]*models.Update{decode(t, `{"update_id":15,"edited_message":{"message_id":1,"from":{"id":1,"first_name":"A"},"chat":{"id":1,"type":"private"},"text":"/my"}}`)}, 42)
	if len(rs) != 1 || !rs[0].Ignored || rs[0].UpdateID != 15 {
		t.Errorf("Requests = %+v, want one ignored request with update 15", rs)
	}
}

// TestWebhookHandler: 405 for anything but POST, 401 without the right
// secret, 400 for a body that is not an update, and 200 only once the
// update is stored (handled mark and reply in the outbox).
func TestWebhookHandler(t *testing.T) {
	clk := storetest.NewClock(time.Date(2021, 6, 15, 10, 0, 0, 0, time.UTC))
	db := storetest.OpenDB(t, store.Options{Now: clk.Now})
	app := &bot.App{DB: db, Lang: "zh", Loc: time.UTC, Admins: store.Admins{1}}
	h := telegram.WebhookHandler(app, "s3cret")
	update := `{"update_id":70,"message":{"message_id":1,"from":{"id":1,"first_name":"管理员"},"chat":{"id":1,"type":"private"},"text":"/help"}}`
	for _, tc := range []struct {
		name, method, secret, body string
		code                       int
	}{
		{"Get", http.MethodGet, "s3cret", update, http.StatusMethodNotAllowed},
		{"NoSecret", http.MethodPost, "", update, http.StatusUnauthorized},
		{"WrongSecret", http.MethodPost, "s3cret2", update, http.StatusUnauthorized},
		{"NotAnUpdate", http.MethodPost, "s3cret", `{"hello":1}`, http.StatusBadRequest},
		{"NotJSON", http.MethodPost, "s3cret", `<html>`, http.StatusBadRequest},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(tc.method, "/hook", strings.NewReader(tc.body))
		if tc.secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tc.secret)
		}
		h.ServeHTTP(rec, req)
		if rec.Code != tc.code {
			t.Errorf("%s: status %d, want %d", tc.name, rec.Code, tc.code)
		}
	}
	seen := func() (ok bool, depth int) {
		db.View(func(tx *store.Tx) error { ok, depth = tx.SeenUpdate(70), 0; depth, _, _ = tx.OutboxDepth(); return nil })
		return
	}
	if ok, depth := seen(); ok || depth != 0 {
		t.Fatalf("refused requests stored something: seen %v, outbox %d", ok, depth)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(update))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("update: status %d, want 200", rec.Code)
	}
	if ok, depth := seen(); !ok || depth != 1 {
		t.Errorf("after 200: seen %v, outbox %d; want the update marked and its /help reply queued", ok, depth)
	}
}
