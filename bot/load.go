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
	return LoadFileLimit(name, data, year, depts, store.MaxTasks)
}

// LoadFileLimit is LoadFile refusing more than maxTasks tasks (at most
// store.MaxTasks), as soon as the file shows that many: the chat reads
// uploads inside the transaction every user waits for.
func LoadFileLimit(name string, data []byte, year int, depts []string, maxTasks int) (*Loaded, error) {
	if maxTasks <= 0 || maxTasks > store.MaxTasks {
		maxTasks = store.MaxTasks
	}
	if len(data) > store.MaxFileBytes {
		return nil, fmt.Errorf("文件过大（超过 %d MB 的上限）", store.MaxFileBytes>>20)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".md", ".markdown", ".text":
		plan, tasks, err := seeds.Parse(data, filepath.Base(name))
		if err != nil {
			return nil, err
		}
		if err := checkPlanTasks(tasks, maxTasks); err != nil {
			return nil, err
		}
		seeds.SuggestOwners(tasks)
		return &Loaded{Kind: "plan", Plan: plan, Tasks: tasks, Fields: store.PlanFields}, nil
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
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".md", ".markdown", ".text":
		return true
	}
	_, err := listfile.FormatOf(name)
	return err == nil
}
