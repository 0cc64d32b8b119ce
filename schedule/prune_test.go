package schedule_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

func openRunnerDB(t *testing.T, clock *storetest.Clock) *store.DB {
	t.Helper()
	db := storetest.OpenDB(t, store.Options{Now: clock.Now, NoSync: true})
	return db
}

// sentMessage enqueues key and marks it delivered at the clock's time.
func sentMessage(t *testing.T, db *store.DB, key string) {
	t.Helper()
	err := db.Update(func(tx *store.Tx) error {
		if _, err := tx.Enqueue(&store.Message{Key: key, ChatID: 7, Text: key}); err != nil {
			return err
		}
		return tx.MarkSent(key, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRunner_PrunesDaily: with a Retention the tick prunes the store at
// once, then no more than once a day; without one it never prunes.
func TestRunner_PrunesDaily(t *testing.T) {
	clock := storetest.NewClock(at(t, "2026-03-02 10:00"))
	db := openRunnerDB(t, clock)
	sentMessage(t, db, "old1")
	clock.Set(at(t, "2026-04-02 10:00")) // 31 days later
	var pruned []store.Pruned
	r := &schedule.Runner{DB: db, Policy: schedule.DefaultPolicy(), Cal: schedule.NewCalendar(), Loc: cst, Now: clock.Now,
		Logger: slog.New(slog.DiscardHandler), Retention: store.DefaultRetention, OnPrune: func(p store.Pruned) { pruned = append(pruned, p) }}
	tick := func(ts string) {
		t.Helper()
		clock.Set(at(t, ts))
		if err := r.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	exists := func(key string) bool {
		var err error
		db.View(func(tx *store.Tx) error { _, err = tx.Message(key); return nil })
		return err == nil
	}
	tick("2026-04-02 10:00")
	if len(pruned) != 1 || pruned[0].Messages != 1 || exists("old1") {
		t.Fatalf("first tick: pruned %+v, old1 kept %v; want old1 pruned at once", pruned, exists("old1"))
	}
	clock.Set(at(t, "2026-03-01 10:00"))
	sentMessage(t, db, "old2")
	tick("2026-04-02 11:00")
	if len(pruned) != 1 || !exists("old2") {
		t.Errorf("pruned again within the day: %+v", pruned)
	}
	tick("2026-04-03 10:01")
	if len(pruned) != 2 || exists("old2") {
		t.Errorf("a day later: pruned %+v, old2 kept %v; want a second prune", pruned, exists("old2"))
	}

	r.Retention = store.Retention{}
	clock.Set(at(t, "2026-03-01 10:00"))
	sentMessage(t, db, "old3")
	tick("2026-04-10 10:00")
	if len(pruned) != 2 || !exists("old3") {
		t.Errorf("a runner without Retention pruned")
	}
}

// TestRunner_TickHonoursCtx: a tick with a cancelled context decides
// nothing and says why.
func TestRunner_TickHonoursCtx(t *testing.T) {
	clock := storetest.NewClock(at(t, "2026-04-02 10:00"))
	db := openRunnerDB(t, clock)
	due := 0
	r := &schedule.Runner{DB: db, Policy: schedule.DefaultPolicy(), Cal: schedule.NewCalendar(), Loc: cst, Now: clock.Now,
		Logger: slog.New(slog.DiscardHandler), OnDue: func(int) { due++ }}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Tick(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Tick(cancelled) = %v, want context.Canceled", err)
	}
	var rem, dig time.Time
	if err := db.View(func(tx *store.Tx) (err error) { rem, dig, err = schedule.NextTimes(tx); return err }); err != nil {
		t.Fatal(err)
	}
	if due != 0 || !rem.IsZero() || !dig.IsZero() {
		t.Errorf("cancelled tick decided: OnDue ×%d, next reminders %v, digest %v", due, rem, dig)
	}
}

// TestRunner_HolidayWarningOnceAcrossPrune: the admins are told once a
// year that a year has no holiday data, even after the daily prune removed
// the delivered warning (its key was the only memory of it).
func TestRunner_HolidayWarningOnceAcrossPrune(t *testing.T) {
	clock := storetest.NewClock(at(t, "2031-03-03 09:05"))
	db := openRunnerDB(t, clock)
	r := &schedule.Runner{DB: db, Policy: schedule.DefaultPolicy(), Cal: schedule.NewCalendar(), Loc: cst, Now: clock.Now,
		Admins: []int64{42}, Logger: slog.New(slog.DiscardHandler), Retention: store.DefaultRetention}
	key := schedule.Key("noholiday", "", "2031", 42)
	if err := r.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *store.Tx) error { return tx.MarkSent(key, 5) }); err != nil {
		t.Fatalf("no warning for 2031: %v", err)
	}
	for _, ts := range []string{"2031-04-10 09:05", "2031-04-11 09:05", "2031-06-01 09:05"} {
		clock.Set(at(t, ts))
		if err := r.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	db.View(func(tx *store.Tx) error {
		if m, err := tx.Message(key); err == nil {
			t.Errorf("warning queued again after the prune (created %v)", m.Created)
		}
		return nil
	})
}

// TestNextTimes_UnreadableState: a job state that does not read is an
// error, not "never fires" (NextTimes used to drop it).
func TestNextTimes_UnreadableState(t *testing.T) {
	clock := storetest.NewClock(at(t, "2026-04-02 10:00"))
	db := openRunnerDB(t, clock)
	if err := db.Update(func(tx *store.Tx) error { return tx.SetJobState("digest", []byte("{broken")) }); err != nil {
		t.Fatal(err)
	}
	err := db.View(func(tx *store.Tx) error { _, _, err := schedule.NextTimes(tx); return err })
	if err == nil || !strings.Contains(err.Error(), "digest") {
		t.Errorf("NextTimes over a broken digest state = %v, want an error naming it", err)
	}
}

// TestAcks_UnreadableState: a 收到 state that does not read is an error
// for the ladder and for the next 收到, which must not overwrite it with
// only its own tasks (both used to read it as "nobody answered").
func TestAcks_UnreadableState(t *testing.T) {
	clock := storetest.NewClock(at(t, "2026-04-02 10:00"))
	db := openRunnerDB(t, clock)
	if err := db.Update(func(tx *store.Tx) error { return tx.SetJobState("acks", []byte("{broken")) }); err != nil {
		t.Fatal(err)
	}
	if err := db.View(func(tx *store.Tx) error { _, err := schedule.LoadAcks(tx); return err }); err == nil {
		t.Errorf("LoadAcks over a broken state succeeded")
	}
	if err := db.Update(func(tx *store.Tx) error {
		return schedule.Acknowledge(tx, []string{"1.1.1"}, store.Actor{Name: "甲"}, clock.Now())
	}); err == nil {
		t.Errorf("Acknowledge over a broken state succeeded")
	}
	db.View(func(tx *store.Tx) error {
		if got := string(tx.JobState("acks")); got != "{broken" {
			t.Errorf("acks state = %q, want it kept", got)
		}
		return nil
	})
}
