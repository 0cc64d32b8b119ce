package listfile_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

func TestReadTable(t *testing.T) {
	rows, err := listfile.ReadTable([][]string{
		{"2021年任务分解表"},
		{"编号", "工作任务", "牵头单位", "完成时限"},
		{"1", "开展巡查", "执法局", "6月底前"},
	}, listfile.Options{Year: 2021})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Task.Lead != "执法局" || rows[0].Task.Deadline.String() != "2021-06-30" || rows[0].Line != 3 {
		t.Errorf("rows %+v", rows[0])
	}
	if _, err := listfile.ReadTable([][]string{{"编号", "工作任务", "牵头单位", "完成时限"}, {"1", "", "执法局", "明年"}}, listfile.Options{Year: 2021}); err == nil {
		t.Error("bad row: no error")
	}
}

func TestAppendSheet_ListStillReads(t *testing.T) {
	var buf bytes.Buffer
	tasks := []*store.Task{{ID: "1.1.1", Text: "开展巡查。", Lead: "执法局", Deadline: store.NewDate(2021, 12, 31), Status: store.StatusNotStarted}}
	if err := listfile.WriteXLSX(&buf, tasks); err != nil {
		t.Fatal(err)
	}
	data, err := listfile.AppendSheet(buf.Bytes(), "未拆为任务", [][]string{{"行号", "原因", "内容"}, {"3", "落款", "=某局"}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := listfile.Read(bytes.NewReader(data), listfile.XLSX, listfile.Options{Year: 2021})
	if err != nil || len(rows) != 1 || rows[0].Task.ID != "1.1.1" {
		t.Fatalf("Read after AppendSheet: %v %d rows", err, len(rows))
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("未拆为任务", "C2"); v != "=某局" {
		t.Errorf("C2 = %q, want the text as written (not a formula)", v)
	}
}
