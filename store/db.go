package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strings"
	"sync"
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

	// OnWriteState, when set, is told once when commits start failing
	// (Failing set) and once when they work again (Failing clear, with
	// the episode's start, last error and count): serve logs each once
	// per episode instead of once per failed update.
	OnWriteState func(WriteState)

	bolt   *bolt.DB
	wmu    sync.Mutex
	wstate WriteState
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
	// Verify reads every page at open (bbolt's tx.Check), so a damaged
	// file is refused with one clear error before anything reads it,
	// instead of panicking inside bbolt later (in a goroutine of serve,
	// where nothing can recover it).
	Verify bool
}

// ErrCorrupt is returned (wrapped) by Open for a file that is not a
// usable duban database: empty, not a bbolt file, or damaged.
var ErrCorrupt = errors.New("database file is empty or damaged")

// corrupt is the one-line error for a damaged or foreign file.
func corrupt(path string, why any) error {
	if s, ok := why.(string); ok {
		why = strings.TrimPrefix(s, "panic: ")
	}
	return Wrap(ErrCorrupt, EINTERNAL, "e_db_corrupt", path, why)
}

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = errors.New("database is locked by another process")

// Open opens (creating with mode 0600) the database at path, creates every
// bucket and runs pending migrations, each in its own transaction.
//
// A file that exists but is empty (a failed restore) is refused, not
// initialised; so is a file that is not a bbolt database or whose pages
// bbolt cannot read: the error names the file and says what to do, and
// the file is left as it was. bbolt panics on some damage; Open turns
// that into the same error.
func Open(path string, opt Options) (db *DB, err error) {
	if opt.Timeout == 0 {
		opt.Timeout = time.Second
	}
	if fi, serr := os.Stat(path); serr == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		return nil, corrupt(path, Refuse(EINVALID, "e_db_empty"))
	}
	if err := checkMeta(path); err != nil {
		return nil, err
	}
	var b *bolt.DB
	defer func() {
		if p := recover(); p != nil {
			if b != nil {
				func() { defer func() { recover() }(); b.Close() }()
			}
			db, err = nil, corrupt(path, firstLine(fmt.Sprint(p)))
		}
	}()
	b, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly, NoSync: opt.NoSync})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, Wrap(ErrLocked, EINTERNAL, "e_db_locked", path)
	}
	if errors.Is(err, bolterrors.ErrInvalid) || errors.Is(err, bolterrors.ErrChecksum) || errors.Is(err, bolterrors.ErrVersionMismatch) ||
		errors.Is(err, bolterrors.ErrInvalidMapping) {
		return nil, corrupt(path, err.Error())
	}
	if err != nil {
		return nil, Wrap(err, EINTERNAL, "e_db_open", path)
	}
	if opt.Verify {
		v := &DB{bolt: b}
		if err := v.Check(); err != nil {
			b.Close()
			return nil, corrupt(path, firstLine(err.Error()))
		}
		// The check touched every page; they stay in the page cache but
		// need not count in this process's memory.
		v.ReleaseMapped()
	}
	if opt.MaxBatchDelay > 0 {
		b.MaxBatchDelay = opt.MaxBatchDelay
	}
	db = &DB{Path: path, Now: opt.Now, bolt: b}
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
// A commit the disk refused (full, read-only, I/O error) is returned
// wrapping ErrWrite.
func (db *DB) Update(fn func(*Tx) error) error {
	var fnErr error
	err := db.bolt.Update(func(btx *bolt.Tx) error { fnErr = fn(&Tx{tx: btx, now: db.now()}); return fnErr })
	return db.committed(err, fnErr)
}

// Batch is Update for many concurrent callers: bbolt coalesces them into one
// commit (one fsync pair). fn may run more than once, so it must be
// idempotent and have no effects outside the transaction.
func (db *DB) Batch(fn func(*Tx) error) error {
	var fnErr error
	err := db.bolt.Batch(func(btx *bolt.Tx) error { fnErr = fn(&Tx{tx: btx, now: db.now()}); return fnErr })
	return db.committed(err, fnErr)
}

// ErrWrite wraps a commit the file system refused: the transaction's
// function succeeded but its changes are not on disk (a full disk,
// a read-only remount, an I/O error). Nothing of it was applied, so the
// work may be retried once writes succeed again.
var ErrWrite = errors.New("database write failed")

