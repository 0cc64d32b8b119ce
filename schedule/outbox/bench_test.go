package outbox_test

import (
	"context"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// benchLatencies are the round trips every benchmark that talks to the
// fake runs at: an in-process fake, then a network (SetLatency delays each
// answer; 50–300 ms is what a Bot API call takes from most hosts).
var benchLatencies = []time.Duration{0, 50 * time.Millisecond, 150 * time.Millisecond, 300 * time.Millisecond}

func latName(d time.Duration) string { return fmt.Sprintf("lat=%dms", d.Milliseconds()) }

// BenchmarkSender_600Chats sends one reminder to each of 600 private chats
// against the fake enforcing Telegram's real limits (30/s overall, 1/s per
// chat with no burst, 20/min per group), at each latency; the global limit
// binds. rate_ratio is the achieved rate, (n−1) over the span between the
// fake's first and last accepted sendMessage, divided by 30/s; 429s counts
// the fake's refusals; max_flight is the most sends in flight at once.
// Deliveries go to the sent log, fsync on, as in duban serve.
//
// Run: go test -run '^$' -bench 'Sender_600Chats' -benchtime 1x -count 5 ./schedule/outbox/
// (each run takes 20 s; run the latencies in parallel with -bench 'Sender_600Chats/lat=150ms$').
func BenchmarkSender_600Chats(b *testing.B) {
	for _, lat := range benchLatencies {
		b.Run(latName(lat), func(b *testing.B) {
			benchSender(b, lat, 30, func(i int) int64 { return 500_000_000 + int64(i) }, 600)
		})
	}
}

// BenchmarkSender_OneChat100 sends 100 messages to one private chat at
// each latency; the per-chat limit (1/s, no burst) binds, so rate_ratio is
// the achieved rate over 1/s. chat_flight is the most sends to that chat in
// flight at once (must be 1). Each run takes 100 s.
func BenchmarkSender_OneChat100(b *testing.B) {
	for _, lat := range benchLatencies {
		b.Run(latName(lat), func(b *testing.B) {
			benchSender(b, lat, 1, func(int) int64 { return 500_000_000 }, 100)
		})
	}
}

// timed wraps the transport to sum the time spent in Send and count what is
// in flight, overall and per chat.
type timed struct {
	outbox.Transport
	in         atomic.Int64
	mu         sync.Mutex
	flying     int
	chats      map[int64]int
	most, chat int
}

func (t *timed) Send(ctx context.Context, m *store.Message) (int, error) {
	t.mu.Lock()
	t.flying++
	t.chats[m.ChatID]++
	t.most, t.chat = max(t.most, t.flying), max(t.chat, t.chats[m.ChatID])
	t.mu.Unlock()
	start := time.Now()
	id, err := t.Transport.Send(ctx, m)
	t.in.Add(int64(time.Since(start)))
	t.mu.Lock()
	t.flying--
	t.chats[m.ChatID]--
	t.mu.Unlock()
	return id, err
}

func benchSender(b *testing.B, lat time.Duration, limit float64, chat func(int) int64, n int) {
	var ratio, tooMany, sendMS, flight, chatFlight float64
	for range b.N {
		b.StopTimer()
		srv := telegramtest.NewServer(telegramtest.WithLimits(telegramtest.Limits{
			Global: 30, PerChat: 1, PerGroupPerMinute: 20, Burst: 1, Scale: 1}))
		srv.SetLatency(lat)
		client, err := telegram.NewClient(srv.Token, srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		dir, err := os.MkdirTemp("", "duban-senderbench-*")
		if err != nil {
			b.Fatal(err)
		}
		db, err := store.Open(filepath.Join(dir, "duban.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		at := time.Now()
		err = db.Update(func(tx *store.Tx) error {
			for i := range n {
				if _, err := tx.Enqueue(&store.Message{Key: fmt.Sprintf("remind|%05d", i), ChatID: chat(i), DueAt: at,
					Kind: "reminder", Text: "【督办提醒】任务 4.1.3 将于 3 个工作日后到期，请及时报送进展。"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		tr := &timed{Transport: client, chats: map[int64]int{}}
		sent, err := store.OpenSentLog(db)
		if err != nil {
			b.Fatal(err)
		}
		s := &outbox.Sender{DB: db, Transport: tr, Logger: slog.New(slog.DiscardHandler), Log: sent,
			Limits: outbox.DefaultLimits()}
		b.StartTimer()
		// Drain stops when only held messages remain (after a 429):
		// wait the holds out too, so every message is delivered.
		for left := n; left > 0; {
			if err := s.Drain(context.Background()); err != nil {
				b.Fatal(err)
			}
			db.View(func(tx *store.Tx) error { left, _, _ = tx.OutboxDepth(); return nil })
			if left > 0 {
				time.Sleep(10 * time.Millisecond)
			}
		}
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
		flight += float64(tr.most)
		chatFlight += float64(tr.chat)
		srv.Close()
		sent.Close()
		db.Close()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	N := float64(b.N)
	b.ReportMetric(ratio/N, "rate_ratio")
	b.ReportMetric(tooMany/N, "429s")
	b.ReportMetric(sendMS/N, "send_ms") // mean time in Transport.Send (round trip to the fake)
	b.ReportMetric(flight/N, "max_flight")
	b.ReportMetric(chatFlight/N, "chat_flight")
}
