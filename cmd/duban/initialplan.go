package main

import (
	"fmt"
	"os"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
)

// nowFunc is the time every command reads "today" from; the README test
// fixes it so the README's outputs are reproducible.
var nowFunc = time.Now

// initialPlan is what loadInitialPlan did to a database.
type initialPlan struct {
	Loaded   bool   // a plan was loaded (the database had no tasks)
	Example  bool   // it is the bundled example, dates moved to this year
	Title    string // the plan's title, or the file name
	Tasks    int    // tasks created
	FromYear int    // the plan's own year (0: unknown)
	ToYear   int    // the year its dates were moved to (0: not moved)
}

// loadInitialPlan fills a database that has no tasks, as serve and shell do
// on their first start: plan is "bundled" (or "": the bundled example with
// its dates moved to this year), a plan file's path, or "none". The
// departments are seeded in any case; a database with tasks is left alone.
func loadInitialPlan(tx *store.Tx, plan string, loc *time.Location, via, name string) (initialPlan, error) {
	var r initialPlan
	if err := seedDepartments(tx); err != nil {
		return r, err
	}
	if tx.HasTasks() || plan == "none" {
		return r, nil
	}
	this := nowFunc().In(loc).Year()
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
	l, err := intake.Read(tx, file, data, intake.Options{MoveTo: r.ToYear, Loc: loc})
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
	res, err := l.Apply(tx, intake.ApplyOptions{By: store.Actor{Via: via, Name: name}, Note: file})
	if err != nil {
		return r, err
	}
	r.Loaded, r.Tasks = true, len(res.Created)
	if r.Example {
		err = tx.SetSetting(store.ExamplePlanSetting, store.ExamplePlanLoaded)
	}
	return r, err
}

// policyHelp describes --policy from the default policy itself, so the help
// never disagrees with the code.
func policyHelp() string {
	p := schedule.DefaultPolicy()
	return fmt.Sprintf("提醒策略 JSON 文件；默认每个工作日 %02d:%02d 提醒，到期前 %v 天、逾期后 %v 天及此后每 %d 天；字段见 README“配置 / Configuration”，duban reminders --policy FILE 可预览 / reminder policy file (DUBAN_POLICY)",
		p.At.Hour, p.At.Minute, p.Before, p.Overdue, p.OverdueEvery)
}
