package bot_test

import (
	"testing"

	"github.com/duban-bureau/duban/seeds/docx/docxtest"
)

// A coordinator sends another bureau's plan as a Word file: the bot answers
// with the decomposed 任务分解表 as an XLSX and a preview naming what the
// text says (owners, new departments, skipped paragraphs); confirming
// imports the tasks with the document's own owners, confirmed.
func TestChat_ImportWordPlan(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	d := &docxtest.Doc{}
	d.P("2022年某市营商环境工作要点", 3)
	d.NumP(1, 0, "重点任务", 0)
	d.NumP(1, 1, "优化服务。压减审批时限。推行一网通办（市政务服务中心牵头，市数据局参与）。", 4)
	d.P("某市人民政府办公室", 0)
	d.P("2022年2月1日", 0)
	ms := h.sendDoc(coordU, "要点.docx", d.Bytes())
	if len(ms) != 2 {
		t.Fatalf("document answered %d messages, want the XLSX and the preview", len(ms))
	}
	if ms[0].Document == nil || ms[0].Document.FileName == "" {
		t.Fatalf("first answer is not the XLSX document: %+v", ms[0])
	}
	mustContain(t, "xlsx caption", ms[0].Caption, "任务分解表预览", "2项")
	mustContain(t, "preview", ms[1].Text, "导入预览", "要点.docx", "共2项：新增2", "2022年", "1项的牵头单位由文中写明", "市政务服务中心、市数据局", "2段未拆为任务")
	if toast := h.press(coordU, ms[1].ID, button(t, ms[1], "确认导入")); toast != "已导入" {
		t.Fatalf("confirm toast = %q", toast)
	}
	task := h.task("1.1.2")
	if task.Lead != "市政务服务中心" || task.LeadSuggested || len(task.CoDepts) != 1 || task.CoDepts[0] != "市数据局" {
		t.Errorf("1.1.2 after import: lead %q suggested %v co %v", task.Lead, task.LeadSuggested, task.CoDepts)
	}
	if task.Deadline.String() != "2022-12-31" {
		t.Errorf("1.1.2 deadline %s", task.Deadline)
	}
}

// A 任务分解表 in a Word table imports like a list: one task per row, the
// table's own owners confirmed and added as departments.
func TestChat_ImportWordTaskTable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	d := &docxtest.Doc{}
	d.P("2023年某区重点工作任务分解表", 2)
	d.Table([][]docxtest.Cell{
		{{Text: "序号"}, {Text: "工作任务"}, {Text: "牵头单位"}, {Text: "责任单位"}, {Text: "完成时限"}},
		{{Text: "1"}, {Text: "新建幼儿园5所"}, {Text: "区教育局", Merge: "restart"}, {Text: "区财政局"}, {Text: "2023年9月底前"}},
		{{Text: "2"}, {Text: "培训教师300名"}, {Merge: "continue"}, {Text: ""}, {Text: "年底前"}},
	})
	ms := h.sendDoc(coordU, "分解表.docx", d.Bytes())
	if len(ms) != 2 {
		t.Fatalf("document answered %d messages, want the XLSX and the preview", len(ms))
	}
	mustContain(t, "preview", ms[1].Text, "共2项：新增2", "区教育局、区财政局")
	if toast := h.press(coordU, ms[1].ID, button(t, ms[1], "确认导入")); toast != "已导入" {
		t.Fatalf("confirm toast = %q", toast)
	}
	task := h.task("1")
	if task.Lead != "区教育局" || task.LeadSuggested || len(task.CoDepts) != 1 || task.Deadline.String() != "2023-09-30" || task.Target != 5 {
		t.Errorf("task 1: %+v", task)
	}
	if t2 := h.task("2"); t2.Lead != "区教育局" || t2.Deadline.String() != "2023-12-31" || t2.Target != 300 {
		t.Errorf("task 2: %+v", t2)
	}
}
