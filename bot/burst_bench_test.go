package bot_test

import (
	"context"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// benchLatencies are the round trips every benchmark that talks to the
// fake runs at (SetLatency: half each way).
var benchLatencies = []time.Duration{0, 50 * time.Millisecond, 150 * time.Millisecond, 300 * time.Millisecond}

func latName(d time.Duration) string { return fmt.Sprintf("lat=%dms", d.Milliseconds()) }

const (
	burstReminders = 600
	burstUsers     = 20
	burstRounds    = 5
	reminderBase   = 900_000_001
)

// BenchmarkReplyUnderBurst is the 09:00 burst: 600 reminders are queued
// for 600 chats at the moment 20 contacts start sending /progress, each
// waiting for the bot's answer before the next (five each), through the
// real pipeline (poller, App, outbox, sender with Telegram's real limits,
// the fake enforcing them with no per-chat burst) at each latency.
// reply_p50_ms/reply_p99_ms run from the user's update reaching the fake
// to the reply reaching it: a round trip (the poll's answer, the send's
// request) plus the wait for the chat's 1/s slot, not the 20 s the
// reminders take. rate_ratio is the rate of all sends (reminders and
// replies) over 30/s.
//
// Run: go test -run '^$' -bench ReplyUnderBurst -benchtime 1x -count 5 ./bot/
func BenchmarkReplyUnderBurst(b *testing.B) {
	for _, lat := range benchLatencies {
		b.Run(latName(lat), func(b *testing.B) {
			var p50s, p99s, ratios, tooMany []float64
			for range b.N {
				r := runBurst(b, lat)
				p50s, p99s = append(p50s, r.p50), append(p99s, r.p99)
				ratios, tooMany = append(ratios, r.rate/30), append(tooMany, r.tooMany)
			}
			b.ReportMetric(median(p50s), "reply_p50_ms")
			b.ReportMetric(median(p99s), "reply_p99_ms")
			b.ReportMetric(median(ratios), "rate_ratio")
			b.ReportMetric(median(tooMany), "429s")
		})
	}
}

type burstResult struct{ p50, p99, rate, tooMany float64 }

func runBurst(b *testing.B, lat time.Duration) burstResult {
	dir, err := os.MkdirTemp("", "duban-burstbench-*")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(filepath.Join(dir, "duban.db"), store.Options{MaxBatchDelay: 2 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	err = db.Update(func(tx *store.Tx) error {
		for d := range chatDepts {
			if err := tx.AddDepartment(deptName(d)); err != nil {
				return err
			}
		}
		for u := range burstUsers {
			if err := tx.PutTask(&store.Task{ID: taskID(u), PlanID: "bench", Text: "推进入海排污口排查整治工作，按月报送进展。",
				Lead: deptName(u), Status: store.StatusInProgress, Deadline: store.NewDate(2031, 12, 31)}); err != nil {
				return err
			}
			if err := tx.PutContact(&store.Contact{UserID: userBase + int64(u), ChatID: userBase + int64(u),
				Name: "联络员" + strconv.Itoa(u), Dept: deptName(u), Role: store.RoleContact}); err != nil {
				return err
			}
		}
		for i := range burstReminders {
			if _, err := tx.Enqueue(&store.Message{Key: fmt.Sprintf("before7|%05d", i), ChatID: reminderBase + int64(i),
				Kind: store.KindReminder, DueAt: now, Text: "【督办提醒】任务 4.1.3 将于 3 个工作日后到期，请及时报送进展。"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	lim := telegramtest.TelegramLimits()
	lim.Burst = 1
	srv := telegramtest.NewServer(telegramtest.WithLimits(lim))
	defer srv.Close()
	srv.SetLatency(lat)
	client, err := telegram.NewClient(srv.Token, srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	tr := &timedTransport{Transport: client, replied: make([]chan struct{}, burstUsers)}
	for i := range tr.replied {
		tr.replied[i] = make(chan struct{}, burstRounds)
	}
	sent, err := store.OpenSentLog(db)
	if err != nil {
		b.Fatal(err)
	}
	defer sent.Close()
	sender := &outbox.Sender{DB: db, Transport: tr, Logger: quiet, Log: sent, Limits: outbox.DefaultLimits()}
	app := &bot.App{DB: db, TG: client, Lang: "zh", Loc: time.Local, Logger: quiet, Wake: sender.Wake}
	offsets := &telegram.OffsetStore{DB: db}
	poller := &telegram.Poller{Client: client, Logger: quiet, Timeout: 10 * time.Second,
		Handle:   func(ctx context.Context, us []*models.Update) { telegram.HandleUpdates(ctx, app, us) },
		OnOffset: func(next int64) { offsets.Save(next) }}
	ctx, cancel := context.WithCancel(context.Background())
	var bg sync.WaitGroup
	bg.Add(2)
	go func() { defer bg.Done(); sender.Run(ctx) }()
	go func() { defer bg.Done(); poller.Run(ctx) }()

	injected := make([][]time.Time, burstUsers)
	var users sync.WaitGroup
	for u := range burstUsers {
		users.Add(1)
		go func() {
			defer users.Done()
			from := telegramtest.User{ID: userBase + int64(u), FirstName: "联络员" + strconv.Itoa(u)}
			for k := range burstRounds {
				injected[u] = append(injected[u], srv.Now())
				srv.SendText(from, telegramtest.Chat{}, fmt.Sprintf("/progress %s %d%%", taskID(u), k+1))
				select {
				case <-tr.replied[u]:
				case <-time.After(2 * time.Minute):
					b.Errorf("user %d: no reply to update %d", u, k)
					return
				}
			}
		}()
	}
	users.Wait()
	// The reminders finish on their own; the run ends when all are out.
	for {
		var left int
		db.View(func(tx *store.Tx) error { left, _, _ = tx.OutboxDepth(); return nil })
		if left == 0 && srv.SentCount(0) >= burstReminders+burstUsers*burstRounds {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	bg.Wait()

	arrived := map[int64][]time.Time{}
	var first, last time.Time
	reminders := 0
	for _, c := range srv.Calls("sendMessage") {
		if c.Code != 200 {
			continue
		}
		if first.IsZero() {
			first = c.Time
		}
		last = c.Time
		id, _ := strconv.ParseInt(c.Params["chat_id"], 10, 64)
		if id >= reminderBase {
			reminders++
			continue
		}
		arrived[id] = append(arrived[id], c.Time)
	}
	var waits []float64
	for u := range burstUsers {
		got := arrived[userBase+int64(u)]
		if len(got) != burstRounds {
			b.Fatalf("user %d: %d replies, want %d", u, len(got), burstRounds)
		}
		for k, at := range got {
			waits = append(waits, float64(at.Sub(injected[u][k]))/float64(time.Millisecond))
		}
	}
	if reminders != burstReminders {
		b.Fatalf("%d reminders delivered, want %d", reminders, burstReminders)
	}
	slices.Sort(waits)
	return burstResult{
		p50:     waits[len(waits)/2],
		p99:     waits[len(waits)*99/100],
		rate:    float64(reminders+len(waits)-1) / last.Sub(first).Seconds(),
		tooMany: float64(srv.TooManyRequests()),
	}
}
