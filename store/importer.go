package store

import "fmt"

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

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// String summarises the result in Chinese.
func (r ImportResult) String() string {
	return fmt.Sprintf("新增 %d 项，更新 %d 项，未变 %d 项", r.Created, r.Updated, r.Unchanged)
}

// ImportTasks creates or updates tasks by ID in this one transaction: new
// tasks get a "create" history entry, existing ones get the given fields
// copied over with an "import" entry listing what changed, so re-importing
// keeps every task's history. A suggested lead never overwrites a confirmed
// one. Departments named by the tasks must exist.
func (tx *Tx) ImportTasks(tasks []*Task, fields []string, by Actor, note string) (ImportResult, error) {
	return tx.importTasks(tasks, fields, by, note, true)
}

// PreviewImport says what ImportTasks would do, writing nothing: the
// dry-run summary shown before a chat import is confirmed.
func (tx *Tx) PreviewImport(tasks []*Task, fields []string) (ImportResult, error) {
	return tx.importTasks(tasks, fields, Actor{}, "", false)
}

func (tx *Tx) importTasks(tasks []*Task, fields []string, by Actor, note string, write bool) (ImportResult, error) {
	var res ImportResult
	set := map[string]bool{}
	for _, f := range fields {
		set[f] = true
	}
	seen := map[string]bool{}
	for _, t := range tasks {
		if seen[t.ID] {
			return res, Errorf(EINVALID, "编号 %s 重复", t.ID)
		}
		seen[t.ID] = true
		for _, d := range append([]string{t.Lead}, t.CoDepts...) {
			if d != "" && !tx.HasDepartment(d) {
				return res, Errorf(EINVALID, "任务 %s: 未知单位“%s”", t.ID, d)
			}
		}
		old, err := tx.Task(t.ID)
		if !write {
			switch {
			case ErrorCode(err) == ENOTFOUND:
				res.Created++
			case err != nil:
				return res, err
			default:
				n := old.Clone()
				mergeFields(n, t, set)
				if len(Diff(old, n)) > 0 {
					res.Updated++
				} else {
					res.Unchanged++
				}
			}
			continue
		}
		if ErrorCode(err) == ENOTFOUND {
			n := t.Clone()
			if n.Status == "" {
				n.Status = StatusNotStarted
			}
			n.CreatedAt, n.UpdatedAt = tx.now, tx.now
			if err := tx.PutTask(n); err != nil {
				return res, fmt.Errorf("任务 %s: %w", t.ID, err)
			}
			if err := tx.AppendHistory(&Update{TaskID: n.ID, By: by, Kind: "create", Note: note}); err != nil {
				return res, err
			}
			res.Created++
			continue
		}
		if err != nil {
			return res, err
		}
		n := old.Clone()
		mergeFields(n, t, set)
		u, err := tx.SaveTask(n, by, "import", "")
		if err != nil {
			return res, fmt.Errorf("任务 %s: %w", t.ID, err)
		}
		if u == nil {
			res.Unchanged++
		} else {
			res.Updated++
		}
	}
	return res, nil
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
