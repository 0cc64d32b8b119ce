package schedule_test

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// TestPlanStart_UnreadablePlan: a plan record that does not decode is an
// error for PlanStart and for the reminders that need it, not "no plan"
// (which silently turned the light's expected progress off).
func TestPlanStart_UnreadablePlan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "duban.db")
	now := func() time.Time { return at(t, "2026-04-02 10:00") }
	db, err := store.Open(path, store.Options{Now: now, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *store.Tx) error {
		if err := tx.PutPlan(&store.Plan{ID: "2026", Year: 2026, Title: "2026年工作要点"}); err != nil {
			return err
		}
		return tx.PutTask(&store.Task{ID: "1.1.1", Text: "a", Lead: "甲处", Deadline: day(t, "2026-04-09"), Status: store.StatusInProgress})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *store.Tx) error {
		if ps, err := schedule.PlanStart(tx); err != nil || ps != day(t, "2026-01-01") {
			t.Errorf("PlanStart = %v, %v; want 2026-01-01", ps, err)
		}
		return nil
	})
	db.Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("plans")).Put([]byte("2026"), []byte("{not json")) })
	b.Close()
	db, err = store.Open(path, store.Options{Now: now, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *store.Tx) error {
		if ps, err := schedule.PlanStart(tx); err == nil {
			t.Errorf("PlanStart over an unreadable plan = %v, nil; want an error", ps)
		}
		task, err := tx.Task("1.1.1")
		if err != nil {
			t.Fatal(err)
		}
		r := &schedule.Reporter{Policy: schedule.DefaultPolicy(), Cal: schedule.NewCalendar(), Loc: cst, Lang: "zh"}
		if _, err := r.Nudge(tx, task, now()); err == nil {
			t.Errorf("Nudge over an unreadable plan succeeded")
		}
		if _, err := schedule.LoadSnapshot(tx, nil, "zh", cst); err == nil {
			t.Errorf("LoadSnapshot over an unreadable plan succeeded")
		}
		return nil
	})
}

// TestBuildDigestTx_UnreadableJobState: the digest's stored numbers (for
// "change since last week") that do not decode are an error, not a digest
// without comparison.
func TestBuildDigestTx_UnreadableJobState(t *testing.T) {
	clock := storetest.NewClock(at(t, "2026-04-02 10:00"))
	db := openRunnerDB(t, clock)
	db.Update(func(tx *store.Tx) error { return tx.SetJobState("digest", []byte("{not json")) })
	db.View(func(tx *store.Tx) error {
		s, err := schedule.LoadSnapshot(tx, nil, "zh", cst)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := schedule.BuildDigestTx(tx, s, nil, clock.Now()); err == nil {
			t.Errorf("BuildDigestTx over an unreadable digest state succeeded")
		}
		return nil
	})
}
