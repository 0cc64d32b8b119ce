package store

import (
	"bytes"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Whole lists (`duban tasks --overdue`: 18,767 of 100k tasks) cost one
// B+tree lookup and one record decode per task, ~3 µs each: 60 ms. The
// open-by-deadline index therefore carries, as its value, the fields a
// list row shows, so a list is one sequential walk of that index (schema
// 5). Only that index carries them: a summary in the department index too
// grew the file past 2 KB a task (docs/BENCHMARKS.md).

// summaryFormat is the first byte of a summary.
const summaryFormat = 1

// SummaryText is how many characters of the task text a summary keeps;
// a list showing fewer than that and an ellipsis shows the same.
const SummaryText = 40

func encodeSummary(t *Task) []byte {
	e := encoder{b: make([]byte, 0, 48+len(t.Lead)+3*SummaryText)}
	e.b = append(e.b, summaryFormat)
	e.str(string(t.Status))
	e.int(int64(t.Progress))
	e.str(t.Lead)
	e.bool(t.LeadSuggested)
	e.str(string(t.Cadence))
	e.str(clipRunes(t.Text, SummaryText))
	return e.b
}

// TaskRow is a task as one line of a whole list shows it: a third of a
// Task's size, so 20,000 of them are cheap to build.
type TaskRow struct {
	ID            string
	Plan          string // the task's plan ("" for none)
	Text          string // the first SummaryText characters
	Lead          string
	LeadSuggested bool
	Deadline      Date
	Cadence       Cadence
	Status        Status
	Progress      int
}

// Row returns t as a list row (Text cut to SummaryText characters).
func (t *Task) Row() TaskRow {
	return TaskRow{ID: t.ID, Plan: t.PlanID, Text: clipRunes(t.Text, SummaryText), Lead: t.Lead, LeadSuggested: t.LeadSuggested,
		Deadline: t.Deadline, Cadence: t.Cadence, Status: t.Status, Progress: t.Progress}
}

// DaysOverdue is the number of days past the deadline on day `on` (0 if
// not overdue), as Task.DaysOverdue.
func (r *TaskRow) DaysOverdue(on Date) int {
	t := Task{Status: r.Status, Deadline: r.Deadline}
	return t.DaysOverdue(on)
}

// rowStrings gives rows their ID and text from one string per few hundred
// rows, so a list of 20,000 rows costs some hundred allocations.
type rowStrings struct {
	buf  strings.Builder // String() hands over its bytes without a copy
	ends []int           // per pending row: end of its ID, end of its text in buf
	from int             // first row waiting for its strings
}

const rowsPerString = 512

func (s *rowStrings) add(id, text []byte) {
	if s.ends == nil {
		s.buf.Grow(rowsPerString * (16 + 3*SummaryText))
		s.ends = make([]int, 0, 2*rowsPerString)
	}
	s.buf.Write(id)
	s.ends = append(s.ends, s.buf.Len())
	s.buf.Write(text)
	s.ends = append(s.ends, s.buf.Len())
}

// seal hands the pending rows their strings.
func (s *rowStrings) seal(rows []TaskRow) {
	all, at := s.buf.String(), 0
	for i := range len(s.ends) / 2 {
		r := &rows[s.from+i]
		r.ID, r.Text = all[at:s.ends[2*i]], all[s.ends[2*i]:s.ends[2*i+1]]
		at = s.ends[2*i+1]
	}
	s.from += len(s.ends) / 2
	s.buf, s.ends = strings.Builder{}, nil
}

// small is an intern table for the few values a column repeats (status,
// cadence, the departments): a linear scan beats hashing them.
type small []string

func (t *small) get(b []byte) string {
	for _, s := range *t {
		if s == string(b) {
			return s
		}
	}
	s := string(b)
	if len(*t) < 64 {
		*t = append(*t, s)
	}
	return s
}

// OverdueRows returns the tasks overdue on day `on`, oldest deadline
// first, as list rows, from the deadline index alone (see above); use
// OverdueTasks for whole records.
func (tx *Tx) OverdueRows(on Date) ([]TaskRow, error) {
	tasks := tx.tx.Bucket(bktTasks)
	var strs rowStrings
	var vals small               // status and cadence: a handful of values
	var plans small              // plan IDs: a few
	leads := map[string]string{} // departments: a few dozen
	c := tx.tx.Bucket(bktIdxDeadline).Cursor()
	end := u32(uint32(on.AddDays(-1)))
	n := 0 // counting the keys first is cheaper than growing the list
	for k, _ := c.Seek(u32(1)); k != nil && bytes.Compare(k[:4], end) <= 0; k, _ = c.Next() {
		if tx.inScope(k[4:]) {
			n++
		}
	}
	out := make([]TaskRow, 0, n)
	for k, v := c.Seek(u32(1)); k != nil && bytes.Compare(k[:4], end) <= 0; k, v = c.Next() {
		if !tx.inScope(k[4:]) {
			continue
		}
		if len(v) == 0 || v[0] != summaryFormat {
			// An entry written before schema 6, or of a format this build
			// does not know: the record itself.
			strs.seal(out)
			t, err := tx.decodeTask(tasks.Get(k[4:]))
			if err != nil {
				return nil, err
			}
			out = append(out, t.Row())
			strs.from++
			continue
		}
		d := decoder{b: v[1:]}
		status, progress := d.raw(), d.int()
		lead, suggested, cadence, text := d.raw(), d.bool(), d.raw(), d.raw()
		if d.err != nil {
			return nil, fmt.Errorf("decode summary of task %q: %w", k[4:], d.err)
		}
		id, plan := k[4:], "" // the task's key: plan/ID
		if i := bytes.LastIndexByte(id, KeySep[0]); i >= 0 {
			id, plan = id[i+1:], plans.get(id[:i])
		}
		strs.add(id, text)
		l, ok := leads[string(lead)]
		if !ok {
			l = string(lead)
			leads[l] = l
		}
		out = append(out, TaskRow{Plan: plan, Lead: l, LeadSuggested: suggested, Deadline: Date(be32(k)),
			Cadence: Cadence(vals.get(cadence)), Status: Status(vals.get(status)), Progress: int(progress)})
		if len(strs.ends) == 2*rowsPerString {
			strs.seal(out)
		}
	}
	strs.seal(out)
	return out, nil
}

// migrateSummaries (schema 6) writes the summary of every task in the
// open-by-deadline index.
func migrateSummaries(tx *bolt.Tx) error {
	idx, tasks := tx.Bucket(bktIdxDeadline), tx.Bucket(bktTasks)
	var keys [][]byte
	c := idx.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if len(k) < 4 {
			continue
		}
		raw := tasks.Get(k[4:])
		if raw == nil {
			continue
		}
		t, err := decodeTask(raw)
		if err != nil {
			return err
		}
		if err := idx.Put(k, encodeSummary(t)); err != nil {
			return err
		}
	}
	return nil
}

func clipRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
