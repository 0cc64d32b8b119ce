package store

import (
	"bytes"
	"time"
)

// EachOpenTask calls fn for every open task, continuous ones first, then
// by deadline, decoding one at a time and keeping none: the digest over
// 100,000 open tasks then holds only what it shows. It stops at fn's
// first error.
func (tx *Tx) EachOpenTask(fn func(*Task) error) error {
	tasks := tx.tx.Bucket(bktTasks)
	cont := tx.tx.Bucket(bktIdxOpenCont)
	c := cont.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
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
		if len(k) < 4 || cont.Get(k[4:]) != nil {
			continue
		}
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
func (tx *Tx) EachHistorySince(t time.Time, fn func(Update) error) error {
	hist := tx.tx.Bucket(bktHistory)
	c := tx.tx.Bucket(bktIdxHistAt).Cursor()
	for k, _ := c.Seek(histAtKey(t, "", 0)[:8]); k != nil; k, _ = c.Next() {
		if len(k) < 8+1+8 {
			continue
		}
		key := k[8:]
		i := bytes.IndexByte(key, 0)
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
