package schedule_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// TestDigest_CappedLists: a list longer than the cap shows the most
// pressing items and counts the rest.
func TestDigest_CappedLists(t *testing.T) {
	s := schedule.Snapshot{Loc: cst, PlanStart: day(t, "2021-01-01"), DigestLines: 20}
	for i := 0; i < 50; i++ {
		s.Tasks = append(s.Tasks, &store.Task{ID: fmt.Sprintf("1.1.%d", i+1), Text: "逾期任务", Lead: "大气处",
			Deadline: day(t, "2021-06-01").AddDays(i), Status: store.StatusInProgress})
	}
	for i := 0; i < 30; i++ {
		s.Tasks = append(s.Tasks, &store.Task{ID: fmt.Sprintf("2.1.%d", i+1), Text: "受阻任务", Lead: "水处", Latest: "缺资金",
			Deadline: day(t, "2021-12-31"), Status: store.StatusBlocked, UpdatedAt: at(t, "2021-07-01 10:00").AddDate(0, 0, -i)})
	}
	d := schedule.BuildDigest(s, nil, nil, at(t, "2021-07-26 09:00"))
	if len(d.Overdue) != 20 || d.Count.Overdue != 50 || d.Overdue[0].ID != "1.1.1" || d.Overdue[19].ID != "1.1.20" {
		t.Errorf("overdue: %d shown of %d, first %s; want the 20 most overdue of 50", len(d.Overdue), d.Count.Overdue, d.Overdue[0].ID)
	}
	if len(d.Blocked) != 20 || d.Count.Blocked != 30 || d.Blocked[0].ID != "2.1.30" {
		t.Errorf("blocked: %d of %d, first %s; want the longest blocked (2.1.30) first", len(d.Blocked), d.Count.Blocked, d.Blocked[0].ID)
	}
	if !d.Truncated() {
		t.Errorf("Truncated() = false")
	}
	text := d.Text("")
	for _, want := range []string{"<b>逾期任务（50）</b>", "……另有 30 项，见附件《督办台账》", "<b>受阻任务（30）</b>", "……另有 10 项", "困难：缺资金"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q", want)
		}
	}
	if !schedule.DigestWasCut(text) || !schedule.DigestWasCut(d.Text("en")) {
		t.Errorf("DigestWasCut does not see the cut lists")
	}
	few := s
	few.Tasks = s.Tasks[:5]
	if whole := schedule.BuildDigest(few, nil, nil, at(t, "2021-07-26 09:00")).Text(""); schedule.DigestWasCut(whole) {
		t.Errorf("DigestWasCut on a digest with nothing cut")
	}
	if n := strings.Count(text, "\n"); n > 120 {
		t.Errorf("digest of 80 tasks has %d lines", n)
	}
}

// TestDigest_StreamedSame: the digest streamed from the store reads as the
// one built from a snapshot of every open task.
func TestDigest_StreamedSame(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	for _, date := range []string{"2021-04-12", "2021-07-05", "2021-12-27"} {
		d, _ := store.ParseDate(date)
		now := d.In(loc).Add(9 * time.Hour)
		db := storedPlan(t, now)
		prev := &schedule.DigestStats{Tasks: 80, Done: 3, Overdue: 1, Completion: 3}
		p := schedule.DefaultPolicy()
		db.View(func(tx *store.Tx) error {
			s, err := schedule.LoadSnapshot(tx, []int64{9001}, "zh", loc)
			if err != nil {
				t.Fatal(err)
			}
			want, err := schedule.BuildDigestTx(tx, s, prev, now)
			if err != nil {
				t.Fatal(err)
			}
			ss, err := schedule.LoadDigestSnapshot(tx, p, []int64{9001}, "zh", loc)
			if err != nil {
				t.Fatal(err)
			}
			if len(ss.Tasks) != 0 {
				t.Errorf("LoadDigestSnapshot decoded %d tasks", len(ss.Tasks))
			}
			got, err := schedule.BuildDigestTx(tx, ss, prev, now)
			if err != nil {
				t.Fatal(err)
			}
			if got.Text("zh") != want.Text("zh") {
				t.Errorf("%s: streamed digest differs:\n--- got\n%s\n--- want\n%s", date, got.Text("zh"), want.Text("zh"))
			}
			return nil
		})
	}
}

