package schedule_test

import (
	"fmt"
	"github.com/duban-bureau/duban/schedule/lang"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

// bundledPlanSnapshot is the bundled 2021 plan as a bureau might have it on day
// `on`: owners as suggested, and a deterministic spread of progress so the
// digest has something in every list. Only tasks "touched" before `on`
// carry their state.
func bundledPlanSnapshot(t *testing.T, on time.Time) (schedule.Snapshot, []store.HistoryEntry) {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	plan, tasks, err := seeds.Parse(seeds.Bundled(), seeds.BundledName)
	if err != nil {
		t.Fatal(err)
	}
	seeds.SuggestOwners(tasks)
	start := time.Date(2021, 3, 15, 10, 0, 0, 0, loc)
	var hist []store.HistoryEntry
	for i, task := range tasks {
		task.CreatedAt, task.UpdatedAt = start, start
		// Task i is touched on day 10+7*(i%30) after the plan start.
		touched := start.AddDate(0, 0, 10+7*(i%30))
		if touched.After(on) {
			continue
		}
		task.UpdatedAt = touched
		switch i % 6 {
		case 0:
			task.Status, task.Progress = store.StatusDone, 100
			hist = append(hist, store.HistoryEntry{TaskID: task.ID, At: touched, Kind: "done",
				Changes: []store.Change{{Field: "status", Old: "in_progress", New: "done"}}})
		case 1:
			task.Status, task.Progress = store.StatusClosed, 100
		case 2:
			task.Status = store.StatusBlocked
			task.Latest = "资金未到位"
		default:
			task.Status, task.Progress = store.StatusInProgress, 10*(i%9)
		}
		if i%7 == 3 {
			task.Deadline = store.NewDate(2021, time.Month(4+i%6), 30)
		}
	}
	s := schedule.Snapshot{Tasks: tasks, Lang: "zh", Loc: loc, PlanStart: store.NewDate(plan.Year, 1, 1)}
	return s, hist
}

// TestDigest_SeedPlanGolden pins the 督办周报 of the bundled plan on three
// Mondays (the one after National Day falls on a working Saturday's week).
func TestDigest_SeedPlanGolden(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	for _, day := range []string{"2021-04-12", "2021-07-05", "2021-10-11"} {
		for _, l := range []lang.Lang{"zh", "en"} {
			t.Run(day+"_"+string(l), func(t *testing.T) {
				d, _ := store.ParseDate(day)
				now := d.In(loc).Add(9 * time.Hour)
				s, hist := bundledPlanSnapshot(t, now)
				s.Lang = lang.Lang(l)
				prev := &schedule.DigestStats{Date: d.AddDays(-7), Tasks: 86, Done: 3, Overdue: 1, Completion: 3}
				got := schedule.BuildDigest(s, hist, prev, now).Text(lang.Lang(l))
				golden(t, fmt.Sprintf("seed_digest_%s_%s.golden", day, l), got)
			})
		}
	}
}
