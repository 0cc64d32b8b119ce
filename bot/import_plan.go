package bot

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// This file holds what a plan document's import preview adds to a list's
// (issue 10): departments the document names that the database lacks, the
// owners it names, the paragraphs it left out, and the decomposed list as
// an XLSX to check in Excel before confirming.

// newDepts lists, in order, the departments a loaded plan names that the
// database does not have yet; confirming adds them with the document's names.
func newDepts(tx *store.Tx, l *Loaded) []string {
	if l.Kind != "plan" {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range l.Tasks {
		for _, d := range append([]string{t.Lead}, t.CoDepts...) {
			if d != "" && !seen[d] && !tx.HasDepartment(d) {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// previewable returns the tasks to count in a preview: a plan's tasks with
// the not-yet-known departments left out, since PreviewImport checks
// departments and confirming will add them first.
func previewable(tx *store.Tx, l *Loaded) []*store.Task {
	if len(newDepts(tx, l)) == 0 {
		return l.Tasks
	}
	out := make([]*store.Task, len(l.Tasks))
	for i, t := range l.Tasks {
		c := t.Clone()
		if c.Lead != "" && !tx.HasDepartment(c.Lead) {
			c.Lead = ""
		}
		var co []string
		for _, d := range c.CoDepts {
			if tx.HasDepartment(d) {
				co = append(co, d)
			}
		}
		c.CoDepts = co
		out[i] = c
	}
	return out
}

// planDetails is the preview's extra paragraph for a plan document.
func (c *call) planDetails(l *Loaded) string {
	if l.Kind != "plan" || l.Plan == nil {
		return ""
	}
	suggested, none := 0, 0
	for _, t := range l.Tasks {
		switch {
		case t.Lead == "":
			none++
		case t.LeadSuggested:
			suggested++
		}
	}
	var b strings.Builder
	b.WriteString("\n" + c.Lang.T("import_plan_details", esc(l.Plan.Title), l.Plan.Year, l.Named, suggested, none, len(l.Skipped)))
	if nd := newDepts(c.tx, l); len(nd) > 0 {
		b.WriteString("\n" + c.Lang.T("import_plan_newdepts", esc(strings.Join(nd, "、"))))
	}
	const maxNotes = 5 // the workbook and a dry run have them all
	for i, n := range l.Notes {
		if i == maxNotes {
			b.WriteString("\n· …")
			break
		}
		b.WriteString("\n· " + esc(n))
	}
	return b.String()
}

// planWorkbook queues the decomposed 任务分解表 as an XLSX document, so the
// coordinator checks the split in Excel before pressing 确认导入.
func (c *call) planWorkbook(l *Loaded) error {
	if l.Kind != "plan" {
		return nil
	}
	data, err := PlanWorkbook(l)
	if err != nil {
		return fmt.Errorf("plan preview workbook: %w", err)
	}
	m := c.reply(c.Lang.T("import_plan_xlsx", len(l.Tasks)))
	m.Document = &store.Document{Name: "任务分解表-预览-" + c.now.Format("20060102") + ".xlsx", Data: data}
	return nil
}

// SkippedSheet is the workbook sheet listing what a plan import left out.
const SkippedSheet = "未拆为任务"

// PlanWorkbook is a loaded plan as the responsibility-list XLSX, with a
// second sheet listing every paragraph that gave no task and why, so the
// coordinator checks both the split and what was left out.
func PlanWorkbook(l *Loaded) ([]byte, error) {
	var buf bytes.Buffer
	if err := listfile.WriteXLSX(&buf, l.Tasks); err != nil {
		return nil, err
	}
	if len(l.Skipped) == 0 {
		return buf.Bytes(), nil
	}
	rows := [][]string{{"行号", "原因", "内容"}}
	for _, s := range l.Skipped {
		rows = append(rows, []string{strconv.Itoa(s.Line), s.Reason, s.Text})
	}
	return listfile.AppendSheet(buf.Bytes(), SkippedSheet, rows)
}
