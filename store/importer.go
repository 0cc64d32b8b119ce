package store

import (
	"bytes"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Import fields: the columns of a responsibility list that an import may
// carry. A list file that lacks a column leaves that field of existing
// tasks alone.
const (
	FieldSection  = "section"
	FieldText     = "text"
	FieldLead     = "lead"
	FieldCo       = "co"
	FieldDeadline = "deadline"
	FieldTarget   = "target"
	FieldUnit     = "unit"
	FieldStatus   = "status"
	FieldProgress = "progress"
	FieldLatest   = "latest"
)

// PlanFields are what a plan document sets: its structure, not its progress.
var PlanFields = []string{FieldSection, FieldText, FieldLead, FieldDeadline, FieldTarget, FieldUnit}

// ImportResult counts what an import did (the edge words it: catalogue
// entry import_result, or the chat's import_preview and import_done).
type ImportResult struct {
	Created, Updated, Unchanged int
}

// ImportTasks creates or updates tasks by ID in this one transaction: new
// tasks get a "create" history entry, existing ones get the given fields
// copied over with an "import" entry listing what changed, so re-importing
// keeps every task's history. A suggested lead never overwrites a confirmed
// one. Departments named by the tasks must exist.
func (tx *Tx) ImportTasks(tasks []*Task, fields []string, by Actor, note string) (ImportResult, error) {
	return tx.importTasks(tasks, fields, by, note, true)
}

func (tx *Tx) importTasks(tasks []*Task, fields []string, by Actor, note string, write bool) (ImportResult, error) {
	var res ImportResult
	if len(tasks) > MaxTasks {
		return res, &FieldError{Field: FieldID, Problem: ProblemTooMany, Limit: MaxTasks}
	}
	set := map[string]bool{}
	for _, f := range fields {
		set[f] = true
	}
	placed := make([]*Task, 0, len(tasks))
	for _, t := range tasks {
		n, err := tx.placeRow(t, tx.importInto)
		if err != nil {
			return res, err
		}
		if tx.isRemoved(n.Key()) {
			res.Unchanged++ // removed on purpose: an old file does not bring it back
			continue
		}
		placed = append(placed, n)
	}
	tasks = placed
	// Work in ID order: bbolt inserts keys in order at the cost of an
	// append, and in random order at the cost of moving the rest of the
	// page's keys, which made 100,000 rows take 48 s.
	order := slices.Clone(tasks)
	slices.SortFunc(order, compareKeys) // key order, without building the keys
	var fresh []*Task
	for i, t := range order {
		if i > 0 && order[i-1].Key() == t.Key() {
			return res, Refuse(EINVALID, "e_import_dup_id", t.ID)
		}
		if err := tx.interrupted(i); err != nil {
			return res, err
		}
		for _, d := range append([]string{t.Lead}, t.CoDepts...) {
			if d != "" && !tx.HasDepartment(d) {
				return res, Refuse(EINVALID, "e_import_unknown_dept", t.ID, d)
			}
		}
		old, err := tx.taskByKey(t.Key())
		switch {
		case ErrorCode(err) == ENOTFOUND:
			if !write { // createTasks validates what it writes
				if err := ValidateTask(t); err != nil {
					return res, err
				}
			}
			res.Created++
			fresh = append(fresh, t)
			continue
		case err != nil:
			return res, err
		}
		n := old.Clone()
		mergeFields(n, t, set)
		if !write {
			if len(Diff(old, n)) > 0 {
				res.Updated++
			} else {
				res.Unchanged++
			}
			continue
		}
		u, err := tx.SaveTask(n, by, "import", "")
		if err != nil {
			return res, Wrap(err, ErrorCode(err), "e_task_ctx", t.ID)
		}
		if u == nil {
			res.Unchanged++
		} else {
			res.Updated++
		}
	}
	if !write {
		return res, nil
	}
	return res, tx.createTasks(fresh, by, note)
}

// entry is one key to write in a bucket.
type entry struct{ bkt, k, v []byte }

// createTasks writes new tasks (in ID order) with their "create" history
// entries. Every key of every bucket is gathered first and written in
// key order, bucket by bucket, so the cost per task stays constant however
// many tasks one transaction creates.
func (tx *Tx) createTasks(ts []*Task, by Actor, note string) error {
	puts := make([]entry, 0, 8*len(ts))
	put := func(bkt, k, v []byte) error { puts = append(puts, entry{bkt, k, v}); return nil }
	for i, t := range ts {
		if err := tx.interrupted(i); err != nil {
			return err
		}
		n := t.Clone()
		if n.Status == "" {
			n.Status = StatusNotStarted
		}
		n.CreatedAt, n.UpdatedAt = tx.now, tx.now
		if err := tx.ensurePlan(n.PlanID); err != nil {
			return err
		}
		if err := validateTask(n); err != nil {
			return err
		}
		v, err := encodeTask(n)
		if err != nil {
			return err
		}
		put(bktTasks, []byte(n.Key()), v)
		if err := indexEntries(n, put); err != nil {
			return err
		}
		if err := tx.appendHistory(&HistoryEntry{TaskID: n.ID, PlanID: n.PlanID, By: by, Kind: "create", Note: note}, put); err != nil {
			return err
		}
	}
	return putSorted(tx.tx, puts, tx.interrupted)
}

// putSorted writes entries bucket by bucket in key order: bbolt appends a
// key in order cheaply and moves half a page for one out of order, which
// made 100,000 rows take 48 s.
func putSorted(btx *bolt.Tx, puts []entry, interrupted func(int) error) error {
	slices.SortFunc(puts, func(a, b entry) int {
		if c := bytes.Compare(a.bkt, b.bkt); c != 0 {
			return c
		}
		return bytes.Compare(a.k, b.k)
	})
	var b *bolt.Bucket
	for i, e := range puts {
		if i == 0 || !bytes.Equal(e.bkt, puts[i-1].bkt) {
			b = btx.Bucket(e.bkt)
		}
		if interrupted != nil {
			if err := interrupted(i); err != nil {
				return err
			}
		}
		if err := b.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

func mergeFields(n, t *Task, set map[string]bool) {
	if set[FieldSection] {
		n.Section = t.Section
	}
	if set[FieldText] {
		n.Text = t.Text
	}
	if set[FieldLead] && !(t.LeadSuggested && !n.LeadSuggested && n.Lead != "") {
		n.Lead, n.LeadSuggested = t.Lead, t.LeadSuggested
	}
	if set[FieldCo] {
		n.CoDepts = append([]string(nil), t.CoDepts...)
	}
	if set[FieldDeadline] {
		n.Deadline, n.Cadence = t.Deadline, t.Cadence
	}
	if set[FieldTarget] {
		n.Target = t.Target
	}
	if set[FieldUnit] {
		n.Unit = t.Unit
	}
	if set[FieldStatus] && t.Status != "" {
		n.Status = t.Status
	}
	if set[FieldProgress] {
		n.Progress = t.Progress
	}
	if set[FieldLatest] {
		n.Latest = t.Latest
	}
}

// RebaseYear moves every deadline by (to - from) years, keeping month and
// day: the bundled 2021 plan becomes a live example for this year.
func RebaseYear(tasks []*Task, from, to int) {
	for _, t := range tasks {
		if !t.Deadline.IsZero() {
			t.Deadline = t.Deadline.WithYear(t.Deadline.Year() + to - from)
		}
	}
}

// compareKeys orders tasks as their keys (plan/ID) sort in bbolt, without
// building them: a sort of 100,000 rows compares them often.
func compareKeys(a, b *Task) int {
	switch {
	case a.PlanID == b.PlanID:
		return strings.Compare(a.ID, b.ID)
	case a.PlanID == "":
		return strings.Compare(a.ID, b.PlanID+KeySep) // a bare key against plan/…
	case b.PlanID == "":
		return -compareKeys(b, a)
	}
	if c := strings.Compare(a.PlanID, b.PlanID); c != 0 {
		// keys differ where the plans differ, unless one plan is a prefix
		// of the other: then the separator decides against the longer one
		short, long := a.PlanID, b.PlanID
		sign := 1
		if len(short) > len(long) {
			short, long, sign = long, short, -1
		}
		if strings.HasPrefix(long, short) {
			return sign * strings.Compare(KeySep, long[len(short):len(short)+1])
		}
		return c
	}
	return 0
}
