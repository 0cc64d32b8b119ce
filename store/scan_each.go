package store

import (
	"bytes"
	"syscall"
	"time"
)

// releaseEvery is how many records a streaming scan reads between drops
// of the mapped pages: the scan's resident memory then stays near what
// this many records' pages take, not the whole file's.
const releaseEvery = 1024

// releaseMapped drops the file's pages from the process's mapping inside
// this read transaction (see DB.ReleaseMapped): what was decoded is
// copied or re-faults from the page cache with the same bytes.
func (tx *Tx) releaseMapped() {
	info := tx.tx.DB().Info()
	if size := tx.tx.Size(); info.Data != 0 && size > 0 {
		syscall.Syscall(syscall.SYS_MADVISE, info.Data, uintptr(size), syscall.MADV_DONTNEED)
	}
}

// EachOpenTask calls fn for every open task, continuous ones first, then
// by deadline, decoding one at a time and keeping none: the digest over
// 100,000 open tasks then holds only what it shows. It stops at fn's
// first error.
func (tx *Tx) EachOpenTask(fn func(*Task) error) error {
	tasks := tx.tx.Bucket(bktTasks)
	cont := tx.tx.Bucket(bktIdxOpenCont)
	n := 0
	release := func() {
		if n++; n%releaseEvery == 0 {
			tx.releaseMapped()
		}
	}
	c := cont.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if !tx.inScope(k) {
			continue
		}
		release()
		t, err := tx.decodeTask(tasks.Get(k))
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	c = tx.tx.Bucket(bktIdxDeadline).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) < 4 || cont.Get(k[4:]) != nil || !tx.inScope(k[4:]) {
			continue
		}
		release()
		t, err := tx.decodeTask(tasks.Get(k[4:]))
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	return nil
}

// EachHistorySince calls fn for every history entry at or after t, oldest
// first, decoding one at a time (HistorySince without the slice: a week
// of a big import is 100,000 entries).
func (tx *Tx) EachHistorySince(t time.Time, fn func(HistoryEntry) error) error {
	hist := tx.tx.Bucket(bktHistory)
	c := tx.tx.Bucket(bktIdxHistAt).Cursor()
	n := 0
	for k, _ := c.Seek(histAtKey(t, "", 0)[:8]); k != nil; k, _ = c.Next() {
		if len(k) < 8+1+8 {
			continue
		}
		if n++; n%(4*releaseEvery) == 0 {
			tx.releaseMapped()
		}
		key := k[8:]
		i := bytes.IndexByte(key, 0)
		if !tx.inScope(key) {
			continue
		}
		u, err := decodeHistory(key[i+1:], string(key[:i]), hist.Get(key))
		if err != nil {
			return err
		}
		if u.At.Before(t) {
			continue
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	return nil
}

// EachTaskOf calls fn for each of ids that names a task (others are
// skipped), decoding one at a time and dropping the mapped pages as it
// goes: the digest looks up the week's completions this way.
func (tx *Tx) EachTaskOf(ids []string, fn func(*Task) error) error {
	tasks := tx.tx.Bucket(bktTasks)
	for i, id := range ids {
		if (i+1)%releaseEvery == 0 {
			tx.releaseMapped()
		}
		v := tasks.Get([]byte(id))
		if v == nil {
			continue
		}
		t, err := tx.decodeTask(v)
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	return nil
}
