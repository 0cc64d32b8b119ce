package schedule_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// TestRunner_MonthlyReportAndHolidayWarning: the 月报 goes out on the first
// working day of the month (2026-10-08, after the National Day week) with
// the month's changes and the on-time table; a year without holiday data
// tells the admins once.
func TestRunner_MonthlyReportAndHolidayWarning(t *testing.T) {
	clock := storetest.NewClock(at(t, "2026-09-28 10:00"))
	db := storetest.OpenDB(t, store.Options{Now: clock.Now, NoSync: true})
	err := db.Update(func(tx *store.Tx) error {
		for _, task := range []*store.Task{
			{ID: "1.1.1", Text: "按时完成", Lead: "大气处", Deadline: day(t, "2026-09-30"), Status: store.StatusInProgress},
			{ID: "1.1.2", Text: "逾期未完成", Lead: "大气处", Deadline: day(t, "2026-09-15"), Status: store.StatusInProgress},
		} {
			if err := tx.PutTask(task); err != nil {
				return err
			}
		}
		t1, _ := tx.Task("1.1.1")
		t1.Status, t1.Progress = store.StatusDone, 100
		_, err := tx.SaveTask(t1, store.Actor{Via: "telegram"}, "done", "")
		if err != nil {
			return err
		}
		return tx.PutContact(&store.Contact{UserID: 90, ChatID: 90, Name: "督办员", Role: store.RoleCoordinator})
	})
	if err != nil {
		t.Fatal(err)
	}
	r := &schedule.Runner{DB: db, Policy: schedule.DefaultPolicy(), Cal: schedule.NewCalendar(), Loc: cst, Now: clock.Now,
		Admins: []int64{42}, Logger: slog.New(slog.DiscardHandler)}
	tick := func(ts string) {
		clock.Set(at(t, ts))
		if err := r.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	for _, ts := range []string{"2026-09-28 10:00", "2026-09-30 09:05", "2026-10-08 09:05", "2026-10-09 09:05"} {
		tick(ts)
	}
	db.View(func(tx *store.Tx) error {
		for _, chat := range []int64{42, 90} {
			m, err := tx.Message(schedule.Key("monthly", "", "2026-10", chat))
			if err != nil {
				t.Fatalf("no 月报 for %d: %v", chat, err)
			}
			if !m.DueAt.Equal(at(t, "2026-10-08 09:00")) || !strings.Contains(m.Text, "督办月报") || !strings.Contains(m.Text, "2026-09") ||
				!strings.Contains(m.Text, "本月完成 1 项") || !strings.Contains(m.Text, "按时完成率") {
				t.Errorf("月报 due %v:\n%s", m.DueAt, m.Text)
			}
		}
		if _, err := tx.Message(schedule.Key("noholiday", "", "2026", 42)); err == nil {
			t.Errorf("2026 has holiday data, yet the admins were warned")
		}
		sc, err := schedule.BuildScore(tx, at(t, "2026-10-09 10:00"), cst)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Total.Due != 2 || sc.Total.OnTime != 1 || sc.Total.Overdue != 1 || sc.Total.Rate != 50 {
			t.Errorf("score %+v, want 2 due, 1 on time, 1 overdue, 50%%", sc.Total)
		}
		return nil
	})

	tick("2031-03-03 09:05")
	tick("2031-03-04 09:05")
	db.View(func(tx *store.Tx) error {
		m, err := tx.Message(schedule.Key("noholiday", "", "2031", 42))
		if err != nil || !strings.Contains(m.Text, "2031 年没有法定节假日数据") || !strings.Contains(m.Text, "--holidays") {
			t.Errorf("admins not warned of 2031: %v %+v", err, m)
		}
		if _, err := tx.Message(schedule.Key("noholiday", "", "2031", 90)); err == nil {
			t.Errorf("the warning went to a coordinator, not only the admins")
		}
		return nil
	})
}
