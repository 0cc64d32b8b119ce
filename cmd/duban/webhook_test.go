package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// TestWebhook_SecretAndPersistence runs duban in webhook mode against the
// fake: it registers the URL and secret; a POST without or with a wrong
// secret is refused with 401 and changes nothing; the right one is
// answered 200 only once the update is committed (the process is killed
// the moment the 200 arrives, and the database has it). Restarted in
// polling mode, duban deletes the webhook and sends the pending reply once.
func TestWebhook_SecretAndPersistence(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := dbPath(t)
	addr := freePort(t)
	// Telegram posts to the public https address; a TLS proxy forwards to
	// the plain listener, which the test posts to directly.
	hookURL, secret := "https://duban.example.test/hook", "s3cret_Token-1"
	listenURL := "http://" + addr + "/hook"

	// The reply must not go out before the kill, so that exactly one
	// delivery can be asserted after the restart.
	release := fake.Hang("sendMessage")
	defer release()
	p := serve(t, fake, path, nil, "--webhook-url", hookURL, "--webhook-listen", addr, "--webhook-secret", secret)
	waitFake(t, fake, p, 30*time.Second, "setWebhook", func(s *telegramtest.Server) bool { return len(s.Calls("setWebhook")) >= 1 })
	call := fake.Calls("setWebhook")[0]
	if call.Params["url"] != hookURL || call.Params["secret_token"] != secret || call.Code != 200 {
		t.Fatalf("setWebhook url=%q secret_token=%q code %d; want %q and the secret", call.Params["url"], call.Params["secret_token"], call.Code, hookURL)
	}
	if url, _ := fake.Webhook(); url != hookURL {
		t.Fatalf("fake webhook %q, want %q", url, hookURL)
	}

	post := func(id int64, text, header string, body []byte) int {
		t.Helper()
		if body == nil {
			body = updateJSON(t, id, text)
		}
		req, err := http.NewRequest(http.MethodPost, listenURL, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if header != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v\nlogs:\n%s", listenURL, err, p.logs())
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(1001, "/progress 4.1.3 30%", "", nil); code != http.StatusUnauthorized {
		t.Errorf("no secret header: %d, want 401", code)
	}
	if code := post(1002, "/progress 4.1.3 30%", "wrong", nil); code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", code)
	}
	if code := post(0, "", secret, []byte("{not json")); code != http.StatusBadRequest {
		t.Errorf("undecodable body: %d, want 400", code)
	}
	if code := post(1003, "/progress 4.1.3 60%", secret, nil); code != http.StatusOK {
		t.Fatalf("right secret: %d, want 200\nlogs:\n%s", code, p.logs())
	}
	p.kill() // the 200 promised the update is on disk

	db := openDB(t, path)
	db.View(func(tx *store.Tx) error {
		progressOnce(t, tx) // the 401s changed nothing
		if !tx.SeenUpdate(1003) || tx.SeenUpdate(1001) || tx.SeenUpdate(1002) {
			t.Errorf("handled marks: 1001 %v, 1002 %v, 1003 %v; want only 1003", tx.SeenUpdate(1001), tx.SeenUpdate(1002), tx.SeenUpdate(1003))
		}
		if depth, _, _ := tx.OutboxDepth(); depth != 1 {
			t.Errorf("%d pending messages, want the one reply", depth)
		}
		return nil
	})
	db.Close()
	release()

	p = serve(t, fake, path, nil)
	waitFake(t, fake, p, 30*time.Second, "deleteWebhook and the reply", func(s *telegramtest.Server) bool {
		return len(s.Calls("deleteWebhook")) >= 1 && s.SentCount(1) >= 1
	})
	waitFake(t, fake, p, 30*time.Second, "polling", func(s *telegramtest.Server) bool { return s.Polling() })
	p.stop(30 * time.Second)
	if url, _ := fake.Webhook(); url != "" {
		t.Errorf("webhook still set to %q after polling mode started", url)
	}
	if n := repliesTo(fake, 1, "已更新进度"); n != 1 || fake.SentCount(1) != 1 {
		t.Errorf("%d progress replies (%d messages), want 1", n, fake.SentCount(1))
	}
}

// updateJSON is a private /command message from the admin (user 1), as
// Telegram would POST it.
func updateJSON(t *testing.T, id int64, text string) []byte {
	t.Helper()
	cmd := text
	if i := bytes.IndexByte([]byte(text), ' '); i > 0 {
		cmd = text[:i]
	}
	u := telegramtest.Update{ID: id, Message: &telegramtest.Message{ID: int(id), Date: int(time.Now().Unix()), Text: text,
		From:     &telegramtest.User{ID: 1, FirstName: "管理员"},
		Chat:     telegramtest.Chat{ID: 1, Type: telegramtest.ChatTypePrivate, FirstName: "管理员"},
		Entities: []telegramtest.MessageEntity{{Type: telegramtest.MessageEntityTypeBotCommand, Offset: 0, Length: len(cmd)}}}}
	b, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
