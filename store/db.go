package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// DB is duban's database: one bbolt file. Every public method of Tx runs
// inside a transaction that carries a fixed Now, so a handler's reads and
// writes see one instant.
type DB struct {
	Path string
	Now  func() time.Time // injected clock; time.Now when nil

	bolt *bolt.DB
}

// Options tunes Open.
type Options struct {
	// Timeout bounds the wait for the file lock another process holds.
	// Zero means one second.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock (for backups of a stopped bot).
	ReadOnly bool
	// NoSync skips fsync; only for benchmarks that measure without the disk.
	NoSync bool
	Now    func() time.Time
	// MaxBatchDelay bounds how long Batch waits to gather concurrent
	// callers into one commit (bbolt's default is 10 ms). Zero keeps it.
	MaxBatchDelay time.Duration
}

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = errors.New("database is locked by another process")

// Open opens (creating with mode 0600) the database at path, creates every
// bucket and runs pending migrations, each in its own transaction.
func Open(path string, opt Options) (*DB, error) {
	if opt.Timeout == 0 {
		opt.Timeout = time.Second
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly, NoSync: opt.NoSync})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("数据库 %s 正被另一个进程使用（例如正在运行的 duban serve）：请先停止它，或用 --db 指定其他文件: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("打开数据库 %s: %w", path, err)
	}
	if opt.MaxBatchDelay > 0 {
		b.MaxBatchDelay = opt.MaxBatchDelay
	}
	db := &DB{Path: path, Now: opt.Now, bolt: b}
	if opt.ReadOnly {
		return db, nil
	}
	if err := db.migrate(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database file.
func (db *DB) Close() error {
	if db == nil || db.bolt == nil {
		return nil
	}
	return db.bolt.Close()
}

func (db *DB) now() time.Time {
	if db.Now != nil {
		return db.Now()
	}
	return time.Now()
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(*Tx) error) error {
	return db.bolt.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx, now: db.now()}) })
}

// Update runs fn in a read-write transaction, committed when fn returns nil.
func (db *DB) Update(fn func(*Tx) error) error {
	return db.bolt.Update(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx, now: db.now()}) })
}

// Batch is Update for many concurrent callers: bbolt coalesces them into one
// commit (one fsync pair). fn may run more than once, so it must be
// idempotent and have no effects outside the transaction.
func (db *DB) Batch(fn func(*Tx) error) error {
	return db.bolt.Batch(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx, now: db.now()}) })
}

// WriteTo writes a consistent copy of the database to w while others keep
// reading and writing (a bbolt read transaction).
func (db *DB) WriteTo(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a consistent copy to path (created 0600, replaced
// atomically so a failed backup never leaves a half file under that name).
func (db *DB) BackupFile(path string) (int64, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := db.WriteTo(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("备份到 %s: %w", path, err)
	}
	return n, nil
}

// Check verifies the page structure of the whole file (bbolt's tx.Check).
func (db *DB) Check() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		// Read the channel to the end: tx.Check's goroutine blocks on each
		// send, and stopping early would leak it past the transaction.
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
}

// Ping confirms the database answers a read; /healthz uses it.
func (db *DB) Ping(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- db.View(func(tx *Tx) error { _, err := tx.SchemaVersion(); return err }) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Size returns the size of the database file in bytes.
func (db *DB) Size() int64 {
	var n int64
	db.bolt.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n
}

// Tx is a transaction with duban's methods. It is valid only inside the
// function given to View, Update or Batch.
type Tx struct {
	tx     *bolt.Tx
	now    time.Time
	intern map[string]string // decoded strings shared within the transaction
	ctx    context.Context   // when set, long operations stop once it is done
}

// SetContext makes long operations of this transaction (an import) stop
// with ctx's error once ctx is done, so the caller rolls back: the command
// line's import ends cleanly on SIGINT/SIGTERM with the file unchanged.
func (tx *Tx) SetContext(ctx context.Context) { tx.ctx = ctx }

// interrupted checks the context every 1024 steps of a long operation.
func (tx *Tx) interrupted(i int) error {
	if tx.ctx == nil || i%1024 != 0 {
		return nil
	}
	if err := tx.ctx.Err(); err != nil {
		return fmt.Errorf("interrupted: %w", err)
	}
	return nil
}

// Now is the instant the transaction began (from the DB's clock).
func (tx *Tx) Now() time.Time { return tx.now }
