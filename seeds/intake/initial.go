package intake

import (
	"fmt"
	"os"
	"time"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

// Initial is what LoadInitial did to a database.
type Initial struct {
	Loaded   bool   // a plan was loaded (the database had no tasks)
	Example  bool   // it is the bundled example, dates moved to this year
	Title    string // the plan's title, or the file name
	Tasks    int    // tasks created
	FromYear int    // the plan's own year (0: unknown)
	ToYear   int    // the year its dates were moved to (0: not moved)
}

// LoadInitial fills a database that has no tasks, as serve and shell do
// on their first start: plan is "bundled" (or "": the bundled example with
// its dates moved to this year, marked as an example whose reminders go
// only to the admins), a plan file's path, or "none". The departments are
// seeded in any case; a database with tasks is left alone.
func LoadInitial(tx *store.Tx, plan string, this int, loc *time.Location, by store.Actor) (Initial, error) {
	var r Initial
	if err := SeedDepartments(tx); err != nil {
		return r, err
	}
	if tx.HasTasks() || plan == "none" {
		return r, nil
	}
	file, data := seeds.BundledName, seeds.Bundled()
	if plan != "bundled" && plan != "" {
		b, err := os.ReadFile(plan)
		if err != nil {
			return r, fmt.Errorf("--plan: %w", err)
		}
		file, data = plan, b
	} else {
		r.Example, r.ToYear = true, this
	}
	l, err := Read(tx, file, data, Options{MoveTo: r.ToYear, Loc: loc})
	if err != nil {
		return r, fmt.Errorf("--plan %s: %w", file, err)
	}
	if l.Plan != nil {
		l.Plan.Example = r.Example // marked: its reminders go to the admins only
	}
	if l.Plan != nil {
		r.FromYear, r.Title = l.Plan.Year, l.Plan.Title
		if l.MovedTo != 0 {
			r.FromYear = l.MovedFrom
		}
	} else {
		r.Title = file
	}
	res, err := l.Apply(tx, ApplyOptions{By: by, Note: file})
	if err != nil {
		return r, err
	}
	r.Loaded, r.Tasks = true, len(res.Created)
	if r.Example {
		err = tx.SetSetting(store.ExamplePlanSetting, store.ExamplePlanLoaded)
	}
	return r, err
}

// SeedDepartments fills an empty department list from the bundled one.
func SeedDepartments(tx *store.Tx) error {
	if len(tx.DepartmentNames()) > 0 {
		return nil
	}
	for _, d := range seeds.Departments() {
		if err := tx.AddDepartment(d); err != nil {
			return err
		}
	}
	return nil
}
