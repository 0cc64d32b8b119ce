package store

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

func encodeTask(t *Task) ([]byte, error) {
	e := encoder{b: make([]byte, 0, 64+len(t.Text)+len(t.Section)+len(t.Latest))}
	e.b = append(e.b, taskFormat)
	e.str(t.ID)
	e.str(t.PlanID)
	e.str(t.Section)
	e.str(t.Text)
	e.str(t.Lead)
	e.bool(t.LeadSuggested)
	e.strs(t.CoDepts)
	e.int(int64(t.Deadline))
	e.str(string(t.Cadence))
	e.float(t.Target)
	e.str(t.Unit)
	e.float(t.Current)
	e.str(string(t.Status))
	e.int(int64(t.Progress))
	e.str(t.Latest)
	e.time(t.CreatedAt)
	e.time(t.UpdatedAt)
	e.str(t.CarriedFrom)
	return e.b, nil
}

func decodeTask(b []byte) (*Task, error) { return decodeTaskInterned(b, nil) }

// decodeTask decodes with the transaction's string table.
func (tx *Tx) decodeTask(b []byte) (*Task, error) {
	if tx.intern == nil {
		tx.intern = map[string]string{}
	}
	return decodeTaskInterned(b, tx.intern)
}

func decodeTaskInterned(b []byte, intern map[string]string) (*Task, error) {
	if len(b) == 0 || b[0] != taskFormat && b[0] != 1 {
		return nil, fmt.Errorf("decode task: unknown record format")
	}
	d := decoder{b: b[1:], intern: intern}
	t := &Task{ID: d.str(), PlanID: d.istr(), Section: d.istr(), Text: d.str(), Lead: d.istr(), LeadSuggested: d.bool(),
		CoDepts: d.strs(), Deadline: Date(d.int()), Cadence: Cadence(d.istr()), Target: d.float(), Unit: d.istr(),
		Current: d.float(), Status: Status(d.istr()), Progress: int(d.int()), Latest: d.str(),
		CreatedAt: d.time(), UpdatedAt: d.time()}
	if b[0] >= 2 {
		t.CarriedFrom = d.str()
	}
	if d.err != nil {
		return nil, fmt.Errorf("decode task %q: %w", t.ID, d.err)
	}
	return t, nil
}

// Task returns the task a person means by ref: a bare ID (4.1.3) in the
// active plans, a qualified one (2026/4.1.3, by the plan's short name,
// year or ID), or a store key. A bare ID two active plans hold is an
// EAMBIGUOUS error naming the candidates; an ID found nowhere is ENOTFOUND
// (saying so when the task was removed). A task of an archived plan is
// returned (it is read-only: PutTask refuses it).
func (tx *Tx) Task(ref string) (*Task, error) {
	bkt, key, err := tx.resolveTask(ref)
	if err != nil {
		return nil, err
	}
	t, err := tx.decodeTask(tx.tx.Bucket(bkt).Get([]byte(key)))
	if err == nil && bkt != nil && string(bkt) == string(bktTasksArchived) {
		t.archived = true
	}
	return t, err
}

