package schedule_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// storedPlan puts the bundled plan as of `on` (bundledPlanSnapshot) with its
// history and contacts into a fresh store, plus a finished task without a
// lead, one closed this week and one deleted after closing this week.
func storedPlan(t *testing.T, on time.Time) *store.DB {
	t.Helper()
	s, hist := bundledPlanSnapshot(t, on)
	db := storetest.OpenDB(t, store.Options{Now: func() time.Time { return on }})
	err := db.Update(func(tx *store.Tx) error {
		extra := []*store.Task{
			{ID: "9.9.1", Text: "无牵头单位的已完成任务", Status: store.StatusDone, Deadline: store.NewDate(2021, 5, 31)},
			{ID: "9.9.2", Text: "本周完成后删除", Lead: "宣传教育处", Status: store.StatusClosed},
			{ID: "9.9.3", Text: "本周销号", Lead: "宣传教育处", Status: store.StatusClosed},
		}
		for _, task := range append(s.Tasks, extra...) {
			if err := tx.PutTask(task); err != nil {
				return err
			}
		}
		hist = append(hist, store.HistoryEntry{TaskID: "9.9.2", At: on.Add(-time.Hour), Kind: "close"},
			store.HistoryEntry{TaskID: "9.9.3", At: on.Add(-2 * time.Hour), Kind: "close"})
		for i := range hist {
			if err := tx.AppendHistory(&hist[i]); err != nil {
				return err
			}
		}
		for _, c := range seedContacts() {
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		return tx.DeleteTask("9.9.2")
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// everyTask is the snapshot as it was before LoadSnapshot kept open tasks
// only: every task decoded, no counts.
func everyTask(t *testing.T, tx *store.Tx, s schedule.Snapshot) schedule.Snapshot {
	t.Helper()
	all, err := tx.Tasks()
	if err != nil {
		t.Fatal(err)
	}
	s.Tasks, s.Finished, s.Completed = all, nil, nil
	return s
}

// TestLoadSnapshot_SameDigest: the digest from open tasks and finished
// counts reads exactly as the one from every task.
func TestLoadSnapshot_SameDigest(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	for _, date := range []string{"2021-04-12", "2021-05-10", "2021-06-21", "2021-10-11", "2021-12-27"} {
		t.Run(date, func(t *testing.T) {
			d, _ := store.ParseDate(date)
			now := d.In(loc).Add(9 * time.Hour)
			db := storedPlan(t, now)
			prev := &schedule.DigestStats{Tasks: 80, Done: 3, Overdue: 1, Completion: 3}
			db.View(func(tx *store.Tx) error {
				s, err := schedule.LoadSnapshot(tx, []int64{9001}, "zh", loc)
				if err != nil {
					t.Fatal(err)
				}
				got, err := schedule.BuildDigestTx(tx, s, prev, now)
				if err != nil {
					t.Fatal(err)
				}
				hist, _ := tx.HistorySince(now.AddDate(0, 0, -7))
				want := schedule.BuildDigest(everyTask(t, tx, s), hist, prev, now)
				if got.Text("zh") != want.Text("zh") || !reflect.DeepEqual(got.Stats, want.Stats) {
					t.Errorf("digest from open tasks differs:\n--- got\n%s\n--- want\n%s", got.Text("zh"), want.Text("zh"))
				}
				if len(want.Completed) == 0 || (date == "2021-05-10" || date == "2021-06-21") && len(want.Completed) < 2 {
					t.Errorf("fixture has nothing completed this week on %s", date)
				}
				return nil
			})
		})
	}
}

// TestLoadDueSnapshot_SamePlan: Due on the tasks chosen by deadline plans
// exactly what it plans on every task, for each day of the year and for
// windows spanning downtime.
func TestLoadDueSnapshot_SamePlan(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	p, cal := schedule.DefaultPolicy(), schedule.NewCalendar()
	db := storedPlan(t, time.Date(2021, 6, 1, 9, 0, 0, 0, loc))
	db.View(func(tx *store.Tx) error {
		for _, span := range []int{1, 3, 10, 45} {
			for d := store.NewDate(2021, 1, 2); d <= store.NewDate(2022, 2, 1); d = d.AddDays(1) {
				to := d.In(loc).Add(9*time.Hour + time.Minute)
				from := to.AddDate(0, 0, -span)
				s, err := schedule.LoadDueSnapshot(tx, p, cal, []int64{9001}, "zh", loc, from, to)
				if err != nil {
					t.Fatal(err)
				}
				got := schedule.Due(p, cal, s, from, to)
				want := schedule.Due(p, cal, everyTask(t, tx, s), from, to)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("Due(%s, %d days) from %d chosen tasks: %d reminders, %d folded; from every task: %d, %d",
						d, span, len(s.Tasks), len(got.Reminders), len(got.Folded), len(want.Reminders), len(want.Folded))
				}
			}
		}
		return nil
	})
}
