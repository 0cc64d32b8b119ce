package main

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// outboxByKey reads every outbox entry still pending (the tests never send).
func outboxByKey(t *testing.T, db *store.DB) map[string]*store.Message {
	t.Helper()
	out := map[string]*store.Message{}
	err := db.View(func(tx *store.Tx) error {
		ps, err := tx.Pending(1 << 20)
		for _, m := range ps {
			out[m.Key] = m
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// added returns the entries of after that are not in before, by key.
func added(before, after map[string]*store.Message) []*store.Message {
	var out []*store.Message
	for k, m := range after {
		if before[k] == nil {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// TestDowntime_CatchUpAndFold drives schedule.Runner with an injected clock
// over the bundled plan (2021: 75 tasks due 12-31, 10 continuous) with a
// contact in every department: a tick at 09:00 queues the day's reminders;
// after three working days down the missed ones are queued once, marked
// 补发, and so is the missed Monday digest; ticking again queues nothing.
// After twenty days down, reminders older than the catch-up window are
// folded into one summary per chat and only one of the three missed
// digests goes out, marked 补发.
func TestDowntime_CatchUpAndFold(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	clk := storetest.NewClock(at("2021-03-01 10:00"))
	db := seedPlan(t, dbPath(t), 2021, clk.Now)
	err := db.Update(func(tx *store.Tx) error {
		for i, d := range tx.DepartmentNames() {
			id := int64(2000 + i)
			if err := tx.PutContact(&store.Contact{UserID: id, ChatID: id, Name: "联络员" + itoa(id), Dept: d, Role: store.RoleContact}); err != nil {
				return err
			}
		}
		return tx.PutContact(&store.Contact{UserID: 9001, ChatID: 9001, Name: "赵督办", Role: store.RoleCoordinator})
	})
	if err != nil {
		t.Fatal(err)
	}
	policy, cal := schedule.DefaultPolicy(), schedule.NewCalendar()
	var lastQueued int
	// tick runs one tick of a fresh Runner, as after a restart: all it
	// knows of earlier ticks is what the store kept.
	tick := func(s string) []*store.Message {
		t.Helper()
		r := &schedule.Runner{DB: db, Policy: policy, Cal: cal, Loc: loc, Lang: "zh", Admins: []int64{1}, Now: clk.Now,
			Logger: slog.New(slog.DiscardHandler), OnDue: func(n int) { lastQueued = n }}
		before := outboxByKey(t, db)
		clk.Set(at(s))
		if err := r.Tick(context.Background()); err != nil {
			t.Fatalf("tick at %s: %v", s, err)
		}
		got := added(before, outboxByKey(t, db))
		if lastQueued != len(got) {
			t.Errorf("tick at %s: OnDue says %d queued, the outbox grew by %d", s, lastQueued, len(got))
		}
		return got
	}
	// preview is what the policy sends over whole days [from, to], on time.
	preview := func(from, to string) map[string]bool {
		t.Helper()
		keys := map[string]bool{}
		db.View(func(tx *store.Tx) error {
			s, err := schedule.LoadSnapshot(tx, []int64{1}, "zh", loc)
			if err != nil {
				t.Fatal(err)
			}
			for d := day(t, from); d <= day(t, to); d = d.AddDays(1) {
				for _, m := range schedule.Preview(policy, cal, s, d).Messages() {
					keys[m.Key] = true
				}
			}
			return nil
		})
		return keys
	}
	coordinators := map[int64]bool{1: true, 9001: true}

	// Day 1 (Friday 2021-12-24, D-7): the runner was already running.
	if got := tick("2021-12-24 08:00"); len(got) != 0 {
		t.Fatalf("first tick of a new schedule queued %d messages", len(got))
	}
	day1 := tick("2021-12-24 09:00")
	if len(day1) == 0 {
		t.Fatal("nothing queued on 2021-12-24 09:00; the bundled plan has D-7 reminders for 12-31")
	}
	sameKeys(t, "day 1", day1, preview("2021-12-24", "2021-12-24"))
	for _, m := range day1 {
		if m.CatchUp || strings.Contains(m.Text, "补发") {
			t.Errorf("on-time reminder %s marked 补发", m.Key)
		}
	}

	// Down from Friday 09:00 to Wednesday 10:30, three working days later
	// (Mon, Tue, Wed): Monday's and Tuesday's (D-3) reminders and Monday's
	// digest are late.
	now := at("2021-12-29 10:30")
	gap := tick("2021-12-29 10:30")
	want := preview("2021-12-25", "2021-12-29")
	var reminders []*store.Message
	digests := map[int64]int{}
	for _, m := range gap {
		if m.Kind == store.KindDigest {
			checkLate(t, m)
			if isFirstPart(m) {
				digests[m.ChatID]++
			}
			continue
		}
		reminders = append(reminders, m)
	}
	sameKeys(t, "three days down", reminders, want)
	late := 0
	for _, m := range reminders {
		isLate := now.Sub(m.DueAt) > policy.Grace
		if m.CatchUp != isLate || strings.HasPrefix(m.Text, "【补发】") != isLate {
			t.Errorf("%s due %s: CatchUp=%v, text %.30q; want 补发=%v", m.Key, m.DueAt.Format(time.DateTime), m.CatchUp, m.Text, isLate)
		}
		if m.Kind == store.KindCatchUp {
			t.Errorf("three working days is within the catch-up window, yet %s was folded", m.Key)
		}
		if isLate {
			late++
		}
	}
	if late == 0 {
		t.Errorf("no reminder queued 补发 after three days down: %d queued", len(reminders))
	}
	t.Logf("three days down: %d reminders (%d 补发), digests %v", len(reminders), late, digests)
	for chat := range coordinators {
		if digests[chat] != 1 {
			t.Errorf("coordinator %d got %d digests for the missed Monday, want 1", chat, digests[chat])
		}
	}
	if again := tick("2021-12-29 10:30"); len(again) != 0 {
		t.Errorf("a second tick at the same instant queued %d more: %v", len(again), keysOf(again))
	}
	if again := tick("2021-12-29 10:31"); len(again) != 0 {
		t.Errorf("the next minute's tick queued %d more: %v", len(again), keysOf(again))
	}

	// Down for twenty days, from Wednesday 12-29 10:31 to Tuesday
	// 2022-01-18 10:30: D-1, D-0, the January asks, D+1 (with its
	// escalation), D+7 and D+14, and three digests (01-04, as 01-03 is a
	// holiday, 01-10 and 01-17).
	now = at("2022-01-18 10:30")
	cutoff := now.Add(-policy.CatchUpWindow)
	long := tick("2022-01-18 10:30")
	all := preview("2021-12-30", "2022-01-18")
	summaries := map[int64]int{}
	digests = map[int64]int{}
	perChat := map[int64]int{}
	for _, m := range long {
		perChat[m.ChatID]++
		switch m.Kind {
		case store.KindDigest:
			checkLate(t, m)
			if isFirstPart(m) {
				digests[m.ChatID]++
			}
		case store.KindCatchUp:
			checkLate(t, m)
			if isFirstPart(m) {
				summaries[m.ChatID]++
			}
		default:
			if !all[baseKey(m)] {
				t.Errorf("%s queued but not in the policy's plan for the gap", m.Key)
			}
			if m.DueAt.Before(cutoff) {
				t.Errorf("%s due %s, older than the catch-up window, sent on its own", m.Key, m.DueAt.Format(time.DateTime))
			}
			isLate := now.Sub(m.DueAt) > policy.Grace
			if m.CatchUp != isLate || strings.HasPrefix(m.Text, "【补发】") != isLate {
				t.Errorf("%s due %s: CatchUp=%v; want 补发=%v", m.Key, m.DueAt.Format(time.DateTime), m.CatchUp, isLate)
			}
		}
	}
	// Every chat with reminders older than the window gets one summary.
	old := preview("2021-12-30", "2022-01-11")
	oldChats := map[int64]bool{}
	for k := range old {
		if msg := findKey(t, db, k); msg != nil {
			t.Errorf("%s (older than the window) was queued on its own", k)
		}
		oldChats[chatOfKey(t, k)] = true
	}
	for chat := range oldChats {
		if summaries[chat] != 1 {
			t.Errorf("chat %d: %d summaries of missed reminders, want 1", chat, summaries[chat])
		}
	}
	for chat, n := range summaries {
		if n != 1 || !oldChats[chat] {
			t.Errorf("chat %d: %d summaries, had old reminders: %v", chat, n, oldChats[chat])
		}
	}
	for chat := range coordinators {
		if digests[chat] != 1 {
			t.Errorf("coordinator %d got %d digests after three missed Mondays, want one (补发)", chat, digests[chat])
		}
	}
	if len(oldChats) == 0 {
		t.Fatal("the twenty-day gap had no reminders older than the window; the test proves nothing")
	}
	t.Logf("twenty days down: %d old reminders folded into %d summaries; %d queued in all; per chat %v", len(old), len(summaries), len(long), perChat)
	if again := tick("2022-01-18 10:30"); len(again) != 0 {
		t.Errorf("a second tick after the long gap queued %d more: %v", len(again), keysOf(again))
	}
}

// isFirstPart tells the first outbox entry of a message from the parts a
// long text is split into (keys key#2, key#3…).
func isFirstPart(m *store.Message) bool { return !strings.Contains(m.Key, "#") }

// baseKey is the key of the whole message a part belongs to.
func baseKey(m *store.Message) string { k, _, _ := strings.Cut(m.Key, "#"); return k }

// checkLate requires a message queued after its time to be marked 补发:
// CatchUp on every part (the transport marks the text of later parts),
// and the 【补发】 line on the first.
func checkLate(t *testing.T, m *store.Message) {
	t.Helper()
	if !m.CatchUp || isFirstPart(m) && !strings.HasPrefix(m.Text, "【补发】") {
		t.Errorf("%s due %s: not marked 补发 (CatchUp=%v, text %.40q)", m.Key, m.DueAt.Format(time.DateTime), m.CatchUp, m.Text)
	}
}

func sameKeys(t *testing.T, what string, got []*store.Message, want map[string]bool) {
	t.Helper()
	have := map[string]bool{}
	for _, m := range got {
		have[baseKey(m)] = true
		if !want[baseKey(m)] {
			t.Errorf("%s: %s queued, not in the policy's plan", what, m.Key)
		}
	}
	for k := range want {
		if !have[k] {
			t.Errorf("%s: %s in the policy's plan, not queued", what, k)
		}
	}
}

func keysOf(ms []*store.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Key)
	}
	return out
}

func findKey(t *testing.T, db *store.DB, key string) *store.Message {
	t.Helper()
	var m *store.Message
	db.View(func(tx *store.Tx) error {
		m, _ = tx.Message(key)
		return nil
	})
	return m
}

// chatOfKey reads the recipient from an idempotency key (its last field).
func chatOfKey(t *testing.T, key string) int64 {
	t.Helper()
	i := strings.LastIndexByte(key, '|')
	var id int64
	for _, c := range key[i+1:] {
		if c < '0' || c > '9' {
			if c == '-' {
				continue
			}
			t.Fatalf("key %q does not end with a chat ID", key)
		}
		id = id*10 + int64(c-'0')
	}
	if strings.HasPrefix(key[i+1:], "-") {
		id = -id
	}
	return id
}

func day(t *testing.T, s string) store.Date {
	t.Helper()
	d, err := store.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDowntime_FirstTickPanic makes the runner's first tick (the catch-up
// one, run at start) panic: it is recovered and logged as an error, like
// the minute ticks, instead of ending the process. Without a calendar
// NextFire dereferences nil.
func TestDowntime_FirstTickPanic(t *testing.T) {
	t.Parallel()
	db := openDB(t, dbPath(t))
	logs := newLogBuffer()
	r := &schedule.Runner{DB: db, Policy: schedule.DefaultPolicy(), Loc: time.UTC,
		Logger: slog.New(slog.NewTextHandler(logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := r.Start(ctx)
	defer func() { <-c.Stop().Done() }()
	timeout := time.After(30 * time.Second)
	for {
		ch := logs.notify()
		if out := logs.String(); strings.Contains(out, "level=ERROR") && strings.Contains(out, "panic") {
			t.Logf("%.200s", out)
			return
		}
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("no error line about the panic:\n%s", logs.String())
		}
	}
}
