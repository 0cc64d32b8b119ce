// Package intake is the one import pipeline: it turns a file of any
// supported kind into a staged import, previews what importing it would do
// (every field of every task that changes, and the rows that conflict with
// newer work), and applies it in the caller's transaction. The chat (a
// document sent to the bot, its preview and buttons) and the command line
// (duban import, the plan serve loads into an empty database) both call it;
// neither reads files or writes tasks on its own.
//
// Kinds: plan documents (.txt/.md in any encoding, .docx, .doc/.wps through
// seeds.ReadPlanFile; a Word 任务分解表 becomes list rows) and
// responsibility lists (.csv/.xlsx through store/listfile).
//
// It may import seeds, store and store/listfile; never the chat, the
// schedule or Telegram. What users read comes in through Words.
package intake

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// File kinds of an Import.
const (
	KindPlan = "plan" // a plan document decomposed into tasks
	KindList = "list" // a responsibility list
)

// Import is a file read for import and not yet applied: the staged import.
// Read builds it; Preview and Apply use it in a transaction.
type Import struct {
	Name   string // the file's name as given
	Kind   string // KindPlan or KindList
	Plan   *store.Plan
	Tasks  []*store.Task
	Fields []string // the task fields the file carries (store.Field…)
	// Updated is each list row's 更新时间 by task ID: the state of the
	// database the row was exported from. Rows without one (plan
	// documents, hand-made lists) are absent and never conflict.
	Updated map[string]time.Time
	// For plan documents (seeds.ReadPlanFile): what was left out and why,
	// readings to check, and how many tasks name their owners in the text.
	Skipped []seeds.Skipped
	Notes   []string
	Named   int
	// MovedTo is the year every date was moved to (Options.Year or
	// Options.MoveTo), 0 when the dates are the file's own; MovedFrom the
	// year they were moved from (the plan's, or a list's earliest).
	MovedTo, MovedFrom int
	// Plans as entities (issue 11) add the target plan here: the plan the
	// rows go into, chosen when the import is staged.
}

// Options tune Read.
type Options struct {
	// Year is --year: a document is read as a plan of this year (letting
	// one that names no year be read) and every date is moved to it.
	Year int
	// MoveTo moves every date to this year while reading the document as
	// the year it names: the bundled 2021 example becomes this year's.
	MoveTo int
	// MaxTasks refuses a file with more tasks, as soon as it shows that
	// many (at most, and by default, store.MaxTasks): the chat reads
	// uploads inside the transaction every user waits for.
	MaxTasks int
	// Loc is the bureau's zone: list dates without a year take the plan's
	// year there, and 更新时间 cells are read in it (exports write them so).
	Loc *time.Location
}

// IsPlanFile reports whether name is a plan document rather than a list.
func IsPlanFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".md", ".markdown", ".text", ".docx", ".docm", ".doc", ".wps", ".rtf", ".odt":
		return true
	}
	return false
}

// Importable reports whether a file's name is one Read reads, so the chat
// refuses any other before downloading it.
func Importable(name string) bool {
	if IsPlanFile(name) {
		return true
	}
	_, err := listfile.FormatOf(name)
	return err == nil
}

// ListYear is the year list dates without one (6月底前) fall in: the
// newest stored plan's year, or this year in loc when there is none. A plan
// record that does not read is an error.
func ListYear(tx *store.Tx, loc *time.Location) (int, error) {
	plans, err := tx.Plans()
	if err != nil {
		return 0, err
	}
	if len(plans) > 0 && plans[len(plans)-1].Year > 0 {
		return plans[len(plans)-1].Year, nil
	}
	if loc == nil {
		loc = time.Local
	}
	return tx.Now().In(loc).Year(), nil
}

// Read reads a file for import against the database in tx (its
// departments, its department file for owner suggestions, its plan year)
// and moves the dates when asked. It writes nothing.
func Read(tx *store.Tx, name string, data []byte, opt Options) (*Import, error) {
	year, err := ListYear(tx, opt.Loc)
	if err != nil {
		return nil, err
	}
	return Load(name, data, year, tx.DepartmentNames(), tx.Setting(seeds.OwnersSetting), opt)
}

