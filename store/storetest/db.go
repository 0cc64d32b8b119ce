package storetest

import (
	"errors"
	"path/filepath"
	"testing"

	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/duban-bureau/duban/store"
)

// OpenDB opens a fresh database in tb.TempDir() with opt (set opt.Now to
// a Clock's Now to pin it) and checks it on cleanup (see OpenPath).
func OpenDB(tb testing.TB, opt store.Options) *store.DB {
	tb.Helper()
	return OpenPath(tb, filepath.Join(tb.TempDir(), "duban.db"), opt)
}

// OpenPath opens path with opt and registers the cleanup every test
// database gets, as bbolt's own tests do: db.Check (tx.Check: every page
// reachable once, free lists consistent) fails the test on any error, then
// the file is closed. A database the test closed itself is not checked.
func OpenPath(tb testing.TB, path string, opt store.Options) *store.DB {
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
