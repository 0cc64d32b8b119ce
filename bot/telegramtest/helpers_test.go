package telegramtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store/storetest"
)

var (
	alice = telegramtest.User{ID: 1001, FirstName: "Alice", Username: "alice"}
	bob   = telegramtest.User{ID: 1002, FirstName: "Bob"}
)

// MustServer starts a fake server closed at the end of the test.
func MustServer(t testing.TB, opts ...telegramtest.Option) *telegramtest.Server {
	t.Helper()
	srv := telegramtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// MustBot points the real client at srv.
func MustBot(t testing.TB, srv *telegramtest.Server) *bot.Bot {
	t.Helper()
	b, err := bot.New(srv.Token, bot.WithServerURL(srv.URL), bot.WithSkipGetMe())
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// testContext is a generous deadline: tests wait on conditions, and only a
// bug makes them reach it.
func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// apiResponse is the envelope every method answers with.
type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// postJSON calls a method the way duban's own poller does: a JSON body.
func postJSON(ctx context.Context, t testing.TB, srv *telegramtest.Server, method string, body any) (int, apiResponse) {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/bot"+srv.Token+"/"+method, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

func do(t testing.TB, req *http.Request) (int, apiResponse) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", req.URL.Path, err)
	}
	defer resp.Body.Close()
	var r apiResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("decode %s: %v", req.URL.Path, err)
	}
	return resp.StatusCode, r
}

// getUpdates polls once and returns the update IDs.
func getUpdates(ctx context.Context, t testing.TB, srv *telegramtest.Server, params map[string]any) []models.Update {
	t.Helper()
	code, r := postJSON(ctx, t, srv, "getUpdates", params)
	if code != http.StatusOK {
		t.Fatalf("getUpdates: %d %s", code, r.Description)
	}
	var ups []models.Update
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		t.Fatalf("decode updates: %v", err)
	}
	return ups
}

func updateIDs(ups []models.Update) []int64 {
	ids := []int64{}
	for _, u := range ups {
		ids = append(ids, u.ID)
	}
	return ids
}

// newClock is the shared test clock at a fixed instant, for WithNow.
func newClock() *storetest.Clock {
	return storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
}