// WriteState is whether commits are failing, since when, and why.
type WriteState struct {
	Failing bool
	Since   time.Time // start of the current failure episode
	Err     error     // the latest commit error
	Count   int       // commits failed in this episode
}

// committed classifies the outcome of a write transaction: an error the
// function returned passes unchanged; an error of the commit itself
// (function returned nil) becomes ErrWrite and starts or continues a
// failure episode; a commit that succeeded ends one. OnWriteState hears
// each change of episode once.
func (db *DB) committed(err, fnErr error) error {
	if err != nil && fnErr != nil {
		return err // the function's own error: nothing was written
	}
	db.wmu.Lock()
	prev := db.wstate
	switch {
	case err == nil && !prev.Failing:
		db.wmu.Unlock()
		return nil
	case err == nil:
		db.wstate = WriteState{}
	default:
		err = fmt.Errorf("%w: %w", ErrWrite, err)
		if !prev.Failing {
			db.wstate = WriteState{Failing: true, Since: time.Now()}
		}
		db.wstate.Err, db.wstate.Count = err, db.wstate.Count+1
	}
	now, hook := db.wstate, db.OnWriteState
	db.wmu.Unlock()
	if hook != nil && now.Failing != prev.Failing {
		if now.Failing {
			hook(now)
		} else {
			hook(WriteState{Since: prev.Since, Err: prev.Err, Count: prev.Count})
		}
	}
	return err
}

// WriteStatus reports whether commits are failing now (for /healthz).
func (db *DB) WriteStatus() WriteState {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	return db.wstate
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
		return 0, Wrap(err, EINTERNAL, "e_db_backup", path)
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

// checkMeta validates the file's two meta pages the way bbolt reads them
// (magic, version, checksum) and that the file holds every page the newer
// valid one counts: bbolt maps a truncated file and faults (SIGBUS, no
// recovery possible) when it touches a page past the end. A file that
// does not exist yet is fine (Open creates it).
func checkMeta(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // missing: created by bolt.Open; unreadable: bolt.Open says why
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	const header, metaLen = 16, 64
	const magic, version = 0xED0CDAED, 2
	read := func(off int64) (pageSize uint32, pages uint64, txid uint64, ok bool) {
		b := make([]byte, header+metaLen)
		if _, err := f.ReadAt(b, off); err != nil {
			return 0, 0, 0, false
		}
		m := b[header:]
		ne := binary.NativeEndian
		sum := fnv.New64a()
		sum.Write(m[:56])
		if ne.Uint32(m[0:]) != magic || ne.Uint32(m[4:]) != version || ne.Uint64(m[56:]) != sum.Sum64() {
			return 0, 0, 0, false
		}
		return ne.Uint32(m[8:]), ne.Uint64(m[40:]), ne.Uint64(m[48:]), true
	}
	ps, pages, txid, ok0 := read(0)
	size := int64(ps)
	if !ok0 {
		size = int64(os.Getpagesize())
	}
	ps1, pages1, txid1, ok1 := read(size)
	if !ok0 && !ok1 {
		return corrupt(path, Refuse(EINVALID, "e_db_no_meta"))
	}
	if !ok0 || (ok1 && txid1 > txid) {
		ps, pages = ps1, pages1
	}
	if want := int64(pages) * int64(ps); fi.Size() < want {
		return corrupt(path, Refuse(EINVALID, "e_db_truncated", fi.Size(), want))
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
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
	plans  []*Plan           // Plans, read once per transaction

	importInto string // ImportInto's plan
	scope      []byte // ScopePlan's key prefix
}

// ScopePlan makes this transaction's lists, scans and counts see one
// plan's tasks only (`duban tasks --plan 2026`); it returns the plan.
func (tx *Tx) ScopePlan(ref string) (*Plan, error) {
	p, err := tx.Plan(ref)
	if err != nil {
		return nil, err
	}
	tx.scope = []byte(p.ID + KeySep)
	return p, nil
}

// inScope reports whether a task key is in ScopePlan's plan.
func (tx *Tx) inScope(key []byte) bool { return tx.scope == nil || bytes.HasPrefix(key, tx.scope) }

// ImportInto makes this transaction's imports put rows that name no plan
// into plan ref (`duban import --plan`); it returns the plan.
func (tx *Tx) ImportInto(ref string) (*Plan, error) {
	p, err := tx.Plan(ref)
	if err != nil {
		return nil, err
	}
	tx.importInto = p.ID
	return p, nil
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
