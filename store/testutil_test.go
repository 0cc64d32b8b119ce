package store_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
	bolterrors "go.etcd.io/bbolt/errors"
)

// cst is the bureau's zone; tests pin every clock in it.
var cst = time.FixedZone("CST", 8*60*60)

// t0 is the instant every test database starts at: 2021-06-15 09:00 CST.
var t0 = time.Date(2021, 6, 15, 9, 0, 0, 0, cst)

// Clock is a settable clock, safe for the goroutines of Batch tests.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's instant.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// MustOpenDB opens a fresh database in tb.TempDir() with its clock stopped at
// t0. Cleanup runs db.Check (bbolt's tx.Check) and fails the test on any
// error, then closes the file.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	db, _ := MustOpenClockDB(tb)
	return db
}

// MustOpenClockDB is MustOpenDB that also returns the injected clock.
func MustOpenClockDB(tb testing.TB) (*store.DB, *Clock) {
	tb.Helper()
	clk := NewClock(t0)
	return MustOpenPath(tb, filepath.Join(tb.TempDir(), "duban.db"), store.Options{Now: clk.Now}), clk
}

// MustOpenPath opens path with opt and registers the Check-then-Close
// cleanup. A database the test closed itself is skipped by the check.
func MustOpenPath(tb testing.TB, path string, opt store.Options) *store.DB {
	tb.Helper()
	db, err := store.Open(path, opt)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Check(); err != nil && !errors.Is(err, bolterrors.ErrDatabaseNotOpen) {
			tb.Errorf("db.Check: %v", err)
		}
		if err := db.Close(); err != nil {
			tb.Errorf("db.Close: %v", err)
		}
	})
	return db
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
