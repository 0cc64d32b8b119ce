package bot

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// Loaded is a file read for import: a plan document (tasks with suggested
// owners) or a responsibility list, with the fields it may set.
type Loaded struct {
	Kind   string // "plan" or "list"
	Plan   *store.Plan
	Tasks  []*store.Task
	Fields []string
	// For plan documents (seeds.ReadPlanFile): what was left out and why,
	// readings to check, and how many tasks name their owners in the text.
	Skipped []seeds.Skipped
	Notes   []string
	Named   int
}

// LoadOptions tune LoadFileWith.
type LoadOptions struct {
	// PlanYear is --year: the plan year of a document, overriding the year
	// it names (and letting one that names none be read).
	PlanYear int
	// Owners is the database's department file (seeds.OwnersSetting); ""
	// means the bundled keyword map.
	Owners string
	// MaxTasks refuses a file with more tasks, as soon as it shows that
	// many (at most, and by default, store.MaxTasks): the chat reads uploads
	// inside the transaction every user waits for.
	MaxTasks int
}

// isPlanFile reports whether name is a plan document rather than a list.
func isPlanFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".md", ".markdown", ".text", ".docx", ".docm", ".doc", ".wps", ".rtf", ".odt":
		return true
	}
	return false
}

// columnFields maps list columns to the task fields an import sets.
var columnFields = map[string]string{
	listfile.ColSection: store.FieldSection, listfile.ColText: store.FieldText, listfile.ColLead: store.FieldLead,
	listfile.ColCo: store.FieldCo, listfile.ColDeadline: store.FieldDeadline, listfile.ColTarget: store.FieldTarget,
	listfile.ColUnit: store.FieldUnit, listfile.ColStatus: store.FieldStatus, listfile.ColProgress: store.FieldProgress,
	listfile.ColLatest: store.FieldLatest,
}

// LoadFile reads a plan document (.txt, .md) or a list (.csv, .xlsx).
// year is the plan year for list dates without one; depts are the known
// departments. Nothing is written: the caller imports in one transaction.
func LoadFile(name string, data []byte, year int, depts []string) (*Loaded, error) {
	return LoadFileWith(name, data, year, depts, LoadOptions{})
}

// LoadFileWith is LoadFile for plan documents of any kind seeds.ReadPlanFile
// reads (.txt/.md in any encoding, .docx, .doc/.wps): owners the text names
// are confirmed, the others are suggested from opt.Owners limited to depts.
func LoadFileWith(name string, data []byte, year int, depts []string, opt LoadOptions) (*Loaded, error) {
	maxTasks := opt.MaxTasks
	if maxTasks <= 0 || maxTasks > store.MaxTasks {
		maxTasks = store.MaxTasks
	}
	if len(data) > store.MaxFileBytes {
		return nil, fmt.Errorf("文件过大（超过%dMB的上限）", store.MaxFileBytes>>20)
	}
	if isPlanFile(name) {
		f, err := seeds.ReadPlanFile(filepath.Base(name), data, seeds.FileOptions{Year: opt.PlanYear})
		if err != nil {
			return nil, err
		}
		if err := checkPlanTasks(f.Tasks, maxTasks); err != nil {
			return nil, err
		}
		// Keyword suggestions come from the database's own department
		// file; with only the bundled default list, a plan of another
		// organisation (its named owners all unknown here) gets none.
		if opt.Owners != "" || !seeds.ForeignPlan(f.Tasks, depts) {
			seeds.OwnersFor(opt.Owners).SuggestKnown(f.Tasks, depts)
		}
		fields := store.PlanFields
		for _, t := range f.Tasks {
			if len(t.CoDepts) > 0 {
				fields = append(append([]string(nil), store.PlanFields...), store.FieldCo)
				break
			}
		}
		return &Loaded{Kind: "plan", Plan: f.Plan, Tasks: f.Tasks, Fields: fields, Skipped: f.Skipped, Notes: f.Notes, Named: f.Named}, nil
	}
	f, err := listfile.FormatOf(name)
	if err != nil {
		return nil, err
	}
	rows, err := listfile.Read(bytes.NewReader(data), f, listfile.Options{Year: year, Departments: depts, MaxRows: maxTasks})
	if err != nil {
		return nil, err
	}
	l := &Loaded{Kind: "list", Tasks: make([]*store.Task, 0, len(rows))}
	for i, r := range rows {
		l.Tasks = append(l.Tasks, r.Task)
		if i == 0 {
			for col, ok := range r.Columns {
				if f, known := columnFields[col]; ok && known {
					l.Fields = append(l.Fields, f)
				}
			}
		}
	}
	return l, nil
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

// Importable reports whether a document's name is one LoadFile reads, so
// the chat refuses any other before downloading it.
func Importable(name string) bool {
	if isPlanFile(name) {
		return true
	}
	_, err := listfile.FormatOf(name)
	return err == nil
}
