package main

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// TestCrash_MidDelivery kills duban with SIGKILL at random points while it
// delivers a 300-message outbox, restarts it, and finally lets it drain:
// every message arrives, and no more are duplicated than there were kills
// (at most the one message in flight per crash, DESIGN §6).
func TestCrash_MidDelivery(t *testing.T) {
	t.Parallel()
	const n = 300
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := dbPath(t)
	db := openDB(t, path)
	err := db.Update(func(tx *store.Tx) error {
		if err := seedDepartments(tx); err != nil {
			return err
		}
		for i := range n {
			if _, err := tx.Enqueue(&store.Message{Key: fmt.Sprintf("crash|%03d", i), ChatID: chatN(i), Kind: "notice",
				Text: fmt.Sprintf("第 %d 条通知", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	t.Logf("seed %d", seed)
	kills := 0
	for round := 0; round < 4; round++ {
		seen := fake.SentCount(0)
		if seen >= n-20 {
			break
		}
		k := seen + 1 + rng.IntN((n-seen)/3)
		p := serve(t, fake, path, nil, "--plan", "none")
		waitFake(t, fake, p, 60*time.Second, fmt.Sprintf("%d messages delivered", k), func(s *telegramtest.Server) bool { return s.SentCount(0) >= k })
		p.kill()
		kills++
		t.Logf("round %d: killed after %d messages seen (aimed at %d)", round, fake.SentCount(0), k)
	}
	p := serve(t, fake, path, nil, "--plan", "none")
	waitFake(t, fake, p, 60*time.Second, "every chat served", func(s *telegramtest.Server) bool {
		for i := range n {
			if s.SentCount(chatN(i)) == 0 {
				return false
			}
		}
		return true
	})
	p.stop(30 * time.Second)

	dups := 0
	for i := range n {
		msgs := fake.Sent(chatN(i))
		want := fmt.Sprintf("第 %d 条通知", i)
		for _, m := range msgs {
			if m.Text != want {
				t.Errorf("chat %d got %q, want %q", chatN(i), m.Text, want)
			}
		}
		dups += len(msgs) - 1
	}
	t.Logf("%d kills, %d duplicates, %d sendMessage calls", kills, dups, len(fake.Calls("sendMessage")))
	if dups > kills {
		t.Errorf("%d duplicates after %d kills; at most one per kill (the message in flight)", dups, kills)
	}
	db = openDB(t, path)
	db.View(func(tx *store.Tx) error {
		if depth, _ := tx.OutboxDepth(); depth != 0 {
			t.Errorf("%d messages still pending after the drain", depth)
		}
		for i := range n {
			m, err := tx.Message(fmt.Sprintf("crash|%03d", i))
			if err != nil || m.State != store.MessageSent {
				t.Errorf("message %d: %v, state %v", i, err, m)
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
			admin := models.User{ID: 1, FirstName: "管理员"}

			p := serve(t, fake, path, []string{"DUBAN_CRASH_AT=" + point})
			waitFake(t, fake, p, 30*time.Second, "the first long poll", func(s *telegramtest.Server) bool { return s.Polling() })
			uid := fake.SendText(admin, models.Chat{}, "/progress 4.1.3 60%")
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
				if depth, _ := tx.OutboxDepth(); depth != 0 {
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
	admin := models.User{ID: 1, FirstName: "管理员"}

	p := serve(t, fake, path, []string{"DUBAN_CRASH_AT=mid-document"})
	waitFake(t, fake, p, 30*time.Second, "the first long poll", func(s *telegramtest.Server) bool { return s.Polling() })
	uid := fake.SendDocument(admin, models.Chat{}, "清单.xlsx", []byte("PK\x03\x04 poison"))
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
