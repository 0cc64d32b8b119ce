package intake

import (
	"slices"

	"github.com/duban-bureau/duban/store"
)

// KindForced is the history kind of a row applied over newer work in the
// database (a forced import); other updates by an import are "import".
const KindForced = "import_forced"

// ApplyOptions say who imports and what to do with conflicts and the
// example plan.
type ApplyOptions struct {
	By   store.Actor
	Note string // the history note of created tasks; "" means the file name
	// Force applies conflicting rows too, each with a KindForced history
	// entry. ForceOnly, when set, limits that to these task IDs (the
	// conflicts a preview showed); a conflict that arose since stays out.
	Force     bool
	ForceOnly []string
	// RemoveExample deletes the not-adopted example plan (its tasks and
	// their history) before importing: a real plan replaces the demo.
	RemoveExample bool
	// CarryOver moves the unfinished tasks of the newest active plan into
	// the new plan a document makes (Report.Carry says which).
	CarryOver bool
}

// Apply writes the import in the caller's transaction, all or nothing:
// removes the example plan when asked, adds the departments a plan
// document names, stores the plan, creates and updates the tasks (keeping
// their history), leaves conflicting rows out unless forced, and reports
// what it wrote.
func (im *Import) Apply(tx *store.Tx, opt ApplyOptions) (*Report, error) {
	var removed int
	var carry Carry
	if opt.CarryOver {
		c, err := im.carry(tx) // before the plan is stored
		if err != nil {
			return nil, err
		}
		if c.From == "" {
			return nil, store.Refuse(store.EINVALID, "e_carry_nothing")
		}
		carry = c
	}
	if opt.RemoveExample {
		id, err := ExamplePlanID(tx)
		if err != nil {
			return nil, err
		}
		if removed, err = tx.RemoveExamplePlan(id); err != nil {
			return nil, err
		}
	}
	newDepts := im.NewDepts(tx)
	for _, d := range newDepts {
		if err := tx.AddDepartment(d); err != nil {
			return nil, err
		}
	}
	if im.Plan != nil {
		if _, err := tx.AddPlan(im.Plan, im.Tasks); err != nil {
			return nil, err
		}
	}
	r, err := im.plan(tx)
	if err != nil {
		return nil, err
	}
	r.NewDepts = newDepts
	held := map[string]bool{} // conflicting rows ImportTasks must not see
	var kept []Conflict
	for _, c := range r.Conflicts {
		held[c.New.Key()] = true
		if opt.Force && (opt.ForceOnly == nil || slices.Contains(opt.ForceOnly, c.New.Key())) {
			r.Forced = append(r.Forced, c)
		} else {
			kept = append(kept, c)
		}
	}
	r.Conflicts = kept
	rows := im.Tasks
	if len(held) > 0 {
		rows = make([]*store.Task, 0, len(im.Tasks))
		for _, t := range im.Tasks {
			placed, err := tx.PlaceRow(t)
			if err != nil {
				return nil, err
			}
			if !held[placed.Key()] {
				rows = append(rows, t)
			}
		}
	}
	note := opt.Note
	if note == "" {
		note = im.Name
	}
	if _, err := tx.ImportTasks(rows, im.Fields, opt.By, note); err != nil {
		return nil, err
	}
	for _, c := range r.Forced {
		if _, err := tx.SaveTask(c.New.Clone(), opt.By, KindForced, ""); err != nil {
			return nil, err
		}
	}
	if carry.From != "" {
		moved, err := tx.CarryOver(carry.From, im.Plan.ID, opt.By)
		if err != nil {
			return nil, err
		}
		carry.Moved = len(moved)
	}
	r.Carry = carry
	if r.Example, err = im.example(tx); err != nil {
		return nil, err
	}
	r.Example.Removed = removed
	return r, nil
}
