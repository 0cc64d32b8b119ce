package listfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/store"
)

var (
	magicZip = []byte("PK\x03\x04")
	magicOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// readCSV decodes and splits a CSV file. Chinese Windows Excel and WPS save
// "CSV" as GBK without a BOM, "CSV UTF-8" with one, and "Unicode 文本" as
// tab-separated UTF-16; all three are accepted. An .xlsx renamed to .csv is
// read as XLSX rather than refused.
func readCSV(data []byte, maxRows int) (*table, error) {
	if bytes.HasPrefix(data, magicZip) {
		return readXLSX(data, maxRows)
	}
	if bytes.HasPrefix(data, magicOLE) {
		return nil, fileErr(nil, "lf_old_xls")
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true // 完成85家"散乱污"企业 is common and harmless
	t := &table{}
	row, prevEnd := 0, 0
	for {
		fields, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fileErr(err, "lf_csv_line", pe.StartLine)
			}
			return nil, fileErr(err, "lf_csv")
		}
		// encoding/csv skips blank lines and lets quoted cells span lines; the
		// user counts spreadsheet rows, so rebuild the row number Excel shows.
		start, _ := r.FieldPos(0)
		end, _ := r.FieldPos(len(fields) - 1)
		row += 1 + max(0, start-prevEnd-1)
		prevEnd = end + strings.Count(fields[len(fields)-1], "\n")
		if blank(fields) {
			continue
		}
		if len(t.records) > sheetRows(maxRows) {
			return nil, errTooLong(row, maxRows)
		}
		cells := make([]cell, len(fields))
		for i, f := range fields {
			cells[i] = cell{text: f, raw: f}
		}
		t.records = append(t.records, record{line: row, cells: cells})
	}
	return t, nil
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// decodeText is DecodeText with the refusal said of a CSV file.
func decodeText(data []byte) (string, error) {
	text, _, err := DecodeText(data)
	var ce *ControlError
	switch {
	case err == nil:
		return text, nil
	case errors.Is(err, ErrBadUTF8):
		return "", fileErr(nil, "lf_csv_utf8")
	case errors.Is(err, ErrBadUTF16):
		return "", fileErr(err, "lf_csv_utf16")
	case errors.As(err, &ce):
		return "", fileErr(nil, "lf_csv_control", ce.Line, ce.Rune)
	case errors.Is(err, ErrBinary):
		return "", fileErr(nil, "lf_csv_binary")
	}
	return "", fileErr(err, "lf_csv_encoding")
}

// sniffDelimiter picks , or tab or ; by counting them in the first lines,
// where the header (perhaps below a title) is.
func sniffDelimiter(text string) rune {
	head := text
	for i, n := 0, 0; i < len(text); i++ {
		if text[i] == '\n' {
			if n++; n == headerScan {
				head = text[:i]
				break
			}
		}
	}
	best, n := ',', strings.Count(head, ",")
	for _, d := range []rune{'\t', ';'} {
		if c := strings.Count(head, string(d)); c > n {
			best, n = d, c
		}
	}
	return best
}

// WriteCSV writes tasks as a UTF-8 CSV with a BOM, because without one Excel
// on Chinese Windows reads the file as GBK and shows mojibake. Values a
// spreadsheet would evaluate (=, +, -, @) get a leading apostrophe; Read
// removes it again.
func WriteCSV(w io.Writer, tasks []*store.Task) error {
	if _, err := w.Write(bomUTF8); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(Headers); err != nil {
		return err
	}
	for _, t := range tasks {
		rec := textRow(t)
		for i := range rec {
			rec[i] = escapeCell(rec[i], true)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// textRow renders a task as the cells of one row, in Headers order.
func textRow(t *store.Task) []string {
	target := ""
	if t.HasTarget() {
		target = strconv.FormatFloat(t.Target, 'f', -1, 64)
	}
	updated := ""
	if !t.UpdatedAt.IsZero() {
		updated = t.UpdatedAt.Format("2006-01-02 15:04")
	}
	status := t.Status
	if status == "" {
		status = store.StatusNotStarted
	}
	lead := t.Lead
	if t.LeadSuggested && lead != "" {
		lead += SuggestedMark
	}
	return []string{
		t.ID, t.Section, t.Text, lead, strings.Join(t.CoDepts, "、"),
		store.FormatDeadline(t.Deadline, t.Cadence),
		target, t.Unit, status.Zh(), strconv.Itoa(t.Progress) + "%", t.Latest, updated,
	}
}
