package telegramtest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/duban-bureau/duban/bot/telegramtest"
)

// TestServer_WireJSON pins the bytes the fake answers with, field names
// and all, as the Bot API documents them (core.telegram.org/bots/api),
// read with plain HTTP and no client library: the fake's objects are its
// own, so a wrong tag in the library the bot uses cannot hide here.
func TestServer_WireJSON(t *testing.T) {
	clk := newClock() // 2026-03-02 09:00 UTC = 1772442000
	srv := MustServer(t, telegramtest.WithNow(clk.Now))
	ctx := testContext(t)
	const (
		aliceJSON = `{"id":1001,"is_bot":false,"first_name":"Alice","username":"alice"}`
		chatJSON  = `{"id":1001,"type":"private","username":"alice","first_name":"Alice"}`
		botJSON   = `{"id":7000000001,"is_bot":true,"first_name":"Duban","username":"duban_test_bot"}`
	)
	check := func(t *testing.T, what string, got json.RawMessage, want string) {
		t.Helper()
		var g, w bytes.Buffer
		if err := json.Compact(&g, got); err != nil {
			t.Fatalf("%s: %v in %s", what, err, got)
		}
		if err := json.Compact(&w, []byte(want)); err != nil {
			t.Fatalf("bad want for %s: %v", what, err)
		}
		if g.String() != w.String() {
			t.Errorf("%s:\n got %s\nwant %s", what, g.String(), w.String())
		}
	}
	result := func(t *testing.T, method string, params any) json.RawMessage {
		t.Helper()
		code, r := postJSON(ctx, t, srv, method, params)
		if code != http.StatusOK || !r.OK {
			t.Fatalf("%s: %d %s", method, code, r.Description)
		}
		return r.Result
	}

	t.Run("GetMe", func(t *testing.T) {
		check(t, "getMe", result(t, "getMe", nil),
			`{"id":7000000001,"is_bot":true,"first_name":"Duban","username":"duban_test_bot","can_join_groups":true}`)
	})
	t.Run("Updates", func(t *testing.T) {
		srv.SendText(alice, telegramtest.Chat{}, "/today")
		srv.PressButton(alice, telegramtest.Chat{}, 42, "done:1") // a message the fake never saw
		srv.ChatMemberUpdate(alice, "kicked")
		check(t, "getUpdates", result(t, "getUpdates", map[string]any{}), `[
			{"update_id":1,"message":{"message_id":1,"from":`+aliceJSON+`,"date":1772442000,"chat":`+chatJSON+`,
				"text":"/today","entities":[{"type":"bot_command","offset":0,"length":6}]}},
			{"update_id":2,"callback_query":{"id":"4000000000000000001","from":`+aliceJSON+`,
				"message":{"message_id":42,"date":0,"chat":`+chatJSON+`},"chat_instance":"1001","data":"done:1"}},
			{"update_id":3,"my_chat_member":{"chat":`+chatJSON+`,"from":`+aliceJSON+`,"date":1772442000,
				"old_chat_member":{"status":"member","user":`+botJSON+`},
				"new_chat_member":{"status":"kicked","user":`+botJSON+`,"until_date":0}}}]`)
	})
	t.Run("SendMessage", func(t *testing.T) {
		srv.Unblock(alice.ID)
		got := result(t, "sendMessage", map[string]any{"chat_id": alice.ID, "text": "<b>提醒</b> 报表", "parse_mode": "HTML",
			"reply_parameters": map[string]any{"message_id": 1},
			"reply_markup":     map[string]any{"inline_keyboard": [][]map[string]any{{{"text": "完成", "callback_data": "done:1"}}}}})
		check(t, "sendMessage", got, `{"message_id":2,"from":`+botJSON+`,"date":1772442000,"chat":`+chatJSON+`,
			"reply_to_message":{"message_id":1,"from":`+aliceJSON+`,"date":1772442000,"chat":`+chatJSON+`,
				"text":"/today","entities":[{"type":"bot_command","offset":0,"length":6}]},
			"text":"提醒 报表","entities":[{"type":"bold","offset":0,"length":2}],
			"reply_markup":{"inline_keyboard":[[{"text":"完成","callback_data":"done:1"}]]}}`)
	})
	t.Run("GetFile", func(t *testing.T) {
		id := srv.AddFile("plan.xlsx", []byte("PK"))
		check(t, "getFile", result(t, "getFile", map[string]any{"file_id": id}),
			`{"file_id":"`+id+`","file_unique_id":"AgAD000001","file_size":2,"file_path":"documents/file_1.xlsx"}`)
	})
	t.Run("WebhookInfo", func(t *testing.T) {
		check(t, "getWebhookInfo", result(t, "getWebhookInfo", nil),
			`{"url":"","has_custom_certificate":false,"pending_update_count":3}`)
	})
}
