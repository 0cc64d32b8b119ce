package bot

import (
	"bytes"
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
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".md", ".markdown", ".text":
		plan, tasks, err := seeds.Parse(data, filepath.Base(name))
		if err != nil {
			return nil, err
		}
		seeds.SuggestOwners(tasks)
		return &Loaded{Kind: "plan", Plan: plan, Tasks: tasks, Fields: store.PlanFields}, nil
	}
	f, err := listfile.FormatOf(name)
	if err != nil {
		return nil, err
	}
	rows, err := listfile.Read(bytes.NewReader(data), f, listfile.Options{Year: year, Departments: depts})
	if err != nil {
		return nil, err
	}
	l := &Loaded{Kind: "list"}
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
