package main

import (
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// TestCrash_MidDelivery delivers a 300-message outbox (100 chats, three
// messages each) over a 150 ms network and stops duban mid-burst: SIGKILL
// three times and SIGTERM once, restarting it each time, then lets it
// drain. Every message arrives, each chat's in order; the messages re-sent
// after a kill are at most the window (outbox.DefaultWindow) and at most
// one per chat (they were in flight, one per chat); after the clean
// shutdown none is re-sent (README, docs/ARCHITECTURE.md).
func TestCrash_MidDelivery(t *testing.T) {
	t.Parallel()
	const chats, per = 100, 3
	const n = chats * per
	fake := telegramtest.NewServer()
	defer fake.Close()
	fake.SetLatency(150 * time.Millisecond)
	path := dbPath(t)
	db := openDB(t, path)
	text := func(chat, k int) string { return fmt.Sprintf("第 %d 条通知（%d/%d）", chat, k+1, per) }
	err := db.Update(func(tx *store.Tx) error {
		if err := seedDepartments(tx); err != nil {
			return err
		}
		for i := range chats {
			for k := range per {
				if _, err := tx.Enqueue(&store.Message{Key: fmt.Sprintf("crash|%03d|%d", i, k), ChatID: chatN(i), Kind: "notice",
					Text: text(i, k)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	accepted := func() []telegramtest.Call {
		var out []telegramtest.Call
		for _, c := range fake.Calls("sendMessage") {
			if c.Code == 200 {
				out = append(out, c)
			}
		}
		return out
	}
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	t.Logf("seed %d", seed)
	type stop struct {
		clean bool
		after int // accepted sends when the process was gone
	}
	var stops []stop
	for _, clean := range []bool{false, false, true, false} {
		seen := len(accepted())
		if seen >= n-40 {
			break
		}
		k := seen + 1 + rng.IntN((n-seen)/4)
		p := serve(t, fake, path, nil, "--plan", "none")
		waitFake(t, fake, p, 60*time.Second, fmt.Sprintf("%d messages delivered", k), func(s *telegramtest.Server) bool { return s.SentCount(0) >= k })
		if clean {
			p.stop(30 * time.Second)
		} else {
			p.kill()
		}
		// What the dead process had on the way is delivered or dropped
		// before the next process's sends are counted.
		waitFake(t, fake, nil, 30*time.Second, "the stopped process's requests answered", func(s *telegramtest.Server) bool { return s.Active() == 0 })
		stops = append(stops, stop{clean, len(accepted())})
		t.Logf("stop %d (clean %v) after %d messages (aimed at %d)", len(stops), clean, stops[len(stops)-1].after, k)
	}
	p := serve(t, fake, path, nil, "--plan", "none")
	waitFake(t, fake, p, 60*time.Second, "every message delivered", func(s *telegramtest.Server) bool {
		for i := range chats {
			if s.SentCount(chatN(i)) < per {
				return false
			}
		}
		return true
	})
	p.stop(30 * time.Second)

	// A send that repeats one accepted before it is a duplicate, owed to
	// the stop that ended the process the earlier one was accepted in: that
	// process was stopped before it recorded the delivery.
	calls := accepted()
	life := map[string]int{} // text → process (index into stops) that last delivered it
	order := map[int64][]string{}
	cur := 0
	dups := make([]map[int64]int, len(stops))
	total := 0
	for i, c := range calls {
		for cur < len(stops) && i >= stops[cur].after {
			cur++
		}
		chat, _ := strconv.ParseInt(c.Params["chat_id"], 10, 64)
		txt := c.Params["text"]
		prev, again := life[txt]
		life[txt] = cur
		if !again {
			order[chat] = append(order[chat], txt)
			continue
		}
		if prev >= len(stops) || prev == cur {
			t.Errorf("%q sent twice by one process", txt)
			continue
		}
		if dups[prev] == nil {
			dups[prev] = map[int64]int{}
		}
		dups[prev][chat]++
		total++
	}
	for i, st := range stops {
		sum := 0
		for chat, d := range dups[i] {
			sum += d
			if d > 1 {
				t.Errorf("stop %d: chat %d got %d duplicates, want at most 1 (one message in flight per chat)", i+1, chat, d)
			}
		}
		switch {
		case st.clean && sum > 0:
			t.Errorf("stop %d was a clean shutdown, yet %d messages were sent again", i+1, sum)
		case sum > outbox.DefaultWindow:
			t.Errorf("stop %d: %d duplicates, want at most the window (%d)", i+1, sum, outbox.DefaultWindow)
		}
		t.Logf("stop %d (clean %v): %d duplicates", i+1, st.clean, sum)
	}
	t.Logf("%d stops, %d duplicates, %d sendMessage calls", len(stops), total, len(fake.Calls("sendMessage")))
	for i := range chats {
		want := []string{text(i, 0), text(i, 1), text(i, 2)}
		if got := order[chatN(i)]; !slices.Equal(got, want) {
			t.Errorf("chat %d got %q, want %q in that order", chatN(i), got, want)
		}
	}
	db = openDB(t, path)
	db.View(func(tx *store.Tx) error {
		if depth, _, _ := tx.OutboxDepth(); depth != 0 {
			t.Errorf("%d messages still pending after the drain", depth)
		}
		for i := range chats {
			for k := range per {
				m, err := tx.Message(fmt.Sprintf("crash|%03d|%d", i, k))
				if err != nil || m.State != store.MessageSent {
					t.Errorf("message %d/%d: %v, state %v", i, k, err, m)
				}
			}
		}
		return nil
	})
}

func chatN(i int) int64 { return 10000 + int64(i) }

// TestCrash_LostUpdate stops duban between receiving an update and handling
// it, and between handling it and confirming its offset: after a restart
// the update is applied exactly once, with one history entry and one reply.
func TestCrash_LostUpdate(t *testing.T) {
	t.Parallel()
	for _, point := range []string{"before-handle", "after-handle"} {
		t.Run(point, func(t *testing.T) {
			t.Parallel()
			fake := telegramtest.NewServer()
			defer fake.Close()
			path := dbPath(t)
			admin := telegramtest.User{ID: 1, FirstName: "管理员"}

			p := serve(t, fake, path, []string{"DUBAN_CRASH_AT=" + point})
			waitFake(t, fake, p, 30*time.Second, "the first long poll", func(s *telegramtest.Server) bool { return s.Polling() })
			uid := fake.SendText(admin, telegramtest.Chat{}, "/progress 4.1.3 60%")
			if code := p.wait(30 * time.Second); code != 86 {
				t.Fatalf("exit status %d, want 86 from DUBAN_CRASH_AT=%s\nlogs:\n%s", code, point, p.logs())
			}
			if fake.Confirmed(uid) {
				t.Fatalf("update %d confirmed to Telegram before the crash", uid)
			}

			p = serve(t, fake, path, nil)
			waitFake(t, fake, p, 30*time.Second, "the update confirmed and the reply sent", func(s *telegramtest.Server) bool {
				return s.Confirmed(uid) && repliesTo(s, 1, "已更新进度") >= 1
			})
			p.stop(30 * time.Second)

			// The update is applied once (checked below). Its reply may
			// have been in flight when the process died after handling,
			// and is then sent again: at most that one duplicate.
			want := 1
			if point == "after-handle" {
				want = 2
			}
			if got := repliesTo(fake, 1, "已更新进度"); got < 1 || got > want {
				t.Errorf("%d progress replies, want 1 (at most %d): %v", got, want, fake.Sent(1))
			}
			db := openDB(t, path)
			db.View(func(tx *store.Tx) error {
				progressOnce(t, tx)
				if depth, _, _ := tx.OutboxDepth(); depth != 0 {
					t.Errorf("%d messages still pending", depth)
				}
				return nil
			})
		})
	}
}

// TestCrash_PoisonDocument: a document that kills duban while it is being
// handled (here DUBAN_CRASH_AT=mid-document stands in for an out-of-memory
// death) is not tried again after the restart: the re-delivered update is
// answered with an apology, confirmed, and the file is never fetched.
func TestCrash_PoisonDocument(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := dbPath(t)
	admin := telegramtest.User{ID: 1, FirstName: "管理员"}

	p := serve(t, fake, path, []string{"DUBAN_CRASH_AT=mid-document"})
	waitFake(t, fake, p, 30*time.Second, "the first long poll", func(s *telegramtest.Server) bool { return s.Polling() })
	uid := fake.SendDocument(admin, telegramtest.Chat{}, "清单.xlsx", []byte("PK\x03\x04 poison"))
	if code := p.wait(30 * time.Second); code != 86 {
		t.Fatalf("exit status %d, want 86 from DUBAN_CRASH_AT=mid-document\nlogs:\n%s", code, p.logs())
	}
	if fake.Confirmed(uid) {
		t.Fatalf("update %d confirmed before the crash", uid)
	}

	p = serve(t, fake, path, nil)
	waitFake(t, fake, p, 30*time.Second, "the update confirmed and the apology sent", func(s *telegramtest.Server) bool {
		return s.Confirmed(uid) && repliesTo(s, 1, "上次处理清单.xlsx时机器人中断") == 1
	})
	p.stop(30 * time.Second)
	if n := len(fake.Calls("getFile")); n != 0 {
		t.Errorf("%d getFile calls: the poison document was fetched again", n)
	}
	db := openDB(t, path)
	db.View(func(tx *store.Tx) error {
		if !tx.SeenUpdate(uid) {
			t.Errorf("update %d not marked handled", uid)
		}
		if v := tx.Setting("attempt/" + itoa(uid)); v != "" {
			t.Errorf("attempt mark %q left behind", v)
		}
		return nil
	})
}
