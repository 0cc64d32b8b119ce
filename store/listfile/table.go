package listfile

import (
	"bytes"

	"github.com/duban-bureau/duban/store"
	"github.com/xuri/excelize/v2"
)

// Column returns the canonical column (ColID, ColLead, …) a header cell
// names, using the same aliases as Read, so other readers of tables (a
// 任务分解表 in a Word document) recognise exactly the headers a list file
// may have.
func Column(header string) (string, bool) {
	c, ok := aliases[normHeader(header)]
	return c, ok
}

// ReadTable parses rows of cell texts already taken from another document
// (the first rows may hold a title; the header is found as in Read), with
// the same checks and the same all-or-nothing errors as Read. Row numbers
// are 1-based positions in rows.
func ReadTable(rows [][]string, opt Options) ([]Row, error) {
	t := &table{}
	for i, r := range rows {
		rec := record{line: i + 1}
		for _, s := range r {
			rec.cells = append(rec.cells, cell{text: s, raw: s})
		}
		if !blankCells(rec.cells) {
			t.records = append(t.records, rec)
		}
	}
	if opt.Year < 1 || opt.Year > 9999 {
		return nil, fileErr(nil, "lf_table_year")
	}
	if opt.MaxRows <= 0 || opt.MaxRows > store.MaxTasks {
		opt.MaxRows = store.MaxTasks
	}
	return parse(t, opt)
}

func blankCells(cs []cell) bool {
	for _, c := range cs {
		if clean(c.text) != "" {
			return false
		}
	}
	return true
}

// AppendSheet adds a sheet of text rows (the first is a bold header) to a
// workbook WriteXLSX wrote, e.g. the paragraphs a plan import left out
// beside the decomposed tasks. Read still takes the 责任清单 sheet, so the
// workbook imports as before.
func AppendSheet(xlsx []byte, name string, rows [][]string) ([]byte, error) {
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.NewSheet(name); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for i, row := range rows {
		for j, v := range row {
			axis, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr(name, axis, escapeCell(v, false)); err != nil {
				return nil, err
			}
			if i == 0 {
				if err := f.SetCellStyle(name, axis, axis, bold); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := f.SetColWidth(name, "C", "C", 80); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