// TestRunner_DigestAttachesLedger: a digest whose lists were cut goes out
// with the 台账 after it; one that fits does not.
func TestRunner_DigestAttachesLedger(t *testing.T) {
	loc := cst
	for _, lines := range []int{3, 200} {
		t.Run(fmt.Sprint(lines), func(t *testing.T) {
			now := at(t, "2021-07-05 08:00")
			db := storedPlan(t, now)
			clock := storetest.NewClock(now)
			p := schedule.DefaultPolicy()
			p.DigestLines = lines
			calls := 0
			r := &schedule.Runner{DB: db, Policy: p, Cal: schedule.NewCalendar(), Loc: loc, Now: clock.Now, Admins: []int64{9001}, Logger: slog.New(slog.DiscardHandler),
				Ledger: func(tx *store.Tx, now time.Time) (*store.Document, error) {
					calls++
					return &store.Document{Name: "督办台账.xlsx", Data: []byte("xlsx")}, nil
				}}
			for _, ts := range []string{"2021-07-05 08:00", "2021-07-05 09:01"} {
				clock.Set(at(t, ts))
				if err := r.Tick(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			db.View(func(tx *store.Tx) error {
				dg, err := tx.Message(schedule.Key(string(store.KindDigest), "", "2021-07-05", 9001))
				if err != nil {
					t.Fatalf("digest not queued: %v", err)
				}
				lg, lerr := tx.Message(schedule.Key(string(store.KindLedger), "", "2021-07-05", 9001))
				if lines == 3 {
					if lerr != nil || lg.Document == nil || calls != 1 || !lg.NotBefore.After(dg.NotBefore) {
						t.Errorf("cut digest: ledger %+v (%v), %d calls; want it once, after the digest", lg, lerr, calls)
					}
					if !strings.Contains(dg.Text, "见附件《督办台账》") {
						t.Errorf("cut digest does not point to the ledger")
					}
				} else if lerr == nil || calls != 0 {
					t.Errorf("a digest that fits attached the ledger (%d calls)", calls)
				}
				return nil
			})
		})
	}
}

// TestRunner_LedgerTooLargeToAttach: a list too long to attach (building
// the workbook of 100,000 tasks took a gigabyte) is not built; the digest
// is followed by one line saying where the whole list is.
func TestRunner_LedgerTooLargeToAttach(t *testing.T) {
	now := at(t, "2021-07-05 08:00")
	db := storedPlan(t, now)
	clock := storetest.NewClock(now)
	p := schedule.DefaultPolicy()
	p.DigestLines = 3
	r := &schedule.Runner{DB: db, Policy: p, Cal: schedule.NewCalendar(), Loc: cst, Now: clock.Now, Admins: []int64{9001}, Logger: slog.New(slog.DiscardHandler),
		Ledger: func(tx *store.Tx, now time.Time) (*store.Document, error) {
			return nil, &schedule.LedgerTooLarge{Tasks: 100000, Limit: 5000}
		}}
	for _, ts := range []string{"2021-07-05 08:00", "2021-07-05 09:01"} {
		clock.Set(at(t, ts))
		if err := r.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	db.View(func(tx *store.Tx) error {
		if _, err := tx.Message(schedule.Key(string(store.KindDigest), "", "2021-07-05", 9001)); err != nil {
			t.Fatalf("digest not queued: %v", err)
		}
		lg, err := tx.Message(schedule.Key(string(store.KindLedger), "", "2021-07-05", 9001))
		if err != nil || lg.Document != nil || !strings.Contains(lg.Text, "100000项") || !strings.Contains(lg.Text, "/export") {
			t.Errorf("ledger line %+v (%v): want the count and where the list is, no document", lg, err)
		}
		return nil
	})
}
