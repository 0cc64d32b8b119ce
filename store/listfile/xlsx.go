package listfile

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/store"
	"github.com/xuri/excelize/v2"
)

const corruptXLSX = "lf_xlsx_corrupt" // catalogue key

// unzipLimit bounds how much a workbook may inflate to: a list of
// store.MaxTasks rows is well under it, and a zip bomb must not take the bot
// down.
const unzipLimit = 128 << 20

// readXLSX reads the sheet named 责任清单, or else the first sheet. The
// sheet is first scanned for its shape (scanXLSX refuses one too wide or
// too long before any row is built), then streamed row by row twice: once
// for the values as stored, once as displayed. A date's serial and a
// percentage's fraction are exact underneath, while the display tells 60%
// from 0.6 and keeps a number typed as 编号 the way the user sees it.
// Vertically merged cells — a 牵头单位 shared by several tasks — count for
// every row they cover.
func readXLSX(data []byte, maxRows int) (t *table, err error) {
	if bytes.HasPrefix(data, magicOLE) {
		return nil, fileErr(nil, "lf_old_xls")
	}
	// excelize is large and meets hostile input here; no upload may panic the bot.
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, fileErr(fmt.Errorf("excelize panic: %v", p), corruptXLSX)
		}
	}()
	shape, err := scanXLSX(data, maxRows)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit})
	if err != nil {
		return nil, fileErr(err, corruptXLSX)
	}
	defer f.Close()
	raw, err := streamRows(f, shape.name, true, maxRows)
	if err != nil {
		return nil, err
	}
	shown, err := streamRows(f, shape.name, false, maxRows)
	if err != nil {
		return nil, err
	}
	grid := make([][]cell, len(raw))
	for i, row := range raw {
		grid[i] = make([]cell, len(row))
		for j, v := range row {
			c := cell{text: v, raw: v}
			if _, err := strconv.ParseFloat(v, 64); err == nil && i < len(shown) && j < len(shown[i]) {
				c.text = shown[i][j]
			}
			grid[i][j] = c
		}
	}
	for _, m := range shape.merges {
		fillDown(grid, m)
	}
	t = &table{}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		t.date1904 = *props.Date1904
	}
	for i, cells := range grid {
		empty := true
		for _, c := range cells {
			empty = empty && blank([]string{c.text, c.raw})
		}
		if !empty {
			t.records = append(t.records, record{line: i + 1, cells: cells})
		}
	}
	return t, nil
}

// streamRows reads the sheet with excelize's row iterator, which never
// loads the whole worksheet; scanXLSX has bounded rows and columns.
func streamRows(f *excelize.File, sheet string, raw bool, maxRows int) ([][]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fileErr(err, corruptXLSX)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		if len(out) >= sheetRows(maxRows) {
			return nil, errTooLong(len(out)+1, maxRows)
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: raw})
		if err != nil {
			return nil, fileErr(err, corruptXLSX)
		}
		if len(cols) > store.MaxColumns {
			cols = cols[:store.MaxColumns] // only empty-looking overflow reaches here
		}
		out = append(out, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, fileErr(err, corruptXLSX)
	}
	return out, nil
}

// fillDown copies a merged range's value down its first column. Horizontal
// spans are left alone: they join cells of different columns, and copying
// 工作任务 into 牵头单位 would only invent errors.
func fillDown(rows [][]cell, m excelize.MergeCell) {
	c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
	_, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
	if err1 != nil || err2 != nil || r1 > len(rows) || c1 > len(rows[r1-1]) {
		return
	}
	v := rows[r1-1][c1-1]
	for r := r1 + 1; r <= r2 && r <= len(rows); r++ {
		for len(rows[r-1]) < c1 {
			rows[r-1] = append(rows[r-1], cell{})
		}
		rows[r-1][c1-1] = v
	}
}

// column layout of the export, in Headers order.
type xlsxCol struct {
	width float64
	kind  int
}

const (
	kindText    = iota // short text, kept as text (编号 4.1.10 must not become a number)
	kindWrap           // long text, wrapped
	kindNumber         // 目标值
	kindPercent        // 进度
)

