package bot_test

import (
	"encoding/json"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot/telegramtest"
)

// adapterUpdate is u as the go-telegram adapter receives it from Telegram:
// the fake's Bot API JSON decoded by the library, as the poller and the
// webhook do. Tests that hand updates to bot/telegram directly build them
// with the fake's types and convert them here. (handleall_test.go and the
// benchmarks' poller handlers name the adapter's input type themselves.)
func adapterUpdate(t testing.TB, u *telegramtest.Update) *models.Update {
	t.Helper()
	raw, err := json.Marshal(u)
	if err != nil {
		t.Fatalf("marshal update: %v", err)
	}
	var out models.Update
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("decode update %s: %v", raw, err)
	}
	return &out
}
