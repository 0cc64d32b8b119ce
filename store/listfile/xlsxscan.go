package listfile

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/duban-bureau/duban/store"
	"github.com/xuri/excelize/v2"
)

// sheetRows is the last spreadsheet row a list of maxRows tasks may use:
// the rows plus a title, the header and a few blank rows.
func sheetRows(maxRows int) int { return maxRows + headerScan + 10 }

// maxMerges bounds the merged ranges of one sheet.
const maxMerges = store.MaxTasks

// sheetShape is what one streamed pass over a worksheet's XML found before
// anything is materialised: the merged ranges (which the row iterator does
// not report) and the sheet chosen.
type sheetShape struct {
	name   string
	merges []excelize.MergeCell
}

// errTooWide and errTooLong name the limit a sheet broke.
func errTooWide(line, col int) error {
	name, _ := excelize.ColumnNumberToName(col)
	return fileErr(nil, "lf_too_wide",
		line, name, col, store.MaxColumns)
}

func errTooLong(rows, maxRows int) error {
	return fileErr(nil, "lf_too_long", rows, maxRows)
}

// scanXLSX finds the sheet a list is read from (责任清单, else the first) and
// streams its XML once with bounded reads, refusing a sheet whose declared
// dimension or actual cells exceed the row and column limits. A 35 KB file
// whose rows each carry one cell in column XFD would otherwise expand into
// 16,384 cells a row inside excelize.
func scanXLSX(data []byte, maxRows int) (*sheetShape, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fileErr(err, corruptXLSX)
	}
	var total uint64
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		total += f.UncompressedSize64
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	if total > unzipLimit {
		return nil, fileErr(nil, "lf_unzip", unzipLimit>>20)
	}
	name, part, err := pickSheet(files)
	if err != nil {
		return nil, err
	}
	f, ok := files[part]
	if !ok {
		return nil, fileErr(fmt.Errorf("sheet part %s missing", part), corruptXLSX)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fileErr(err, corruptXLSX)
	}
	defer rc.Close()
	shape := &sheetShape{name: name}
	if err := scanSheet(&runLimit{r: io.LimitReader(rc, unzipLimit)}, shape, maxRows); err != nil {
		return nil, textRunErr(err)
	}
	// The shared strings are read by excelize, which holds one string
	// whole: a single 24 MB cell took 900 MB. Stream the part first.
	for n, f := range files {
		if !strings.HasSuffix(strings.ToLower(n), "sharedstrings.xml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fileErr(err, corruptXLSX)
		}
		_, err = io.Copy(io.Discard, &runLimit{r: io.LimitReader(rc, unzipLimit)})
		rc.Close()
		if err != nil {
			if errors.Is(err, errTextRun) {
				return nil, textRunErr(err)
			}
			return nil, fileErr(err, corruptXLSX)
		}
	}
	return shape, nil
}

// maxTextRun bounds the bytes between two tags of a sheet or shared-string
// part: Excel stops a cell at 32,767 characters, which are at most ~320 KB
// even written as numeric character references (&#x4E2D;).
const maxTextRun = 32767 * 10

var errTextRun = errors.New("xlsx: text run longer than any Excel cell")

// runLimit passes bytes through, failing once more than maxTextRun of them
// come without a '<' (one cell's text, before the XML decoder holds it).
type runLimit struct {
	r   io.Reader
	run int
}

func (l *runLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '<' {
			l.run = 0
		} else if l.run++; l.run > maxTextRun {
			return 0, errTextRun
		}
	}
	return n, err
}

// textRunErr words errTextRun (wrapped by the XML decoder or not) for the user.
func textRunErr(err error) error {
	if errors.Is(err, errTextRun) {
		return fileErr(nil, "lf_cell_long")
	}
	return err
}

// pickSheet reads the workbook's sheet list and relationships to find the
// list's worksheet part.
func pickSheet(files map[string]*zip.File) (name, part string, err error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(files, "xl/workbook.xml", &wb); err != nil {
		return "", "", err
	}
	if err := decodePart(files, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return "", "", err
	}
	if len(wb.Sheets) == 0 {
		return "", "", fileErr(nil, "lf_no_sheet")
	}
	pick := wb.Sheets[0]
	for _, s := range wb.Sheets {
		if s.Name == SheetName {
			pick = s
			break
		}
	}
	for _, r := range rels.Rel {
		if r.ID == pick.RID {
			t := r.Target
			if strings.HasPrefix(t, "/") {
				return pick.Name, strings.TrimPrefix(t, "/"), nil
			}
			return pick.Name, path.Join("xl", t), nil
		}
	}
	return "", "", fileErr(fmt.Errorf("no relationship %q", pick.RID), corruptXLSX)
}

// decodePart unmarshals a small workbook part, bounded to 4 MB.
func decodePart(files map[string]*zip.File, name string, v any) error {
	f, ok := files[name]
	if !ok {
		return fileErr(fmt.Errorf("%s missing", name), corruptXLSX)
	}
	rc, err := f.Open()
	if err != nil {
		return fileErr(err, corruptXLSX)
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, 4<<20)).Decode(v); err != nil {
		return fileErr(err, corruptXLSX)
	}
	return nil
}

// scanSheet walks a worksheet's tokens: the declared <dimension>, each
// <row>'s number, each valued <c>'s column, and the merged ranges. It
// stops at the first cell beyond the limits, so the cost of a hostile
// sheet is the bytes read until then.
func scanSheet(r io.Reader, shape *sheetShape, maxRows int) error {
	d := xml.NewDecoder(r)
	row, col := 0, 0
	cellCol, cellRow := 0, 0 // the open <c>, waiting to see whether it has a value
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fileErr(err, corruptXLSX)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "dimension":
				ref := attr(t, "ref")
				if _, end, ok := strings.Cut(ref, ":"); ok {
					if _, rows, err := excelize.CellNameToCoordinates(end); err == nil && rows > sheetRows(maxRows) {
						return errTooLong(rows, maxRows)
					}
				}
			case "row":
				row++
				if v := attr(t, "r"); v != "" {
					if _, n, err := excelize.CellNameToCoordinates("A" + v); err == nil {
						row = n
					}
				}
				if row > sheetRows(maxRows) {
					return errTooLong(row, maxRows)
				}
				col = 0
			case "c":
				col++
				if v := attr(t, "r"); v != "" {
					c, _, err := excelize.CellNameToCoordinates(v)
					if err != nil {
						return fileErr(err, corruptXLSX)
					}
					col = c
				}
				cellCol, cellRow = col, row
			case "v", "is", "f":
				// A cell far right counts only when it holds something: empty
				// styled cells (LibreOffice writes them up to AMJ) are harmless,
				// since the row iterator skips them.
				if cellCol > store.MaxColumns {
					return errTooWide(cellRow, cellCol)
				}
			case "mergeCell":
				if len(shape.merges) >= maxMerges {
					return fileErr(nil, "lf_merges", maxMerges)
				}
				if ref := attr(t, "ref"); strings.Contains(ref, ":") {
					shape.merges = append(shape.merges, excelize.MergeCell{ref, ""})
				}
			}
		case xml.EndElement:
			if t.Name.Local == "c" {
				cellCol = 0
			}
		}
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