var xlsxCols = []xlsxCol{
	{10, kindText}, {28, kindWrap}, {60, kindWrap}, {22, kindWrap}, {26, kindWrap}, {12, kindText},
	{9, kindNumber}, {9, kindText}, {9, kindText}, {8, kindPercent}, {40, kindWrap}, {17, kindText},
}

// WriteXLSX writes tasks as a workbook with one sheet, 责任清单, laid out for
// a leadership meeting print-out and for editing: bold frozen header, auto
// filter, wrapped long text, every text cell typed and formatted as text so
// neither 编号 nor a note starting with = is ever reinterpreted. 目标值 and 进度
// are numbers (进度 shown as a percentage) so they sort and sum.
func WriteXLSX(w io.Writer, tasks []*store.Task) error { return WriteXLSXWithHistory(w, tasks, nil) }

// HistorySheet is the second worksheet of an export: the 督办留痕 ledger.
const HistorySheet = "督办记录"

// HistoryHeaders are the columns of the history sheet.
var HistoryHeaders = []string{"时间", "编号", "操作人", "事项", "内容"}

// WriteXLSXWithHistory is WriteXLSX with a second sheet, 督办记录, holding
// the rows given (time, task ID, who, what, detail — already in the
// reader's language), so the ledger prints with the list. Imports read the
// 责任清单 sheet and ignore this one.
func WriteXLSXWithHistory(w io.Writer, tasks []*store.Task, history [][]string) error {
	return WriteXLSXTitled(w, "", tasks, history)
}

