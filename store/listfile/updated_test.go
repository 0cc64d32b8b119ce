package listfile_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store/listfile"
	"github.com/xuri/excelize/v2"
)

// TestRead_UpdatedAt: 更新时间 is read in the bureau's zone in the forms an
// export writes and Excel writes back (a text, or a date-time cell); an
// empty cell is none; anything else is a row error naming the column.
func TestRead_UpdatedAt(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	want := time.Date(2026, 11, 30, 9, 20, 0, 0, cst)
	o := opts
	o.Loc = cst
	read := func(cell string) ([]listfile.Row, error) {
		return listfile.Read(bytes.NewReader(csvBytes(t, [][]string{
			{"编号", "工作任务", "牵头单位", "完成时限", "更新时间"},
			{"4.1.3", "任务。", "办公室", "年底前", cell},
		})), listfile.CSV, o)
	}
	for _, cell := range []string{"2026-11-30 09:20", "2026/11/30 9:20", "2026-11-30 09:20:00", "2026-11-30T09:20:00+08:00", "2026年11月30日 9:20", "11/30/2026 9:20"} {
		rows, err := read(cell)
		if err != nil || len(rows) != 1 || !rows[0].Updated.Equal(want) {
			t.Errorf("更新时间 %q: %v %v, want %v", cell, rowsUpdated(rows), err, want)
		}
	}
	if rows, err := read(""); err != nil || !rows[0].Updated.IsZero() {
		t.Errorf("empty 更新时间: %v %v, want none", rowsUpdated(rows), err)
	}
	_, err := read("上周五")
	var le *listfile.Error
	if !errors.As(err, &le) || len(le.Rows) != 1 || le.Rows[0].Field != listfile.ColUpdated || le.Rows[0].Line != 2 {
		t.Errorf("bad 更新时间: %v, want one error on row 2, column 更新时间", err)
	}

	// An XLSX date-time cell (Excel turned the text into a date).
	f := excelize.NewFile()
	defer f.Close()
	for i, v := range []any{"编号", "工作任务", "牵头单位", "完成时限", "更新时间"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue("Sheet1", cell, v)
	}
	for i, v := range []any{"4.1.3", "任务。", "办公室", "年底前", time.Date(2026, 11, 30, 9, 20, 0, 0, time.UTC)} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellValue("Sheet1", cell, v)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := listfile.Read(&buf, listfile.XLSX, o)
	if err != nil || len(rows) != 1 || !rows[0].Updated.Equal(want) {
		t.Errorf("XLSX date cell: %v %v, want %v", rowsUpdated(rows), err, want)
	}
}

func rowsUpdated(rows []listfile.Row) []time.Time {
	var out []time.Time
	for _, r := range rows {
		out = append(out, r.Updated)
	}
	return out
}
