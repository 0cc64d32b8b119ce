package store

import (
	"bytes"
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The schedule's indexes (schema 3). A snapshot for reminders or the digest
// used to decode every task and scan all history; on 100,000 tasks that was
// ~60 MB of live structs and every page of the file faulted into memory.
// These let it decode open tasks only, count finished ones from keys, and
// seek to last week's history.
var (
	bktIdxOpenCont = []byte("tasks.open_continuous") // task ID → nil: open tasks without a deadline or with a cadence (their reminders do not follow a deadline)
	bktIdxFinished = []byte("tasks.finished")        // lead 0x00 task ID → nil: done and closed tasks
	bktIdxHistAt   = []byte("history.at")            // at unix ns u64 BE (sign bit flipped) + task ID 0x00 seq u64 BE → nil
)

// continuous reports whether t's reminders ignore open_by_deadline: no
// deadline, or a cadence (which wins over a deadline in the schedule).
func continuous(t *Task) bool { return t.Deadline.IsZero() || t.Cadence != "" }

func finishedKey(t *Task) []byte { return deptKey(t.Lead, t.Key()) }

// histAtKey orders history entries by time; flipping the sign bit keeps
// instants before 1970 in order.
func histAtKey(at time.Time, taskID string, seq uint64) []byte {
	k := binary.BigEndian.AppendUint64(nil, uint64(at.UnixNano())^1<<63)
	k = append(append(k, taskID...), 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

// indexScan adds t to the schedule's task indexes.
func indexScan(tx *bolt.Tx, t *Task) error {
	return scanEntries(t, func(bkt, k, v []byte) error { return tx.Bucket(bkt).Put(k, v) })
}

// scanEntries gives put t's entries in the schedule's task indexes.
func scanEntries(t *Task, put func(bkt, k, v []byte) error) error {
	switch {
	case t.Status.Finished():
		return put(bktIdxFinished, finishedKey(t), nil)
	case continuous(t):
		return put(bktIdxOpenCont, []byte(t.Key()), nil)
	}
	return nil
}

func unindexScan(tx *bolt.Tx, t *Task) error {
	if err := tx.Bucket(bktIdxFinished).Delete(finishedKey(t)); err != nil {
		return err
	}
	return tx.Bucket(bktIdxOpenCont).Delete([]byte(t.Key()))
}

// migrateScan (schema 3) builds the schedule's indexes from the stored
// tasks and history, decoding each record once.
func migrateScan(tx *bolt.Tx) error {
	for _, b := range [][]byte{bktIdxOpenCont, bktIdxFinished, bktIdxHistAt} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	err := tx.Bucket(bktTasks).ForEach(func(_, v []byte) error {
		t, err := decodeTask(v)
		if err != nil {
			return err
		}
		return indexScan(tx, t)
	})
	if err != nil {
		return err
	}
	at := tx.Bucket(bktIdxHistAt)
	return tx.Bucket(bktHistory).ForEach(func(k, v []byte) error {
		i := bytes.IndexByte(k, 0)
		if i < 0 || len(k)-i-1 != 8 {
			return nil // HistorySince reported such keys; it cannot be indexed
		}
		u, err := decodeHistory(k[i+1:], string(k[:i]), v)
		if err != nil {
			return err
		}
		return at.Put(histAtKey(u.At, u.Key(), u.Seq), nil)
	})
}

// OpenTasks returns the open tasks in ID order without decoding a finished
// one. When keep is set, a task whose reminders follow its deadline is read
// only if keep(deadline) holds, asked from the index key before decoding:
// the reminder scan thus skips tasks with nothing due in its window.
// Continuous tasks are always returned.
func (tx *Tx) OpenTasks(keep func(deadline Date) bool) ([]*Task, error) {
	tasks := tx.tx.Bucket(bktTasks)
	var out []*Task
	seen := map[string]bool{}
	c := tx.tx.Bucket(bktIdxOpenCont).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if !tx.inScope(k) {
			continue
		}
		t, err := tx.decodeTask(tasks.Get(k))
		if err != nil {
			return nil, err
		}
		seen[t.Key()] = true
		out = append(out, t)
	}
	kept := map[Date]bool{}
	c = tx.tx.Bucket(bktIdxDeadline).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) < 4 || seen[string(k[4:])] || !tx.inScope(k[4:]) {
			continue
		}
		if keep != nil {
			d := Date(binary.BigEndian.Uint32(k))
			ok, asked := kept[d]
			if !asked {
				ok = keep(d)
				kept[d] = ok
			}
			if !ok {
				continue
			}
		}
		t, err := tx.decodeTask(tasks.Get(k[4:]))
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	SortTasks(out)
	return out, nil
}

// FinishedByLead counts done and closed tasks per lead department ("" for
// tasks without one) from index keys alone.
func (tx *Tx) FinishedByLead() map[string]int {
	out := map[string]int{}
	c := tx.tx.Bucket(bktIdxFinished).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if i := bytes.IndexByte(k, 0); i >= 0 && tx.inScope(k[i+1:]) {
			out[string(k[:i])]++
		}
	}
	return out
}

// HistorySince returns every history entry at or after t, across tasks,
// oldest first (for the weekly digest). It seeks the time index, so a
// year of history costs what last week's does.
func (tx *Tx) HistorySince(t time.Time) ([]HistoryEntry, error) {
	var out []HistoryEntry
	err := tx.EachHistorySince(t, func(u HistoryEntry) error { out = append(out, u); return nil })
	if err != nil {
		return nil, err
	}
	return out, nil
}
