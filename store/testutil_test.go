package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// cst is the bureau's zone; tests pin every clock in it.
var cst = time.FixedZone("CST", 8*60*60)

// t0 is the instant every test database starts at: 2021-06-15 09:00 CST.
var t0 = time.Date(2021, 6, 15, 9, 0, 0, 0, cst)

// MustOpenDB opens a fresh database in tb.TempDir() with its clock stopped at
// t0. Cleanup runs db.Check (bbolt's tx.Check) and fails the test on any
// error, then closes the file.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	db, _ := MustOpenClockDB(tb)
	return db
}

// MustOpenClockDB is MustOpenDB that also returns the injected clock.
func MustOpenClockDB(tb testing.TB) (*store.DB, *storetest.Clock) {
	tb.Helper()
	clk := storetest.NewClock(t0)
	return MustOpenPath(tb, filepath.Join(tb.TempDir(), "duban.db"), store.Options{Now: clk.Now}), clk
}

// MustOpenPath is storetest.OpenPath: opens path with opt and registers the
// Check-then-Close cleanup.
func MustOpenPath(tb testing.TB, path string, opt store.Options) *store.DB {
	tb.Helper()
	return storetest.OpenPath(tb, path, opt)
}

// MustReopenDB checks and closes db, then opens the same file again with the
// same clock.
func MustReopenDB(tb testing.TB, db *store.DB) *store.DB {
	tb.Helper()
	MustCheck(tb, db)
	if err := db.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
	return MustOpenPath(tb, db.Path, store.Options{Now: db.Now})
}

// MustCheck fails the test if bbolt's consistency check finds an error.
func MustCheck(tb testing.TB, db *store.DB) {
	tb.Helper()
	if err := db.Check(); err != nil {
		tb.Fatalf("db.Check: %v", err)
	}
}

// mustUpdate runs fn in a write transaction and fails the test on error.
func mustUpdate(tb testing.TB, db *store.DB, fn func(*store.Tx) error) {
	tb.Helper()
	if err := db.Update(fn); err != nil {
		tb.Fatalf("Update: %v", err)
	}
}

// mustView runs fn in a read transaction and fails the test on error.
func mustView(tb testing.TB, db *store.DB, fn func(*store.Tx) error) {
	tb.Helper()
	if err := db.View(fn); err != nil {
		tb.Fatalf("View: %v", err)
	}
}

// newTask returns a not-started task led by lead, due on due (zero for
// continuous work), with co-departments co.
func newTask(id, lead string, due store.Date, co ...string) *store.Task {
	t := &store.Task{ID: id, Text: "任务 " + id, Lead: lead, CoDepts: co, Deadline: due, Status: store.StatusNotStarted}
	if due.IsZero() {
		t.Cadence = store.CadenceMonthly
	}
	return t
}

// mustPutTasks stores tasks with PutTask in one transaction.
func mustPutTasks(tb testing.TB, db *store.DB, tasks ...*store.Task) {
	tb.Helper()
	mustUpdate(tb, db, func(tx *store.Tx) error {
		for _, t := range tasks {
			if err := tx.PutTask(t); err != nil {
				return err
			}
		}
		return nil
	})
}

// taskIDs returns the IDs of tasks, in order.
func taskIDs(tasks []*store.Task) []string {
	out := make([]string, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, t.ID)
	}
	return out
}
