package bot_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	bolt "go.etcd.io/bbolt"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

const (
	chatUsers   = 500
	chatUpdates = 10_000
	chatDepts   = 20
	// pollerWidth is how many chats the poller handles at once: one
	// getUpdates answer (limit 100) with a chat per update.
	pollerWidth = 100
)

// timedTransport tells each user's goroutine that its reply went out, so
// the user sends the next status update only then.
type timedTransport struct {
	outbox.Transport
	replied []chan struct{} // by user index
}

func (t *timedTransport) Send(ctx context.Context, m *store.Message) (int, error) {
	id, err := t.Transport.Send(ctx, m)
	if err == nil {
		if i := int(m.ChatID - userBase); i >= 0 && i < len(t.replied) {
			t.replied[i] <- struct{}{}
		}
	}
	return id, err
}

const userBase = 700_000_001

// BenchmarkChatThroughput pushes 10,000 status updates (/progress <task> N%)
// from 500 registered contacts through the real pipeline: the fake Bot API,
// telegram.Poller (as duban serve wires it, with the offset commit per batch),
// App.HandleRequests (one fsynced DB.Batch per update), the outbox and
// outbox.Sender (limits off), back to the fake. Each user waits for the
// bot's answer before sending the next update (500 outstanding at most).
// Afterwards the database is closed, reopened and checked: 10,000 history
// entries and 10,000 handled updates. In the same iteration raw bbolt
// DB.Batch commits from pollerWidth goroutines (three puts of the same sizes
// per call, fsync on) give the ceiling the ratio is taken against.
//
// Run: go test -run '^$' -bench ChatThroughput -benchtime 1x -count 5 ./bot/
//
// The "open" variant queues all 10,000 updates at once instead, which
// separates intake from delivery: handled/s is how fast the poller and the
// handlers commit (the replies still queue behind the sender's window).
//
// Each runs at the latencies of benchLatencies (the fake's SetLatency, half
// each way); with a network the run sends 1,000 updates (two per user)
// instead of 10,000, and window_ratio is the reply rate over what the
// sender's window allows with limits off, outbox.DefaultWindow per round
// trip.
func BenchmarkChatThroughput(b *testing.B) {
	for _, closed := range []bool{true, false} {
		name := "closed"
		if !closed {
			name = "open"
		}
		for _, lat := range benchLatencies {
			b.Run(name+"/"+latName(lat), func(b *testing.B) {
				updates := chatUpdates
				if lat > 0 {
					updates = 2 * chatUsers
				}
				var rates, handled, p50s, p99s, raws []float64
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					if lat == 0 {
						raws = append(raws, rawBatch(b, chatUpdates, pollerWidth))
					}
					b.StartTimer()
					r := runChat(b, closed, lat, updates)
					b.StopTimer()
					rates, handled = append(rates, r.rate), append(handled, r.handled)
					p50s, p99s = append(p50s, r.p50), append(p99s, r.p99)
					b.StartTimer()
				}
				rate := median(rates)
				b.ReportMetric(rate, "updates/s")
				b.ReportMetric(median(handled), "handled/s")
				b.ReportMetric(median(p50s), "p50_ms")
				b.ReportMetric(median(p99s), "p99_ms")
				if lat == 0 {
					raw := median(raws)
					b.ReportMetric(raw, "raw_batch/s")
					// persist_ratio: updates persisted per second against raw
					// bbolt (the throughput); reply_ratio: updates
					// answered per second.
					b.ReportMetric(median(handled)/raw, "persist_ratio")
					b.ReportMetric(rate/raw, "reply_ratio")
				} else {
					b.ReportMetric(rate/(float64(outbox.DefaultWindow)/lat.Seconds()), "window_ratio")
				}
			})
		}
	}
}

type chatResult struct{ rate, handled, p50, p99 float64 }

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func taskID(u int) string { return fmt.Sprintf("8.%d.%d", u/chatDepts+1, u%chatDepts+1) }

func deptName(u int) string { return "部门" + strconv.Itoa(u%chatDepts+1) }

