package telegramtest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"github.com/duban-bureau/duban/bot/telegramtest"
)

func TestServer_Limits(t *testing.T) {
	send := func(t *testing.T, b *bot.Bot, chatID int64) error {
		t.Helper()
		_, err := b.SendMessage(testContext(t), &bot.SendMessageParams{ChatID: chatID, Text: "x"})
		return err
	}
	retryAfter := func(t *testing.T, err error) int {
		t.Helper()
		var tooMany *bot.TooManyRequestsError
		if !errors.As(err, &tooMany) {
			t.Fatalf("err = %v, want a TooManyRequestsError", err)
		}
		return tooMany.RetryAfter
	}

	t.Run("PerChat", func(t *testing.T) {
		clk := newClock()
		srv := MustServer(t, telegramtest.WithNow(clk.Now), telegramtest.WithLimits(telegramtest.Limits{PerChat: 1, Burst: 2}))
		b := MustBot(t, srv)
		for i := range 2 {
			if err := send(t, b, alice.ID); err != nil {
				t.Fatalf("send %d within the burst: %v", i, err)
			}
		}
		if got := retryAfter(t, send(t, b, alice.ID)); got != 1 {
			t.Errorf("retry_after = %d, want 1", got)
		}
		if err := send(t, b, bob.ID); err != nil {
			t.Errorf("another chat is limited too: %v", err)
		}
		clk.Add(time.Second)
		if err := send(t, b, alice.ID); err != nil {
			t.Errorf("after retry_after: %v", err)
		}
		if n := srv.TooManyRequests(); n != 1 {
			t.Errorf("TooManyRequests = %d, want 1", n)
		}
		if len(srv.Sent(alice.ID)) != 3 {
			t.Errorf("a refused send was delivered")
		}
	})

	t.Run("Group", func(t *testing.T) {
		clk := newClock()
		srv := MustServer(t, telegramtest.WithNow(clk.Now), telegramtest.WithLimits(telegramtest.Limits{PerGroupPerMinute: 20}))
		b := MustBot(t, srv)
		for i := range 20 {
			if err := send(t, b, -100); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		if got := retryAfter(t, send(t, b, -100)); got != 3 {
			t.Errorf("retry_after = %d, want 3 (one message per 3 s)", got)
		}
		if err := send(t, b, alice.ID); err != nil {
			t.Errorf("private chats have no per-minute limit: %v", err)
		}
	})

	t.Run("GlobalScaled", func(t *testing.T) {
		clk := newClock()
		srv := MustServer(t, telegramtest.WithNow(clk.Now), telegramtest.WithLimits(telegramtest.Limits{Global: 30, Scale: 10}))
		b := MustBot(t, srv)
		for i := range 30 {
			if err := send(t, b, int64(i+1)); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		if got := retryAfter(t, send(t, b, 99)); got != 1 {
			t.Errorf("retry_after = %d, want 1", got)
		}
		clk.Add(time.Second / 300) // one token at 30/s ×10
		if err := send(t, b, 99); err != nil {
			t.Errorf("scaled refill: %v", err)
		}
	})

	t.Run("RealClock", func(t *testing.T) {
		srv := MustServer(t, telegramtest.WithLimits(telegramtest.TelegramLimits()))
		b := MustBot(t, srv)
		var refused int
		for range 10 {
			if err := send(t, b, alice.ID); err != nil {
				retryAfter(t, err)
				refused++
			}
		}
		if refused == 0 || srv.TooManyRequests() != refused {
			t.Errorf("refused %d, counted %d; want some 429s counted", refused, srv.TooManyRequests())
		}
	})
}