// WriteXLSXTitled is WriteXLSXWithHistory with a title (the bureau and
// the list, 大连市生态环境局 责任清单) printed at the top of every page and
// stored as the workbook's title; the sheet itself starts with the header
// row, as imports expect.
func WriteXLSXTitled(w io.Writer, title string, tasks []*store.Task, history [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	if title != "" {
		if err := f.SetDocProps(&excelize.DocProperties{Title: title}); err != nil {
			return err
		}
		if err := f.SetHeaderFooter(SheetName, &excelize.HeaderFooterOptions{OddHeader: "&C" + strings.ReplaceAll(title, "&", "&&")}); err != nil {
			return err
		}
	}
	styles, header, err := xlsxStyles(f)
	if err != nil {
		return err
	}
	for j, c := range xlsxCols {
		name, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(SheetName, name, name, c.width); err != nil {
			return err
		}
		if err := f.SetColStyle(SheetName, name, styles[c.kind]); err != nil {
			return err
		}
	}
	for j, h := range Headers {
		axis, _ := excelize.CoordinatesToCellName(j+1, 1)
		if err := f.SetCellStr(SheetName, axis, h); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(Headers), 1)
	if err := f.SetCellStyle(SheetName, "A1", last, header); err != nil {
		return err
	}
	sst := sharedStrings{}
	for i, t := range tasks {
		if err := writeXLSXRow(f, i+2, t, sst); err != nil {
			return fmt.Errorf("export row %d (%s): %w", i+2, t.ID, err)
		}
	}
	if err := f.SetPanes(SheetName, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	end, _ := excelize.CoordinatesToCellName(len(Headers), len(tasks)+1)
	if err := f.AutoFilter(SheetName, "A1:"+end, nil); err != nil {
		return err
	}
	if history != nil {
		if err := writeHistorySheet(f, history, styles[kindText], styles[kindWrap], header); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

func writeHistorySheet(f *excelize.File, rows [][]string, text, wrap, header int) error {
	if _, err := f.NewSheet(HistorySheet); err != nil {
		return err
	}
	for j, wd := range []float64{17, 10, 14, 12, 80} {
		name, _ := excelize.ColumnNumberToName(j + 1)
		style := text
		if j == 4 {
			style = wrap
		}
		if err := f.SetColWidth(HistorySheet, name, name, wd); err != nil {
			return err
		}
		if err := f.SetColStyle(HistorySheet, name, style); err != nil {
			return err
		}
	}
	for j, h := range HistoryHeaders {
		axis, _ := excelize.CoordinatesToCellName(j+1, 1)
		if err := f.SetCellStr(HistorySheet, axis, h); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(HistoryHeaders), 1)
	if err := f.SetCellStyle(HistorySheet, "A1", last, header); err != nil {
		return err
	}
	for i, r := range rows {
		for j, v := range r {
			if j >= len(HistoryHeaders) || v == "" {
				continue
			}
			axis, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := f.SetCellStr(HistorySheet, axis, escapeOOXML(escapeCell(v, false))); err != nil {
				return fmt.Errorf("history row %d: %w", i+2, err)
			}
		}
	}
	return nil
}

func writeXLSXRow(f *excelize.File, row int, t *store.Task, sst sharedStrings) error {
	for j, v := range textRow(t) {
		axis, _ := excelize.CoordinatesToCellName(j+1, row)
		var err error
		switch xlsxCols[j].kind {
		case kindNumber:
			if t.HasTarget() {
				err = f.SetCellFloat(SheetName, axis, t.Target, -1, 64)
			}
		case kindPercent:
			err = f.SetCellFloat(SheetName, axis, float64(t.Progress)/100, -1, 64)
		default:
			if v != "" {
				err = sst.set(f, axis, escapeOOXML(escapeCell(v, false)))
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ooxmlEscape matches what OOXML reads as an escaped character (_x0041_ is
// "A"). excelize decodes these when reading shared strings but does not
// encode them when writing, so text that merely looks like one would come
// back changed.
var ooxmlEscape = regexp.MustCompile(`^_x[0-9A-Fa-f]{4}_$`)

// escapeOOXML protects such look-alikes with OOXML's escaped underscore
// (_x005F_), which readers turn back into the literal text. Every
// underscore that starts a look-alike is escaped, overlapping ones too:
// "_x005F_x0041_" must not come back as "_x005FA".
func escapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && ooxmlEscape.MatchString(s[i:min(len(s), i+7)]) {
			b.WriteString("_x005F_")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// sharedStrings works around excelize's shared-string table, which looks a
// string up as given but files it under its escaped form (bstrMarshal): a
// cell whose text equals the escaped form of an earlier cell's would get
// that earlier cell's text. Such a cell is written with its escapes in
// lower-case hex (_x005f_), which reads back the same but is another key.
// The map holds each filed key and the text filed under it.
type sharedStrings map[string]string

func (k sharedStrings) set(f *excelize.File, axis, v string) error {
	for _, w := range []string{v, strings.ReplaceAll(v, "_x005F_", "_x005f_")} {
		if raw, hit := k[w]; hit && raw != w {
			continue
		}
		k[bstrMarshal(w)] = w
		return f.SetCellStr(SheetName, axis, w)
	}
	return fmt.Errorf("cell %s: text collides in the shared-string table", axis)
}

// bstrMarshal is excelize's (v2.11) key for a shared string: each
// _xHHHH_ look-alike escaped with _x005F_, an _x005F_ before one twice.
func bstrMarshal(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	matches, cursor := bstrExp.FindAllStringIndex(s, -1), 0
	for _, m := range matches {
		b.WriteString(s[cursor:m[0]])
		sub := s[m[0]:m[1]]
		cursor = m[1]
		if sub == "_x005F_" {
			if m[1]+6 <= len(s) && bstrEscapeExp.MatchString(s[m[1]:m[1]+6]) {
				b.WriteString(sub + "x005F" + sub)
				continue
			}
			b.WriteString(sub + "x005F_")
			continue
		}
		b.WriteString("_x005F" + sub)
	}
	b.WriteString(s[cursor:])
	return b.String()
}

var (
	bstrExp       = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrEscapeExp = regexp.MustCompile(`x[a-fA-F\d]{4}_`)
)

// xlsxStyles registers the cell styles, indexed by column kind, and the
// header style.
func xlsxStyles(f *excelize.File) (map[int]int, int, error) {
	top := &excelize.Alignment{Vertical: "top"}
	wrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	defs := map[int]*excelize.Style{
		kindText:    {NumFmt: 49, Alignment: top},
		kindWrap:    {NumFmt: 49, Alignment: wrap},
		kindNumber:  {NumFmt: 0, Alignment: top},
		kindPercent: {NumFmt: 9, Alignment: top},
	}
	styles := map[int]int{}
	for k, s := range defs {
		id, err := f.NewStyle(s)
		if err != nil {
			return nil, 0, err
		}
		styles[k] = id
	}
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		NumFmt:    49,
		Border: []excelize.Border{
			{Type: "bottom", Color: "808080", Style: 1},
		},
	})
	return styles, header, err
}