func runChat(b *testing.B, closed bool, lat time.Duration, updates int) chatResult {
	dir, err := os.MkdirTemp("", "duban-chatbench-*")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "duban.db")
	db, err := store.Open(path, store.Options{MaxBatchDelay: 2 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	err = db.Update(func(tx *store.Tx) error {
		for d := range chatDepts {
			if err := tx.AddDepartment(deptName(d)); err != nil {
				return err
			}
		}
		for u := range chatUsers {
			if err := tx.PutTask(&store.Task{ID: taskID(u), PlanID: "bench", Text: "推进入海排污口排查整治工作，按月报送进展。",
				Lead: deptName(u), Status: store.StatusInProgress, Deadline: store.NewDate(2031, 12, 31)}); err != nil {
				return err
			}
			if err := tx.PutContact(&store.Contact{UserID: userBase + int64(u), ChatID: userBase + int64(u),
				Name: "联络员" + strconv.Itoa(u), Dept: deptName(u), Role: store.RoleContact}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}

	srv := telegramtest.NewServer()
	defer srv.Close()
	srv.SetLatency(lat)
	client, err := telegram.NewClient(srv.Token, srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	tr := &timedTransport{Transport: client, replied: make([]chan struct{}, chatUsers)}
	for i := range tr.replied {
		tr.replied[i] = make(chan struct{}, updates/chatUsers)
	}
	// As in duban serve: deliveries go to the sent log.
	sent, err := store.OpenSentLog(db)
	if err != nil {
		b.Fatal(err)
	}
	defer sent.Close()
	sender := &outbox.Sender{DB: db, Transport: tr, Logger: quiet, Log: sent,
		Limits: outbox.Limits{Global: -1, PerChat: -1, PerGroupPerMinute: -1}}
	app := &bot.App{DB: db, TG: client, Lang: "zh", Loc: time.Local, Logger: quiet, Wake: sender.Wake}
	var handled atomic.Int64
	allHandled := make(chan time.Time, 1)
	offsets := &telegram.OffsetStore{DB: db} // as bot/server wires it
	poller := &telegram.Poller{Client: client, Logger: quiet, Timeout: 10 * time.Second,
		Handle: func(ctx context.Context, us []*models.Update) {
			telegram.HandleUpdates(ctx, app, us)
			if handled.Add(int64(len(us))) == int64(updates) {
				allHandled <- time.Now()
			}
		},
		OnOffset: func(next int64) { offsets.Save(next) }}
	ctx, cancel := context.WithCancel(context.Background())
	var bg sync.WaitGroup
	bg.Add(2)
	go func() { defer bg.Done(); sender.Run(ctx) }()
	go func() { defer bg.Done(); poller.Run(ctx) }()

	// injected[u][k] is when user u's k-th update was queued.
	injected := make([][]time.Time, chatUsers)
	ids := make([][]int64, chatUsers)
	per := updates / chatUsers
	start := time.Now()
	var users sync.WaitGroup
	for u := range chatUsers {
		users.Add(1)
		go func() {
			defer users.Done()
			from := telegramtest.User{ID: userBase + int64(u), FirstName: "联络员" + strconv.Itoa(u)}
			for k := range per {
				injected[u] = append(injected[u], srv.Now())
				ids[u] = append(ids[u], srv.SendText(from, telegramtest.Chat{}, fmt.Sprintf("/progress %s %d%%", taskID(u), k+1)))
				if !closed {
					continue
				}
				select {
				case <-tr.replied[u]:
				case <-time.After(2 * time.Minute):
					b.Errorf("user %d: no reply to update %d", u, k)
					return
				}
			}
			if !closed {
				for range per {
					<-tr.replied[u]
				}
			}
		}()
	}
	users.Wait()
	elapsed := time.Since(start)
	handledAt := <-allHandled
	cancel()
	bg.Wait()

	// Latency: the k-th sendMessage to a chat answers its k-th update
	// (a chat's updates are handled in order and its replies leave in
	// order); both instants are the fake's clock.
	arrived := map[int64][]time.Time{}
	for _, c := range srv.Calls("sendMessage") {
		if c.Code != 200 {
			continue
		}
		id, _ := strconv.ParseInt(c.Params["chat_id"], 10, 64)
		arrived[id] = append(arrived[id], c.Time)
	}
	var waits []float64
	for u := range chatUsers {
		got := arrived[userBase+int64(u)]
		if len(got) != per {
			b.Fatalf("user %d: %d replies, want %d", u, len(got), per)
		}
		for k, at := range got {
			waits = append(waits, float64(at.Sub(injected[u][k]))/float64(time.Millisecond))
		}
	}
	slices.Sort(waits)
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}

	// Nothing lost after a restart: reopen and count.
	db, err = store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var hist, seen, pending int
	db.View(func(tx *store.Tx) error {
		for u := range chatUsers {
			h, err := tx.History(taskID(u))
			if err != nil {
				return err
			}
			for _, e := range h {
				if e.Kind == "progress" {
					hist++
				}
			}
			for _, id := range ids[u] {
				if tx.SeenUpdate(id) {
					seen++
				}
			}
		}
		pending, _, _ = tx.OutboxDepth()
		return nil
	})
	if hist != updates || seen != updates || pending != 0 || handled.Load() != int64(updates) {
		b.Fatalf("after reopening: %d history entries, %d handled updates (%d handled in the run), %d pending replies; want %d, %d, 0",
			hist, seen, handled.Load(), pending, updates, updates)
	}
	return chatResult{
		rate:    float64(updates) / elapsed.Seconds(),
		handled: float64(updates) / handledAt.Sub(start).Seconds(),
		p50:     waits[len(waits)/2],
		p99:     waits[len(waits)*99/100],
	}
}

// rawBatch returns the commits per second of n bbolt DB.Batch calls from
// workers goroutines, each call writing what handling a status update
// writes: the task record (~300 B), a history entry (~250 B), an outbox
// entry (~900 B) and the handled-update mark. fsync is on.
func rawBatch(b *testing.B, n, workers int) float64 {
	dir, err := os.MkdirTemp("", "duban-rawbatch-*")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := bolt.Open(filepath.Join(dir, "raw.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	names := [][]byte{[]byte("tasks"), []byte("history"), []byte("outbox"), []byte("updates")}
	db.Update(func(tx *bolt.Tx) error {
		for _, n := range names {
			tx.CreateBucketIfNotExists(n)
		}
		return nil
	})
	task, hist, out := make([]byte, 300), make([]byte, 250), make([]byte, 900)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				k := binary.BigEndian.AppendUint64(nil, uint64(i))
				err := db.Batch(func(tx *bolt.Tx) error {
					if err := tx.Bucket(names[0]).Put(binary.BigEndian.AppendUint64(nil, uint64(i%chatUsers)), task); err != nil {
						return err
					}
					if err := tx.Bucket(names[1]).Put(k, hist); err != nil {
						return err
					}
					if err := tx.Bucket(names[2]).Put(k, out); err != nil {
						return err
					}
					return tx.Bucket(names[3]).Put(k, nil)
				})
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}
