package telegramtest_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
)

func TestServer_GetMe(t *testing.T) {
	srv := MustServer(t)
	b, err := bot.New(srv.Token, bot.WithServerURL(srv.URL)) // getMe at start
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	me, err := b.GetMe(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if !me.IsBot || me.ID != b.ID() || me.ID != srv.Me().ID {
		t.Errorf("getMe = %+v, want a bot with ID %d", me, b.ID())
	}
}

func TestServer_Unauthorized(t *testing.T) {
	srv := MustServer(t)
	b, err := bot.New("1:wrong", bot.WithServerURL(srv.URL), bot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.GetMe(testContext(t))
	if !errors.Is(err, bot.ErrorUnauthorized) {
		t.Errorf("err = %v, want ErrorUnauthorized", err)
	}
}

func TestServer_NotFound(t *testing.T) {
	srv := MustServer(t)
	code, r := postJSON(testContext(t), t, srv, "sendPigeon", map[string]any{"chat_id": 1})
	if code != http.StatusNotFound || r.OK || r.ErrorCode != 404 || r.Description != "Not Found" {
		t.Errorf("got %d %+v, want 404 Not Found", code, r)
	}
	if got := srv.Calls("sendPigeon"); len(got) != 1 || got[0].Code != 404 {
		t.Errorf("calls = %+v, want one 404", got)
	}
}

func TestServer_Bodies(t *testing.T) {
	srv := MustServer(t)
	ctx := testContext(t)
	t.Run("URLEncoded", func(t *testing.T) {
		form := url.Values{"chat_id": {"7"}, "text": {"form"}}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/bot"+srv.Token+"/sendmessage", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if code, r := do(t, req); code != http.StatusOK {
			t.Fatalf("got %d %s", code, r.Description)
		}
	})
	t.Run("QueryString", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/bot"+srv.Token+"/sendMessage?chat_id=7&text=query", nil)
		if code, r := do(t, req); code != http.StatusOK {
			t.Fatalf("got %d %s", code, r.Description)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		body := map[string]any{"chat_id": 7, "text": "json", "reply_markup": map[string]any{
			"inline_keyboard": [][]map[string]string{{{"text": "ok", "callback_data": "ok"}}},
		}}
		if code, r := postJSON(ctx, t, srv, "sendMessage", body); code != http.StatusOK {
			t.Fatalf("got %d %s", code, r.Description)
		}
	})
	sent := srv.Sent(7)
	var texts []string
	for _, m := range sent {
		texts = append(texts, m.Text)
	}
	if got, want := strings.Join(texts, ","), "form,query,json"; got != want {
		t.Errorf("texts = %q, want %q", got, want)
	}
	if len(sent) == 3 && (sent[2].ReplyMarkup == nil || sent[2].ReplyMarkup.InlineKeyboard[0][0].CallbackData != "ok") {
		t.Errorf("JSON reply_markup lost: %+v", sent[2].ReplyMarkup)
	}
	if calls := srv.Calls("sendMessage"); len(calls) != 3 || calls[0].Params["text"] != "form" {
		t.Errorf("calls = %+v, want 3 recorded under the canonical name", calls)
	}
}
