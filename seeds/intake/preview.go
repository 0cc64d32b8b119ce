package intake

import (
	"slices"
	"time"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

// Report is what an import would do (Preview) or did (Apply), task by task.
type Report struct {
	Rows      int
	Created   []*store.Task
	Updated   []Change // applied (or to apply) field by field
	Unchanged int
	// Conflicts are rows edited from an export older than the task's last
	// change, differing in a field changed since: not applied unless
	// forced. Forced are the ones Apply applied anyway.
	Conflicts []Conflict
	Forced    []Conflict
	NewDepts  []string // departments a plan document adds
	Example   Example
	Carry     Carry
}

// Carry is what carrying over would move: a plan document that makes a
// new plan can take the unfinished tasks of the newest active plan with
// it (结转: they keep their history).
type Carry struct {
	From  string // the plan whose unfinished tasks would move ("" = nothing to carry)
	Open  int    // how many
	Moved int    // how many Apply moved
}

// Change is one task an import changes: before, after, and the fields.
type Change struct {
	Old, New *store.Task
	Changes  []store.Change // Old is the database's value, New the file's
}

// Conflict is a row the database has newer work for.
type Conflict struct {
	Change
	Updated time.Time // the row's 更新时间
	Fields  []FieldConflict
}

// FieldConflict is one field of a conflict: the file's value, the
// database's, and the newest change that set the database's.
type FieldConflict struct {
	Field    string // a store.Diff field name
	File, DB string // Diff-formatted values
	At       time.Time
	By       store.Actor
}

// Example is the bundled example plan beside the import.
type Example struct {
	Loaded  bool   // the database holds the not-adopted example plan
	PlanID  string // its plan
	Tasks   int    // how many of its tasks are left
	Offer   bool   // the import is a real plan: offer to remove the example with it
	Removed int    // Apply removed this many example tasks
}

// Preview says what Apply would do, writing nothing: the chat's preview.
func (im *Import) Preview(tx *store.Tx) (*Report, error) {
	r, err := im.plan(tx)
	if err != nil {
		return nil, err
	}
	r.NewDepts = im.NewDepts(tx)
	if r.Carry, err = im.carry(tx); err != nil {
		return nil, err
	}
	r.Example, err = im.example(tx)
	return r, err
}

// carry finds what a new plan could carry over: the unfinished tasks of
// the newest active plan (not the example, not this plan itself).
func (im *Import) carry(tx *store.Tx) (Carry, error) {
	if im.Plan == nil {
		return Carry{}, nil
	}
	if stored, err := tx.StoredPlan(im.Plan); err != nil || stored != nil {
		return Carry{}, err
	}
	plans, err := tx.ActivePlans()
	if err != nil {
		return Carry{}, err
	}
	example, err := ExamplePlanID(tx)
	if err != nil {
		return Carry{}, err
	}
	for i := len(plans) - 1; i >= 0; i-- {
		p := plans[i]
		if p.ID == example {
			continue // a demonstration is not carried into a real plan
		}
		tasks, err := tx.PlanTasks(p.ID)
		if err != nil {
			return Carry{}, err
		}
		c := Carry{From: p.ID}
		for _, t := range tasks {
			if t.Open() {
				c.Open++
			}
		}
		if c.Open == 0 {
			return Carry{}, nil
		}
		return c, nil
	}
	return Carry{}, nil
}

// ConflictIDs are the task keys of the report's conflicts, the ones a
// preview showed (a forced confirmation applies only those).
func (r *Report) ConflictIDs() []string {
	var out []string
	for _, c := range r.Conflicts {
		out = append(out, c.New.Key())
	}
	return out
}

// plan sorts every row into created, updated, unchanged or conflict.
func (im *Import) plan(tx *store.Tx) (*Report, error) {
	r := &Report{Rows: len(im.Tasks)}
	for _, t := range im.Tasks {
		placed, err := tx.PlaceRow(t)
		if err != nil {
			return nil, err
		}
		old, err := tx.TaskAt(placed.Key())
		switch {
		case store.ErrorCode(err) == store.ENOTFOUND:
			r.Created = append(r.Created, t)
			continue
		case err != nil:
			return nil, err
		}
		n := store.Merged(old, t, im.Fields)
		ch := Change{Old: old, New: n, Changes: store.Diff(old, n)}
		if len(ch.Changes) == 0 {
			r.Unchanged++
			continue
		}
		if at, ok := im.Updated[t.ID]; ok {
			fields, err := conflicts(tx, old, ch.Changes, at)
			if err != nil {
				return nil, err
			}
			if len(fields) > 0 {
				r.Conflicts = append(r.Conflicts, Conflict{Change: ch, Updated: at, Fields: fields})
				continue
			}
		}
		r.Updated = append(r.Updated, ch)
	}
	return r, nil
}

// conflicts returns the fields of a row stamped at (its 更新时间) that
// would undo a change made in the database after the export it came from.
// Exports write minutes, so a change within the stamp's minute may or may
// not be in the file: it counts when the file still shows the value that
// change replaced (an older export), and a change in a later minute counts
// whenever the file differs.
func conflicts(tx *store.Tx, old *store.Task, changes []store.Change, at time.Time) ([]FieldConflict, error) {
	if old.UpdatedAt.Before(at) {
		return nil, nil // nothing changed since the export
	}
	hist, err := tx.History(old.Key())
	if err != nil {
		return nil, err
	}
	minute := at.Add(time.Minute)
	var out []FieldConflict
	for _, c := range changes {
		field := base(c.Field)
		var hit *store.HistoryEntry
		for i := len(hist) - 1; i >= 0 && hit == nil; i-- {
			u := &hist[i]
			if u.At.Before(at) {
				break
			}
			for _, hc := range u.Changes {
				if base(hc.Field) != field {
					continue
				}
				if !u.At.Before(minute) || (hc.Field == c.Field && hc.Old == c.New) {
					hit = u
					break
				}
			}
		}
		if hit != nil {
			out = append(out, FieldConflict{Field: c.Field, File: c.New, DB: c.Old, At: hit.At, By: hit.By})
		}
	}
	return out, nil
}

// base folds the fields a history entry writes together with the field
// the user sees (a confirmed owner is the lead's).
func base(field string) string {
	if field == "lead_suggested" {
		return "lead"
	}
	return field
}

// example reports the not-adopted example plan and whether this import is
// a real plan to offer its removal with: not the example document itself,
// nor a list whose every row is an example task (an edited export of it).
func (im *Import) example(tx *store.Tx) (Example, error) {
	var e Example
	if !tx.IsExamplePlan() {
		return e, nil
	}
	e.Loaded = true
	id, err := ExamplePlanID(tx)
	if err != nil || id == "" {
		return e, err
	}
	e.PlanID = id
	tasks, err := tx.Tasks()
	if err != nil {
		return e, err
	}
	var ids []string
	for _, t := range tasks {
		if t.PlanID == id {
			ids = append(ids, t.ID)
		}
	}
	e.Tasks = len(ids)
	switch {
	case e.Tasks == 0:
	case im.Plan != nil:
		e.Offer = im.Plan.ID != id
	default:
		slices.Sort(ids)
		for _, t := range im.Tasks {
			if _, ok := slices.BinarySearch(ids, t.ID); !ok {
				e.Offer = true
				break
			}
		}
	}
	return e, nil
}

// ExamplePlanID is the plan ID of the not-adopted example plan ("" when
// the database holds none): the stored plan read from the bundled file.
func ExamplePlanID(tx *store.Tx) (string, error) {
	if !tx.IsExamplePlan() {
		return "", nil
	}
	plans, err := tx.Plans()
	if err != nil {
		return "", err
	}
	for _, p := range plans {
		if p.Example || p.Source == seeds.BundledName { // marked since schema 7
			return p.ID, nil
		}
	}
	return "", nil
}