// Tasks returns every task in ID order (4.1.2 before 4.1.10).
func (tx *Tx) Tasks() ([]*Task, error) {
	var out []*Task
	err := tx.tx.Bucket(bktTasks).ForEach(func(k, v []byte) error {
		if !tx.inScope(k) {
			return nil
		}
		t, err := tx.decodeTask(v)
		if err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	SortTasks(out)
	return out, nil
}

// TaskCount returns the number of tasks. It walks every page: use HasTasks
// where the answer is only "any?".
func (tx *Tx) TaskCount() int { return tx.tx.Bucket(bktTasks).Stats().KeyN }

// HasTasks reports whether the store holds any task, in constant time.
func (tx *Tx) HasTasks() bool {
	k, _ := tx.tx.Bucket(bktTasks).Cursor().First()
	return k != nil
}

// indexRange is a walk over one of the task indexes: the entries from
// seek while in holds, each naming its task by the key at skip bytes in.
type indexRange struct {
	bkt  []byte
	seek []byte
	in   func(k []byte) bool
	skip int
	keep func(k, v []byte) bool // nil: every entry in range
}

// deptRange walks a department's entries of the department index (skip:
// dept 0x00) or of the department-by-deadline index (+ the date).
func deptRange(bkt []byte, dept string, date bool) indexRange {
	prefix := append([]byte(dept), 0)
	skip := len(prefix)
	if date {
		skip += 4
	}
	return indexRange{bkt: bkt, seek: prefix, skip: skip, in: func(k []byte) bool { return bytes.HasPrefix(k, prefix) }}
}

// dueRange walks the open-by-deadline index from one date to another.
func dueRange(from, to Date) indexRange {
	end := u32(uint32(to))
	return indexRange{bkt: bktIdxDeadline, seek: u32(uint32(from)), skip: 4,
		in: func(k []byte) bool { return bytes.Compare(k[:4], end) <= 0 }}
}

// page decodes the first limit tasks of the range (limit < 0: all) and
// counts the entries, from keys alone, in ScopePlan's plan.
func (tx *Tx) page(r indexRange, limit int) ([]*Task, int, error) {
	tasks := tx.tx.Bucket(bktTasks)
	var out []*Task
	total := 0
	c := tx.tx.Bucket(r.bkt).Cursor()
	for k, v := c.Seek(r.seek); k != nil && r.in(k); k, v = c.Next() {
		key := k[r.skip:]
		if r.keep != nil && !r.keep(k, v) || !tx.inScope(key) {
			continue
		}
		total++
		if limit >= 0 && len(out) >= limit {
			continue
		}
		t, err := tx.decodeTask(tasks.Get(key))
		if err != nil {
			return nil, 0, err
		}
		out = append(out, t)
	}
	return out, total, nil
}

// TasksByDept returns the tasks dept leads (and, with co, co-owns), read
// through the department index.
func (tx *Tx) TasksByDept(dept string, co bool) ([]*Task, error) {
	r := deptRange(bktIdxDept, dept, false)
	if !co {
		r.keep = leads
	}
	out, _, err := tx.page(r, -1)
	SortTasks(out)
	return out, err
}

// leads keeps the department index's lead entries.
func leads(_, v []byte) bool { return string(v) == "L" }

// DeptOpenPage returns the first limit open tasks dept leads or co-owns,
// by deadline (continuous work last), and how many there are in all.
func (tx *Tx) DeptOpenPage(dept string, limit int) ([]*Task, int, error) {
	return tx.page(deptRange(bktIdxDeptOpen, dept, true), limit)
}

// DeptTaskCount counts the tasks dept leads, from the index alone.
func (tx *Tx) DeptTaskCount(dept string) int {
	r := deptRange(bktIdxDept, dept, false)
	r.keep = leads
	_, n, _ := tx.page(r, 0) // a count decodes nothing: it cannot fail
	return n
}

// OpenTasksDue returns open tasks whose deadline lies in [from, to], by
// deadline, read through the open-by-deadline index (done and closed tasks
// are not in it, so a year of finished work costs nothing here).
func (tx *Tx) OpenTasksDue(from, to Date) ([]*Task, error) {
	out, _, err := tx.page(dueRange(from, to), -1)
	return out, err
}

// OpenTasksDuePage is OpenTasksDue for a screen: the first limit tasks by
// deadline and the total count. Counting walks index keys only, so a list
// of 20,000 overdue tasks costs the decoding of the page, not of all.
func (tx *Tx) OpenTasksDuePage(from, to Date, limit int) ([]*Task, int, error) {
	return tx.page(dueRange(from, to), limit)
}

// OverdueTasks returns the tasks overdue on day `on` (deadline before it, not
// done or closed), oldest deadline first.
func (tx *Tx) OverdueTasks(on Date) ([]*Task, error) { return tx.OpenTasksDue(1, on.AddDays(-1)) }

// PutTask stores t as it is, with no history entry: for creating tasks from
// a plan or an import, which record their own entry. Use SaveTask for changes.
func (tx *Tx) PutTask(t *Task) error {
	if err := validateTask(t); err != nil {
		return err
	}
	if err := tx.ensurePlan(t.PlanID); err != nil {
		return err
	}
	if t.archived || tx.tx.Bucket(bktTasksArchived).Get([]byte(t.Key())) != nil {
		return Refuse(EINVALID, "e_task_archived", t.ID)
	}
	var old *Task
	if v := tx.tx.Bucket(bktTasks).Get([]byte(t.Key())); v != nil {
		var err error
		if old, err = tx.decodeTask(v); err != nil {
			// A stored record that does not decode: overwriting it would
			// leave its index entries behind.
			return err
		}
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = tx.now
	}
	if t.UpdatedAt.IsZero() {
		t.UpdatedAt = tx.now
	}
	v, err := encodeTask(t)
	if err != nil {
		return err
	}
	if err := tx.unindexTask(old); err != nil {
		return err
	}
	if err := tx.tx.Bucket(bktTasks).Put([]byte(t.Key()), v); err != nil {
		return err
	}
	return tx.indexTask(t)
}

// SaveTask stores t and appends one history entry (who, when, what changed,
// note) in the same transaction. Nothing is written when no field changed
// and note is empty.
func (tx *Tx) SaveTask(t *Task, by Actor, kind, note string) (*HistoryEntry, error) {
	old, err := tx.Task(t.Key())
	if err != nil {
		return nil, err
	}
	if err := CheckText(t.ID, FieldNote, note, MaxNoteRunes); err != nil {
		return nil, err
	}
	changes := Diff(old, t)
	if len(changes) == 0 && note == "" {
		return nil, nil
	}
	t.CreatedAt = old.CreatedAt
	t.UpdatedAt = tx.now
	if err := tx.PutTask(t); err != nil {
		return nil, err
	}
	u := &HistoryEntry{TaskID: t.ID, PlanID: t.PlanID, At: tx.now, By: by, Kind: kind, Changes: changes, Note: note}
	return u, tx.AppendHistory(u)
}

// DeleteTask removes a task and its index entries for good; its history
// stays. People remove tasks with RemoveTask, which can be undone.
func (tx *Tx) DeleteTask(ref string) error {
	old, err := tx.Task(ref)
	if err != nil {
		return err
	}
	if old.archived {
		return tx.tx.Bucket(bktTasksArchived).Delete([]byte(old.Key()))
	}
	if err := tx.unindexTask(old); err != nil {
		return err
	}
	return tx.tx.Bucket(bktTasks).Delete([]byte(old.Key()))
}

func validateTask(t *Task) error {
	switch {
	case strings.TrimSpace(t.ID) == "":
		return Refuse(EINVALID, "e_task_id_empty")
	case strings.ContainsRune(t.ID, 0) || strings.Contains(t.ID, KeySep):
		return Refuse(EINVALID, "e_task_id_bad")
	case !t.Status.Valid():
		return Refuse(EINVALID, "e_task_status_bad", t.ID, t.Status)
	case t.Progress < 0 || t.Progress > 100:
		return Refuse(EINVALID, "e_task_progress_bad", t.ID)
	}
	return ValidateTask(t)
}

func deptKey(dept, id string) []byte { return append(append([]byte(dept), 0), id...) }

func deadlineKey(t *Task) []byte { return append(u32(uint32(t.Deadline)), t.Key()...) }

// deptOpenKeys are a task's entries in the department-by-deadline index:
// one per owning department while the task is open.
func deptOpenKeys(t *Task) [][]byte {
	if !t.Open() {
		return nil
	}
	due := uint32(t.Deadline)
	if t.Deadline.IsZero() {
		due = math.MaxUint32
	}
	var out [][]byte
	for i, d := range append([]string{t.Lead}, t.CoDepts...) {
		if d == "" || (i > 0 && d == t.Lead) {
			continue
		}
		out = append(out, append(append(append([]byte(d), 0), u32(due)...), t.Key()...))
	}
	return out
}

func (tx *Tx) indexTask(t *Task) error {
	return indexEntries(t, func(bkt, k, v []byte) error { return tx.tx.Bucket(bkt).Put(k, v) })
}

// indexEntries gives put every index entry of t (bucket, key, value), so
// that a bulk import can sort them before writing (see createTasks).
func indexEntries(t *Task, put func(bkt, k, v []byte) error) error {
	for _, k := range deptOpenKeys(t) {
		if err := put(bktIdxDeptOpen, k, nil); err != nil {
			return err
		}
	}
	if t.Lead != "" {
		if err := put(bktIdxDept, deptKey(t.Lead, t.Key()), []byte("L")); err != nil {
			return err
		}
	}
	for _, d := range t.CoDepts {
		if d != t.Lead {
			if err := put(bktIdxDept, deptKey(d, t.Key()), []byte("C")); err != nil {
				return err
			}
		}
	}
	if err := scanEntries(t, put); err != nil {
		return err
	}
	if t.Open() && !t.Deadline.IsZero() {
		return put(bktIdxDeadline, deadlineKey(t), encodeSummary(t))
	}
	return nil
}

func (tx *Tx) unindexTask(t *Task) error {
	if t == nil {
		return nil
	}
	open := tx.tx.Bucket(bktIdxDeptOpen)
	for _, k := range deptOpenKeys(t) {
		if err := open.Delete(k); err != nil {
			return err
		}
	}
	idx := tx.tx.Bucket(bktIdxDept)
	for _, d := range append([]string{t.Lead}, t.CoDepts...) {
		if err := idx.Delete(deptKey(d, t.Key())); err != nil {
			return err
		}
	}
	if err := unindexScan(tx.tx, t); err != nil {
		return err
	}
	return tx.tx.Bucket(bktIdxDeadline).Delete(deadlineKey(t))
}

// Diff lists the fields that differ between a and b, formatted for people.
func Diff(a, b *Task) []Change {
	var out []Change
	add := func(field, x, y string) {
		if x != y {
			out = append(out, Change{Field: field, Old: x, New: y})
		}
	}
	add("text", a.Text, b.Text)
	add("section", a.Section, b.Section)
	add("lead", a.Lead, b.Lead)
	add("lead_suggested", strconv.FormatBool(a.LeadSuggested), strconv.FormatBool(b.LeadSuggested))
	add("co", strings.Join(a.CoDepts, "、"), strings.Join(b.CoDepts, "、"))
	add("deadline", FormatDeadline(a.Deadline, a.Cadence), FormatDeadline(b.Deadline, b.Cadence))
	add("target", FormatNumber(a.Target), FormatNumber(b.Target))
	add("unit", a.Unit, b.Unit)
	add("current", FormatNumber(a.Current), FormatNumber(b.Current))
	add("status", string(a.Status), string(b.Status))
	add("progress", strconv.Itoa(a.Progress), strconv.Itoa(b.Progress))
	add("latest", a.Latest, b.Latest)
	return out
}

// FormatNumber writes a target or count without a trailing ".0".
func FormatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// SortTasks orders tasks by plan, then by ID, numerically per dotted part
// (4.1.2 < 4.1.10).
func SortTasks(ts []*Task) {
	slices.SortStableFunc(ts, func(a, b *Task) int {
		if c := strings.Compare(a.PlanID, b.PlanID); c != 0 {
			return c
		}
		return CompareIDs(a.ID, b.ID)
	})
}

// CompareIDs compares dotted task IDs part by part, numbers as numbers
// (4.1.2 < 4.1.10), without allocating: sorting 100,000 tasks calls it often.
func CompareIDs(a, b string) int {
	for a != "" || b != "" {
		pa, ra, _ := strings.Cut(a, ".")
		pb, rb, _ := strings.Cut(b, ".")
		switch {
		case pa == pb:
		case isDigits(pa) && isDigits(pb):
			na, nb := strings.TrimLeft(pa, "0"), strings.TrimLeft(pb, "0")
			if len(na) != len(nb) {
				return len(na) - len(nb)
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
		default:
			return strings.Compare(pa, pb)
		}
		a, b = ra, rb
	}
	return len(a) - len(b)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
