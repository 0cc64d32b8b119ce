package telegramtest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"github.com/duban-bureau/duban/bot/telegramtest"
)

func TestServer_Fail(t *testing.T) {
	srv := MustServer(t)
	b := MustBot(t, srv)
	ctx := testContext(t)
	srv.Fail("sendMessage", 2, 502, "Bad Gateway")
	srv.Fail("*", 1, 429, "Too Many Requests: retry after 5")
	for i := range 2 {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 1, Text: "x"})
		if err == nil || !strings.Contains(err.Error(), "502 Bad Gateway") {
			t.Errorf("call %d: err = %v, want 502", i, err)
		}
	}
	_, err := b.GetMe(ctx)
	var tooMany *bot.TooManyRequestsError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter != 5 {
		t.Errorf("err = %v, want 429 with retry_after 5", err)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 1, Text: "x"}); err != nil {
		t.Errorf("after the failures: %v", err)
	}
	if n := len(srv.Sent(1)); n != 1 {
		t.Errorf("delivered %d messages, want 1", n)
	}
}

func TestServer_Block(t *testing.T) {
	srv := MustServer(t)
	b := MustBot(t, srv)
	ctx := testContext(t)
	m, _ := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "x"})
	srv.Block(alice.ID)
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "x"})
	if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "Forbidden: bot was blocked by the user") {
		t.Errorf("send: err = %v, want 403 blocked", err)
	}
	if _, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: alice.ID, MessageID: m.ID, Text: "y"}); !errors.Is(err, bot.ErrorForbidden) {
		t.Errorf("edit: err = %v, want 403", err)
	}
	srv.Unblock(alice.ID)
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "x"}); err != nil {
		t.Errorf("after Unblock: %v", err)
	}
}

func TestServer_Throttle(t *testing.T) {
	clk := newClock()
	srv := MustServer(t, telegramtest.WithNow(clk.Now))
	b := MustBot(t, srv)
	ctx := testContext(t)
	srv.Throttle(alice.ID, 5)
	for _, step := range []struct {
		advance time.Duration
		want    int // retry_after, 0 for success
	}{{0, 5}, {2 * time.Second, 3}, {2500 * time.Millisecond, 1}, {500 * time.Millisecond, 0}} {
		clk.Add(step.advance)
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "x"})
		var tooMany *bot.TooManyRequestsError
		switch {
		case step.want == 0 && err != nil:
			t.Errorf("after %v: %v", step.advance, err)
		case step.want != 0 && (!errors.As(err, &tooMany) || tooMany.RetryAfter != step.want):
			t.Errorf("after %v: err = %v, want retry_after %d", step.advance, err, step.want)
		}
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: bob.ID, Text: "x"}); err != nil {
		t.Errorf("other chat: %v", err)
	}
}

func TestServer_Hang(t *testing.T) {
	srv := MustServer(t)
	b := MustBot(t, srv)
	ctx := testContext(t)

	t.Run("Released", func(t *testing.T) {
		release := srv.Hang("sendMessage")
		errc := make(chan error, 1)
		go func() {
			_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "late"})
			errc <- err
		}()
		if err := srv.WaitFor(ctx, func(s *telegramtest.Server) bool { return s.Hanging() == 1 }); err != nil {
			t.Fatal(err)
		}
		if _, err := b.GetMe(ctx); err != nil {
			t.Errorf("other methods must not hang: %v", err)
		}
		if n := len(srv.Sent(alice.ID)); n != 0 {
			t.Errorf("delivered before release")
		}
		release()
		if err := <-errc; err != nil {
			t.Errorf("after release: %v", err)
		}
	})
	t.Run("Abandoned", func(t *testing.T) {
		release := srv.Hang("")
		defer release()
		cctx, cancel := context.WithCancel(ctx)
		errc := make(chan error, 1)
		go func() {
			_, err := b.SendMessage(cctx, &bot.SendMessageParams{ChatID: bob.ID, Text: "lost"})
			errc <- err
		}()
		if err := srv.WaitFor(ctx, func(s *telegramtest.Server) bool { return s.Hanging() == 1 }); err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if err := srv.WaitFor(ctx, func(s *telegramtest.Server) bool { return s.Hanging() == 0 }); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Sent(bob.ID)); n != 0 {
			t.Errorf("an abandoned send was delivered")
		}
	})
	t.Run("Down", func(t *testing.T) {
		srv.SetDown(true)
		errc := make(chan error, 1)
		go func() {
			_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "after outage"})
			errc <- err
		}()
		if err := srv.WaitFor(ctx, func(s *telegramtest.Server) bool { return s.Hanging() == 1 }); err != nil {
			t.Fatal(err)
		}
		srv.SetDown(false)
		if err := <-errc; err != nil {
			t.Errorf("after SetDown(false): %v", err)
		}
	})
}

func TestServer_StrictChats(t *testing.T) {
	srv := MustServer(t, telegramtest.WithStrictChats())
	b := MustBot(t, srv)
	ctx := testContext(t)
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "x"}); !errors.Is(err, bot.ErrorForbidden) {
		t.Errorf("unknown user: err = %v, want 403", err)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: -5, Text: "x"}); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("unknown group: err = %v, want 400 chat not found", err)
	}
	srv.SendText(alice, telegramtest.Chat{}, "/start")
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "x"}); err != nil {
		t.Errorf("after /start: %v", err)
	}
}

// TestServer_Concurrent is for -race: many senders, pressers and waiters.
func TestServer_Concurrent(t *testing.T) {
	srv := MustServer(t, telegramtest.WithLimits(telegramtest.Limits{Global: 1000, PerChat: 1000, Burst: 1000}))
	b := MustBot(t, srv)
	ctx := testContext(t)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chat := int64(100 + w)
			for i := range each {
				m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: fmt.Sprint(i), ReplyMarkup: keyboard("k")})
				if err != nil {
					t.Error(err)
					return
				}
				srv.PressButton(alice, telegramtest.Chat{ID: chat, Type: telegramtest.ChatTypePrivate}, m.ID, "k")
				if _, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: chat, MessageID: m.ID, Text: "edited"}); err != nil {
					t.Error(err)
				}
				_ = srv.Calls("")
			}
		}()
	}
	err := srv.WaitFor(ctx, func(s *telegramtest.Server) bool { return s.SentCount(0) == workers*each })
	if err != nil {
		t.Error(err)
	}
	wg.Wait()
	if got := getUpdates(ctx, t, srv, map[string]any{"limit": 100}); len(got) != workers*each {
		t.Errorf("got %d updates, want %d", len(got), workers*each)
	}
}
