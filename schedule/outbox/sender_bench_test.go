package outbox_test

import (
	"context"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// BenchmarkSender_FakeServer drains b.N messages (to 200 chats, a fifth of
// them groups) through the real transport into the fake Bot API, which
// enforces the same limits with a burst of 1 per chat, at each latency of
// benchLatencies. It reports the achieved global rate as a fraction of the
// limit (the target is ≥ 0.95) and the 429s the server gave (the target is
// 0). It runs on the wall clock and with fsync, as in production, and so
// at Telegram's real rates. Run with -benchtime 300x (ten seconds each).
func BenchmarkSender_FakeServer(b *testing.B) {
	for _, lat := range benchLatencies {
		b.Run(latName(lat), func(b *testing.B) { benchFakeServer(b, lat) })
	}
}

func benchFakeServer(b *testing.B, lat time.Duration) {
	const scale = 1
	srv := telegramtest.NewServer(telegramtest.WithLimits(telegramtest.Limits{
		Global: 30, PerChat: 1, PerGroupPerMinute: 20, Burst: 1, Scale: scale}))
	defer srv.Close()
	srv.SetLatency(lat)
	client, err := telegram.NewClient(srv.Token, srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(filepath.Join(b.TempDir(), "duban.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *store.Tx) error {
		for i := range b.N {
			chat := int64(1000 + i%200)
			if i%5 == 0 {
				chat = -chat
			}
			if _, err := tx.Enqueue(&store.Message{Key: fmt.Sprintf("m%07d", i), ChatID: chat, Text: "提醒"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	s := &outbox.Sender{DB: db, Transport: client, Logger: slog.New(slog.DiscardHandler),
		Limits: outbox.Limits{Global: 30 * scale, PerChat: 1 * scale, PerGroupPerMinute: 20 * scale}}
	b.ResetTimer()
	if err := s.Drain(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	var ts []time.Time
	for _, c := range srv.Calls("sendMessage") {
		if c.Code == 200 {
			ts = append(ts, c.Time)
		}
	}
	if len(ts) != b.N {
		b.Fatalf("server accepted %d of %d messages", len(ts), b.N)
	}
	if b.N > 1 {
		rate := float64(b.N-1) / ts[b.N-1].Sub(ts[0]).Seconds()
		b.ReportMetric(rate/(30*scale), "of-limit")
	}
	b.ReportMetric(float64(maxInWindow(ts, time.Second/scale)), "max/s") // as the server saw it
	b.ReportMetric(float64(srv.TooManyRequests()), "429s")
}
