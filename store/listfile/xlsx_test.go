package listfile_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
	"github.com/xuri/excelize/v2"
)

// TestRead_TruncatedXLSX cuts a workbook at many points: every cut must give
// an error, never a panic or a silently shorter list.
func TestRead_TruncatedXLSX(t *testing.T) {
	full := write(t, listfile.XLSX, genTasks(newRand(), 50))
	for i := 1; i < 40; i++ {
		cut := full[:len(full)*i/40]
		if _, err := listfile.Read(bytes.NewReader(cut), listfile.XLSX, opts); err == nil {
			t.Errorf("cut at %d/%d bytes: got no error", len(cut), len(full))
		}
	}
}

func TestRead_XLSX(t *testing.T) {
	data := xlsxBytes(t, func(f *excelize.File) {
		setRows(t, f, "Sheet1", [][]string{{"别的表"}})
		if _, err := f.NewSheet(listfile.SheetName); err != nil {
			t.Fatal(err)
		}
		s := listfile.SheetName
		setRows(t, f, s, [][]string{
			{"2021年责任清单"},
			{"编号", "工作任务", "牵头单位", "完成时限", "进度", "目标值"},
			{"4.1.10", "任务甲", "执法局", "", "", ""},
			{"4.1.11", "任务乙", "", "", "", ""},
			{},
			{"4.1.12", "任务丙", "办公室", "三季度末", "", ""},
		})
		must(t, f.MergeCell(s, "A1", "F1"))
		must(t, f.MergeCell(s, "C3", "C4")) // one lead for two tasks
		must(t, f.SetCellValue(s, "D3", time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)))
		must(t, f.SetCellInt(s, "D4", 44377))
		style, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
		must(t, f.SetCellFloat(s, "E3", 0.6, -1, 64))
		must(t, f.SetCellStyle(s, "E3", "E3", style))
		must(t, f.SetCellInt(s, "F3", 85))
		must(t, f.SetCellValue(s, "E4", "35%"))
		must(t, f.SetCellValue(s, "E6", 40))
	})
	rows := mustRead(t, data, listfile.XLSX, opts)
	want := []struct {
		line int
		c    carried
	}{
		{3, carried{ID: "4.1.10", Text: "任务甲", Lead: "执法局", Deadline: store.NewDate(2021, 6, 30), Progress: 60, Target: 85, Status: store.StatusNotStarted}},
		{4, carried{ID: "4.1.11", Text: "任务乙", Lead: "执法局", Deadline: store.NewDate(2021, 6, 30), Progress: 35, Status: store.StatusNotStarted}},
		{6, carried{ID: "4.1.12", Text: "任务丙", Lead: "办公室", Deadline: store.NewDate(2021, 9, 30), Progress: 40, Status: store.StatusNotStarted}},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		if got := carry(rows[i].Task); got != w.c || rows[i].Line != w.line {
			t.Errorf("row %d: got line %d %#v\nwant line %d %#v", i, rows[i].Line, got, w.line, w.c)
		}
	}
}

func TestRead_XLSXRowErrors(t *testing.T) {
	data := xlsxBytes(t, func(f *excelize.File) {
		setRows(t, f, "Sheet1", [][]string{
			{"编号", "工作任务", "牵头单位", "完成时限"},
			{"1", "甲", "办公室", "年底前"},
			{"2", "乙", "大气处", "年底前"},
			{},
			{"3", "丙", "办公室", "2021"},
		})
	})
	_, err := listfile.Read(bytes.NewReader(data), listfile.XLSX, opts)
	got := rowErrors(t, err)
	if len(got) != 2 || got[0].Line != 3 || got[0].Field != "牵头单位" || got[1].Line != 5 || got[1].Field != "完成时限" {
		t.Errorf("got %v", got)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestRead_XLSXDate1904(t *testing.T) {
	yes := true
	data := xlsxBytes(t, func(f *excelize.File) {
		must(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}))
		setRows(t, f, "Sheet1", [][]string{{"编号", "工作任务", "牵头单位", "完成时限"}, {"1", "甲", "办公室"}})
		must(t, f.SetCellInt("Sheet1", "D2", 44377-1462))
	})
	rows := mustRead(t, data, listfile.XLSX, opts)
	if got := rows[0].Task.Deadline; got != store.NewDate(2021, 6, 30) {
		t.Errorf("got %v, want 2021-06-30", got)
	}
}

// FuzzRead feeds arbitrary bytes to both readers: any input must give rows
// or an error, never a panic.
func FuzzRead(f *testing.F) {
	f.Add(write(f, listfile.CSV, sampleTasks()))
	f.Add(write(f, listfile.XLSX, sampleTasks()))
	f.Add([]byte("编号,工作任务,牵头单位,完成时限\n1,\"x\n,办公室,年底前"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []listfile.Format{listfile.CSV, listfile.XLSX} {
			rows, err := listfile.Read(bytes.NewReader(data), format, opts)
			if err == nil && rows == nil {
				t.Errorf("%s: no rows and no error", format)
			}
		}
	})
}
