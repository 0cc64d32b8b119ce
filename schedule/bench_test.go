package schedule_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// senderScale speeds Telegram's limits up ten times on both sides: the fake
// enforces 300/s overall, 10/s per chat (burst 1) and 200/min per group,
// and the Sender is told the same.
const senderScale = 10

// BenchmarkSender_600Chats sends one reminder to each of 600 private chats
// against the fake enforcing Telegram's limits ×10; the global limit
// (300/s) is the one that binds. rate_ratio is the achieved rate, (n−1)
// over the span between the fake's first and last accepted sendMessage,
// divided by 300/s; 429s counts the fake's refusals. The fsync variant is
// production; nosync opens the database with NoSync to show what the
// per-message MarkSent commit costs.
//
// Run: go test -run '^$' -bench 'Sender_(600Chats|OneChat100)' -benchtime 1x -count 5 ./schedule/
func BenchmarkSender_600Chats(b *testing.B) {
	for _, sync := range []bool{true, false} {
		b.Run(syncName(sync), func(b *testing.B) {
			benchSender(b, sync, 300, func(i int) int64 { return 500_000_000 + int64(i) }, 600)
		})
	}
}

// BenchmarkSender_OneChat100 sends 100 messages to one private chat; the
// per-chat limit (10/s ×10 scale, burst 1) binds, so rate_ratio is the
// achieved rate over 10/s.
func BenchmarkSender_OneChat100(b *testing.B) {
	for _, sync := range []bool{true, false} {
		b.Run(syncName(sync), func(b *testing.B) {
			benchSender(b, sync, 10, func(int) int64 { return 500_000_000 }, 100)
		})
	}
}

func syncName(sync bool) string {
	if sync {
		return "fsync"
	}
	return "nosync"
}

// timed wraps the transport to sum the time spent in Send.
type timed struct {
	schedule.Transport
	in atomic.Int64
}

func (t *timed) Send(ctx context.Context, m *store.Message) (int, error) {
	start := time.Now()
	id, err := t.Transport.Send(ctx, m)
	t.in.Add(int64(time.Since(start)))
	return id, err
}

func benchSender(b *testing.B, fsync bool, limit float64, chat func(int) int64, n int) {
	var ratio, tooMany, sendMS, perMsgMS float64
	for range b.N {
		b.StopTimer()
		srv := telegramtest.NewServer(telegramtest.WithLimits(telegramtest.Limits{
			Global: 30, PerChat: 1, PerGroupPerMinute: 20, Scale: senderScale}))
		client, err := bot.NewClient(srv.Token, srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		dir, err := os.MkdirTemp("", "duban-senderbench-*")
		if err != nil {
			b.Fatal(err)
		}
		db, err := store.Open(filepath.Join(dir, "duban.db"), store.Options{NoSync: !fsync})
		if err != nil {
			b.Fatal(err)
		}
		err = db.Update(func(tx *store.Tx) error {
			for i := range n {
				if _, err := tx.Enqueue(&store.Message{Key: fmt.Sprintf("remind|%05d", i), ChatID: chat(i),
					Kind: "reminder", Text: "【督办提醒】任务 4.1.3 将于 3 个工作日后到期，请及时报送进展。"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		tr := &timed{Transport: client}
		// As in duban serve: deliveries recorded in the sent log, folded
		// into the outbox once per burst.
		sent, err := store.OpenSentLog(db)
		if err != nil {
			b.Fatal(err)
		}
		s := &schedule.Sender{DB: db, Transport: tr, Logger: slog.New(slog.DiscardHandler), Log: sent,
			Limits: schedule.Limits{Global: 30 * senderScale, PerChat: 1 * senderScale, PerGroupPerMinute: 20 * senderScale}}
		b.StartTimer()
		start := time.Now()
		// Drain stops when only held messages remain (after a 429):
		// wait the holds out too, so every message is delivered.
		for left := n; left > 0; {
			if err := s.Drain(context.Background()); err != nil {
				b.Fatal(err)
			}
			db.View(func(tx *store.Tx) error { left, _ = tx.OutboxDepth(); return nil })
			if left > 0 {
				time.Sleep(10 * time.Millisecond)
			}
		}
		elapsed := time.Since(start)
		b.StopTimer()
		var first, last time.Time
		ok := 0
		for _, c := range srv.Calls("sendMessage") {
			if c.Code != 200 {
				continue
			}
			if ok == 0 {
				first = c.Time
			}
			last = c.Time
			ok++
		}
		if ok != n {
			b.Fatalf("%d messages accepted, want %d", ok, n)
		}
		ratio += float64(n-1) / last.Sub(first).Seconds() / limit
		tooMany += float64(srv.TooManyRequests())
		sendMS += float64(tr.in.Load()) / float64(len(srv.Calls("sendMessage"))) / 1e6
		perMsgMS += float64(elapsed) / float64(n) / 1e6
		srv.Close()
		sent.Close()
		db.Close()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	N := float64(b.N)
	b.ReportMetric(ratio/N, "rate_ratio")
	b.ReportMetric(tooMany/N, "429s")
	b.ReportMetric(sendMS/N, "send_ms")   // mean time in Transport.Send (round trip to the fake)
	b.ReportMetric(perMsgMS/N, "step_ms") // wall time per message delivered
}