// Load is Read without a database: year is the year of list dates that
// name none, depts the known departments, owners the department file
// (seeds.OwnersSetting; "" means the bundled keyword map).
func Load(name string, data []byte, year int, depts []string, owners string, opt Options) (*Import, error) {
	maxTasks := opt.MaxTasks
	if maxTasks <= 0 || maxTasks > store.MaxTasks {
		maxTasks = store.MaxTasks
	}
	if len(data) > store.MaxFileBytes {
		return nil, fmt.Errorf("文件过大（超过%dMB的上限）", store.MaxFileBytes>>20)
	}
	var im *Import
	if IsPlanFile(name) {
		f, err := seeds.ReadPlanFile(filepath.Base(name), data, seeds.FileOptions{Year: opt.Year})
		if err != nil {
			return nil, err
		}
		if err := checkPlanTasks(f.Tasks, maxTasks); err != nil {
			return nil, err
		}
		// Keyword suggestions come from the database's own department
		// file; with only the bundled default list, a plan of another
		// organisation (its named owners all unknown here) gets none.
		if owners != "" || !seeds.ForeignPlan(f.Tasks, depts) {
			seeds.OwnersFor(owners).SuggestKnown(f.Tasks, depts)
		}
		fields := store.PlanFields
		for _, t := range f.Tasks {
			if len(t.CoDepts) > 0 {
				fields = append(append([]string(nil), store.PlanFields...), store.FieldCo)
				break
			}
		}
		im = &Import{Kind: KindPlan, Plan: f.Plan, Tasks: f.Tasks, Fields: fields, Skipped: f.Skipped, Notes: f.Notes, Named: f.Named}
	} else {
		f, err := listfile.FormatOf(name)
		if err != nil {
			return nil, err
		}
		rows, err := listfile.Read(bytes.NewReader(data), f, listfile.Options{Year: year, Departments: depts, MaxRows: maxTasks, Loc: opt.Loc})
		if err != nil {
			return nil, err
		}
		im = &Import{Kind: KindList, Tasks: make([]*store.Task, 0, len(rows))}
		for i, r := range rows {
			im.Tasks = append(im.Tasks, r.Task)
			if !r.Updated.IsZero() {
				if im.Updated == nil {
					im.Updated = map[string]time.Time{}
				}
				im.Updated[r.Task.ID] = r.Updated
			}
			if i == 0 {
				for col, ok := range r.Columns {
					if f, known := columnFields[col]; ok && known {
						im.Fields = append(im.Fields, f)
					}
				}
			}
		}
	}
	im.Name = name
	im.moveDates(opt)
	return im, nil
}

// moveDates moves every deadline to Options.Year (or MoveTo), from the
// plan's year or, for a list, the year of its earliest deadline.
func (im *Import) moveDates(opt Options) {
	to := opt.Year
	if to == 0 {
		to = opt.MoveTo
	}
	if to == 0 {
		return
	}
	from := 0
	for _, t := range im.Tasks {
		if !t.Deadline.IsZero() && (from == 0 || t.Deadline.Year() < from) {
			from = t.Deadline.Year()
		}
	}
	if im.Plan != nil && im.Plan.Year != 0 {
		from = im.Plan.Year
	}
	switch {
	case im.Plan != nil:
		store.RebasePlan(im.Plan, im.Tasks, to) // another year is another plan
	case from != 0:
		store.RebaseYear(im.Tasks, from, to)
	}
	im.MovedTo, im.MovedFrom = to, from
}

// columnFields maps list columns to the task fields an import sets.
var columnFields = map[string]string{
	listfile.ColSection: store.FieldSection, listfile.ColText: store.FieldText, listfile.ColLead: store.FieldLead,
	listfile.ColCo: store.FieldCo, listfile.ColDeadline: store.FieldDeadline, listfile.ColTarget: store.FieldTarget,
	listfile.ColUnit: store.FieldUnit, listfile.ColStatus: store.FieldStatus, listfile.ColProgress: store.FieldProgress,
	listfile.ColLatest: store.FieldLatest,
}

// checkPlanTasks puts the tasks a plan document yields through the store's
// validation layer before anything is shown or written, with the task and
// column named in Chinese (a list file's rows get the same from listfile).
func checkPlanTasks(tasks []*store.Task, maxTasks int) error {
	if len(tasks) > maxTasks {
		return fmt.Errorf("文档拆分出 %d 项任务，超出每次最多导入 %d 项的上限：请分成几个文档导入", len(tasks), maxTasks)
	}
	for _, t := range tasks {
		if fe := store.AsFieldError(store.ValidateTask(t)); fe != nil {
			return fmt.Errorf("任务 %s 的%s%s", store.Short(t.ID, 20), planField[fe.Field], listfile.Explain(fe))
		}
	}
	return nil
}

// planField names a task field in a plan document's refusal.
var planField = map[string]string{
	store.FieldID: "编号", store.FieldSection: "章节", store.FieldText: "任务文字", store.FieldLead: "牵头单位",
	store.FieldCo: "配合单位", store.FieldDeadline: "完成时限", store.FieldTarget: "目标值", store.FieldUnit: "计量单位",
	store.FieldProgress: "完成数", store.FieldLatest: "最新进展",
}

// SkippedSheet is the workbook sheet listing what a plan import left out.
const SkippedSheet = "未拆为任务"

// Workbook is the import's tasks as the responsibility-list XLSX, with a
// second sheet listing every paragraph of a plan document that gave no
// task and why, so a coordinator checks both the split and what was left
// out in Excel before confirming.
func (im *Import) Workbook() ([]byte, error) {
	var buf bytes.Buffer
	if err := listfile.WriteXLSX(&buf, im.Tasks); err != nil {
		return nil, err
	}
	if len(im.Skipped) == 0 {
		return buf.Bytes(), nil
	}
	rows := [][]string{{"行号", "原因", "内容"}}
	for _, s := range im.Skipped {
		rows = append(rows, []string{strconv.Itoa(s.Line), s.Reason, s.Text})
	}
	return listfile.AppendSheet(buf.Bytes(), SkippedSheet, rows)
}

// NewDepts lists, in order, the departments a plan document names that the
// database does not have yet; applying adds them with the document's names
// (a list must name known departments, which listfile checked).
func (im *Import) NewDepts(tx *store.Tx) []string {
	if im.Kind != KindPlan {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range im.Tasks {
		for _, d := range append([]string{t.Lead}, t.CoDepts...) {
			if d != "" && !seen[d] && !tx.HasDepartment(d) {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out
}
