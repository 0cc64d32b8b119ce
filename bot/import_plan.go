package bot

import (
	"fmt"
	"strings"

	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
)

// This file holds what a plan document's import preview adds to a list's
// (issue 10): departments the document names that the database lacks, the
// owners it names, the paragraphs it left out, and the decomposed list as
// an XLSX to check in Excel before confirming.

// planDetails is the preview's extra paragraph for a plan document.
func (c *call) planDetails(im *intake.Import, p *intake.Report) string {
	if im.Kind != intake.KindPlan || im.Plan == nil {
		return ""
	}
	suggested, none := 0, 0
	for _, t := range im.Tasks {
		switch {
		case t.Lead == "":
			none++
		case t.LeadSuggested:
			suggested++
		}
	}
	var b strings.Builder
	b.WriteString("\n" + c.Lang.T("import_plan_details", esc(im.Plan.Title), im.Plan.Year, im.Named, suggested, none, len(im.Skipped)))
	if len(p.NewDepts) > 0 {
		b.WriteString("\n" + c.Lang.T("import_plan_newdepts", esc(strings.Join(p.NewDepts, "、"))))
	}
	const maxNotes = 5 // the workbook and a dry run have them all
	for i, n := range im.Notes {
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
func (c *call) planWorkbook(im *intake.Import) error {
	if im.Kind != intake.KindPlan {
		return nil
	}
	data, err := im.Workbook()
	if err != nil {
		return fmt.Errorf("plan preview workbook: %w", err)
	}
	m := c.reply(c.Lang.T("import_plan_xlsx", len(im.Tasks)))
	m.Document = &store.Document{Name: "任务分解表-预览-" + c.now.Format("20060102") + ".xlsx", Data: data}
	return nil
}
