package store

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/duban-bureau/duban/store/vocab"
)

// migratePlans (schema 7) makes plans things of their own. Every task
// belongs to a plan and is keyed plan/ID: a task that named a stored plan
// stays in it; the others join the only (or newest) plan, or a plan made
// for them when the file has none. Keys change everywhere a task is named
// — its record and indexes, its history (and history.at), reply links,
// extension requests and outbox messages — and every plan gets its short
// name and state. Nothing is dropped.
func migratePlans(tx *bolt.Tx) error {
	for _, b := range [][]byte{bktTasksArchived, bktTasksRemoved} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	var plans []*Plan
	if err := tx.Bucket(bktPlans).ForEach(func(_, v []byte) error {
		p, err := decodePlan(v)
		if err != nil {
			return err
		}
		plans = append(plans, p)
		return nil
	}); err != nil {
		return err
	}
	type rec struct {
		key []byte
		t   *Task
	}
	var tasks []rec
	years := map[int]int{}
	if err := tx.Bucket(bktTasks).ForEach(func(k, v []byte) error {
		t, err := decodeTask(v)
		if err != nil {
			return fmt.Errorf("task %q: %w", k, err)
		}
		tasks = append(tasks, rec{bytes.Clone(k), t})
		if !t.Deadline.IsZero() {
			years[t.Deadline.Year()]++
		}
		return nil
	}); err != nil {
		return err
	}
	sort.SliceStable(plans, func(i, j int) bool { return plans[i].Year < plans[j].Year })
	var home *Plan // where tasks of no known plan go: the newest plan
	if len(plans) > 0 {
		home = plans[len(plans)-1]
	}
	now := time.Now()
	if home == nil && len(tasks) > 0 {
		year, most := now.Year(), 0
		for y, n := range years {
			if n > most || n == most && y > year {
				year, most = y, n
			}
		}
		home = &Plan{ID: "", Title: strconv.Itoa(year) + vocab.Year + vocab.ListTitle, Year: year, Source: "migrated"}
		plans = append(plans, home)
	}
	// Plans are renamed by year (2026, 2026-2 …), in year order.
	renamed := map[string]string{} // old plan ID → new
	var done []*Plan
	for _, p := range plans {
		old := p.ID
		if old != "" {
			if err := tx.Bucket(bktPlans).Delete([]byte(old)); err != nil {
				return err
			}
		}
		p.ID = freeName(done, p.Year)
		p.Fingerprint = PlanID(p.Year, p.Title)
		if old != "" {
			renamed[old] = p.ID
		}
		if p.State == "" {
			p.State = PlanActive
		}
		if p.ImportedAt.IsZero() {
			p.ImportedAt = now
		}
		done = append(done, p)
	}
	for _, p := range plans {
		v, err := encodePlan(p)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bktPlans).Put([]byte(p.ID), v); err != nil {
			return err
		}
	}
	rekey := map[string]string{} // old key → new key
	for _, r := range tasks {
		if n, ok := renamed[r.t.PlanID]; ok {
			r.t.PlanID = n
		} else {
			r.t.PlanID = home.ID
		}
		rekey[string(r.key)] = r.t.Key()
	}
	// Task records and every task index, rebuilt.
	for _, b := range [][]byte{bktIdxDept, bktIdxDeadline, bktIdxDeptOpen, bktIdxOpenCont, bktIdxFinished} {
		if err := tx.DeleteBucket(b); err != nil && err != bolt.ErrBucketNotFound {
			return err
		}
		if _, err := tx.CreateBucket(b); err != nil {
			return err
		}
	}
	tb := tx.Bucket(bktTasks)
	for _, r := range tasks {
		if err := tb.Delete(r.key); err != nil {
			return err
		}
	}
	// Every key is gathered and written in order (putSorted): 100,000
	// tasks in task order put their index keys out of order.
	puts := make([]entry, 0, 6*len(tasks))
	put := func(bkt, k, v []byte) error { puts = append(puts, entry{bkt, k, v}); return nil }
	for _, r := range tasks {
		v, err := encodeTask(r.t)
		if err != nil {
			return err
		}
		put(bktTasks, []byte(r.t.Key()), v)
		if err := indexEntries(r.t, put); err != nil {
			return err
		}
	}
	if err := putSorted(tx, puts, nil); err != nil {
		return err
	}
	puts = puts[:0]
	// History and its time index, rewritten in key order (the bucket's
	// sequence, which numbers new entries, is kept).
	h := tx.Bucket(bktHistory)
	hist, err := entries(h)
	if err != nil {
		return err
	}
	seqNo := h.Sequence()
	for _, b := range [][]byte{bktHistory, bktIdxHistAt} {
		if err := tx.DeleteBucket(b); err != nil && err != bolt.ErrBucketNotFound {
			return err
		}
		if _, err := tx.CreateBucket(b); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bktHistory).SetSequence(seqNo); err != nil {
		return err
	}
	for _, e := range hist {
		i := bytes.IndexByte(e.k, 0)
		if i < 0 || len(e.k)-i-1 != 8 {
			put(bktHistory, e.k, e.v) // not a history key; kept as it was
			continue
		}
		id, seq := string(e.k[:i]), e.k[i+1:]
		nk := id
		if n, ok := rekey[id]; ok {
			nk = n
		} else if home != nil {
			// history of a task deleted since: filed under the newest plan
			nk = home.ID + KeySep + id
		}
		put(bktHistory, append(append([]byte(nk), 0), seq...), e.v)
		u, err := decodeHistory(seq, nk, e.v)
		if err != nil {
			return err
		}
		put(bktIdxHistAt, histAtKey(u.At, nk, u.Seq), nil)
	}
	if err := putSorted(tx, puts, nil); err != nil {
		return err
	}
	// Reply links.
	links := tx.Bucket(bktMsgTask)
	lk, err := entries(links)
	if err != nil {
		return err
	}
	for _, e := range lk {
		id, _, _ := bytes.Cut(e.v, []byte{0})
		if n, ok := rekey[string(id)]; ok {
			nv := append([]byte(n), e.v[len(id):]...)
			if err := links.Put(e.k, nv); err != nil {
				return err
			}
		}
	}
	// Extension requests.
	ext := tx.Bucket(bktExtensions)
	ek, err := entries(ext)
	if err != nil {
		return err
	}
	for _, e := range ek {
		x, err := decodeExtension(e.v)
		if err != nil {
			return fmt.Errorf("extension %x: %w", e.k, err)
		}
		if n, ok := rekey[x.TaskID]; ok {
			x.TaskID = n
			v, err := encodeExtension(x)
			if err != nil {
				return err
			}
			if err := ext.Put(e.k, v); err != nil {
				return err
			}
		}
	}
	// Outbox messages still to be linked to their task once sent.
	out := tx.Bucket(bktOutbox)
	ok, err := entries(out)
	if err != nil {
		return err
	}
	for _, e := range ok {
		m, err := decodeMessage(e.v)
		if err != nil || m.TaskID == "" {
			continue // a stub or a message about no task
		}
		if n, found := rekey[m.TaskID]; found {
			m.TaskID = n
			v, err := encodeMessage(m)
			if err != nil {
				return err
			}
			if err := out.Put(e.k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// kv is a key and value copied out of a bucket, so the bucket can change.
type kv struct{ k, v []byte }

// entries copies every key and value of b.
func entries(b *bolt.Bucket) ([]kv, error) {
	var out []kv
	err := b.ForEach(func(k, v []byte) error {
		out = append(out, kv{bytes.Clone(k), bytes.Clone(v)})
		return nil
	})
	return out, err
}

// prefixed copies the keys and values of b that start with prefix.
func prefixed(b *bolt.Bucket, prefix []byte) []kv {
	var out []kv
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		out = append(out, kv{bytes.Clone(k), bytes.Clone(v)})
	}
	return out
}
