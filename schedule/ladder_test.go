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

// TestRunner_LadderNotices runs the runner over October 2026 on a store:
// two departments' tasks fall overdue on 09-30 unanswered; each step of
// the ladder is one numbered 催办单 per recipient, numbered in sequence,
// written into every named task's history, found again by FindNotice;
// a 收到 stops the ladder for its task.
func TestRunner_LadderNotices(t *testing.T) {
	clock := storetest.NewClock(at(t, "2026-09-29 10:00"))
	db := storetest.OpenDB(t, store.Options{Now: clock.Now, NoSync: true})
	created := at(t, "2026-01-05 10:00")
	err := db.Update(func(tx *store.Tx) error {
		for _, task := range []*store.Task{
			{ID: "1.1.1", Text: "大气任务一", Lead: "大气处", Deadline: day(t, "2026-09-30"), Status: store.StatusInProgress, CreatedAt: created, UpdatedAt: created},
			{ID: "1.1.2", Text: "大气任务二", Lead: "大气处", Deadline: day(t, "2026-09-30"), Status: store.StatusInProgress, CreatedAt: created, UpdatedAt: created},
			{ID: "2.1.1", Text: "水务任务", Lead: "水处", Deadline: day(t, "2026-09-30"), Status: store.StatusInProgress, CreatedAt: created, UpdatedAt: created},
			{ID: "2.1.2", Text: "水务任务（已收到）", Lead: "水处", Deadline: day(t, "2026-09-30"), Status: store.StatusInProgress, CreatedAt: created, UpdatedAt: created},
		} {
			if err := tx.PutTask(task); err != nil {
				return err
			}
		}
		for _, c := range []*store.Contact{
			{UserID: 11, ChatID: 11, Name: "大气联络员", Dept: "大气处", Role: store.RoleContact},
			{UserID: 12, ChatID: 12, Name: "大气处长", Dept: "大气处", Role: store.RoleHead},
			{UserID: 21, ChatID: 21, Name: "水联络员", Dept: "水处", Role: store.RoleContact},
			{UserID: 22, ChatID: 22, Name: "水处长", Dept: "水处", Role: store.RoleHead},
			{UserID: 90, ChatID: 90, Name: "督办员", Role: store.RoleCoordinator},
		} {
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := &schedule.Runner{DB: db, Policy: schedule.DefaultPolicy(), Cal: schedule.NewCalendar(), Loc: cst, Now: clock.Now, Logger: slog.New(slog.DiscardHandler)}
	for d := day(t, "2026-09-29"); d <= day(t, "2026-10-20"); d = d.AddDays(1) {
		if d == day(t, "2026-10-09") {
			err := db.Update(func(tx *store.Tx) error {
				return schedule.Acknowledge(tx, []string{"2.1.2"}, store.Actor{UserID: 21, Via: "telegram"}, at(t, "2026-10-09 10:00"))
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		clock.Set(at(t, d.String()+" 09:01"))
		if err := r.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"head|大气处|2026-10-12|12": "催办单 2026-001", // notice groups are numbered in key order on their day
		"head|水处|2026-10-12|22":  "催办单 2026-002",
		"ladder|*|2026-10-14|90": "催办单 2026-003",
	}
	db.View(func(tx *store.Tx) error {
		for key, w := range want {
			m, err := tx.Message(key)
			if err != nil {
				t.Errorf("%s not queued: %v", key, err)
				continue
			}
			if !strings.Contains(m.Text, w) || strings.Contains(m.Text, schedule.NoticePlaceholder) {
				t.Errorf("%s: %q, want it numbered %q", key, m.Text, w)
			}
			if !strings.Contains(m.Text, "自 10-08 起提醒未获回应") {
				t.Errorf("%s does not say since when (the first overdue reminder, 10-08):\n%s", key, m.Text)
			}
			if strings.HasPrefix(key, "head|水处") && (!strings.Contains(m.Text, "2.1.1") || strings.Contains(m.Text, "2.1.2")) {
				t.Errorf("the water head's notice should name 2.1.1 only (2.1.2 was acknowledged):\n%s", m.Text)
			}
			if strings.HasPrefix(key, "ladder") && (!strings.Contains(m.Text, "1.1.1") || strings.Contains(m.Text, "2.1.2")) {
				t.Errorf("coordinators' notice:\n%s", m.Text)
			}
		}
		for _, key := range []string{"head|大气处|2026-10-09|12", "head|大气处|2026-10-13|12", "ladder|*|2026-10-12|90", "ladder|*|2026-10-15|90"} {
			if _, err := tx.Message(key); err == nil {
				t.Errorf("%s queued: the ladder fires once a step", key)
			}
		}
		return nil
	})
	db.View(func(tx *store.Tx) error {
		hist, _ := tx.History("1.1.1")
		var notes []string
		for _, u := range hist {
			if strings.HasPrefix(u.Kind, "escalate_") {
				notes = append(notes, u.Kind+" "+u.Note)
			}
		}
		if len(notes) != 2 || !strings.Contains(notes[0], "2026-001") || !strings.Contains(notes[1], "2026-003") {
			t.Errorf("1.1.1 history of the ladder: %q, want the head's and the coordinators' step", notes)
		}
		if n, ok, err := schedule.FindNotice(tx, "3", 2026); err != nil || !ok || n.Number != "2026-003" || !strings.Contains(n.Text, "1.1.1") {
			t.Errorf("FindNotice(3) = %+v %v", n, ok)
		}
		if _, ok, _ := schedule.FindNotice(tx, "2026-004", 2026); ok {
			t.Errorf("FindNotice found a notice never issued")
		}
		return nil
	})
}
