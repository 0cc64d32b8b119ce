package listfile

import (
	"errors"
	"io"
	"strings"

	"github.com/duban-bureau/duban/schedule/lang"
	"github.com/duban-bureau/duban/store"
)

// MaxFileSize bounds what Read accepts (store.MaxFileBytes): enough for
// store.MaxTasks rows; a real list of a few hundred tasks is under 1 MB.
const MaxFileSize = store.MaxFileBytes

// cell is one spreadsheet cell: text as displayed, raw as stored. They differ
// only in XLSX number cells (a date shows 2021/6/30 and is stored as 44377; a
// percentage shows 60% and is stored as 0.6). In CSV raw == text.
type cell struct{ text, raw string }

// record is one non-blank spreadsheet row with its row number.
type record struct {
	line  int
	cells []cell
}

// table is what the CSV and XLSX readers hand to the common row parser.
type table struct {
	records  []record
	date1904 bool // XLSX workbooks may count serial dates from 1904
}

// Read parses a responsibility list. It is all-or-nothing: when any row is
// bad it returns no rows and an *Error listing every bad row; a file that is
// not a list at all gives a *FileError. Blank rows are skipped, unknown
// columns ignored, and a title row above the header is tolerated.
func Read(r io.Reader, f Format, opt Options) ([]Row, error) {
	if opt.Year < 1 || opt.Year > 9999 {
		return nil, errors.New("listfile: Options.Year must be set")
	}
	if opt.MaxRows <= 0 || opt.MaxRows > store.MaxTasks {
		opt.MaxRows = store.MaxTasks
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fileErr(err, "lf_read")
	}
	if len(data) > MaxFileSize {
		return nil, fileErr(nil, "lf_too_big", MaxFileSize>>20)
	}
	var t *table
	switch f {
	case CSV:
		t, err = readCSV(data, opt.MaxRows)
	case XLSX:
		t, err = readXLSX(data, opt.MaxRows)
	default:
		return nil, fileErr(nil, "lf_format", f)
	}
	if err != nil {
		return nil, err
	}
	return parse(t, opt)
}

// parse turns the table into rows, collecting every problem before deciding.
func parse(t *table, opt Options) ([]Row, error) {
	if len(t.records) == 0 {
		return nil, fileErr(nil, "lf_empty")
	}
	h := findHeader(t.records)
	header := t.records[h]
	cols, herrs, hkeys := mapHeader(header)
	if len(herrs) > 0 {
		return nil, &Error{Rows: herrs, keys: hkeys}
	}
	present := make(map[string]bool, len(cols))
	for c := range cols {
		present[c] = true
	}
	if n := len(t.records) - h - 1; n > opt.MaxRows {
		return nil, errTooLong(n, opt.MaxRows)
	}
	p := rowParser{opt: opt, cols: cols, date1904: t.date1904, seen: map[string]int{}}
	if len(opt.Departments) > 0 {
		p.depts = make(map[string]string, len(opt.Departments))
		for _, d := range opt.Departments {
			p.depts[store.NormName(d)] = d
		}
	}
	var rows []Row
	for _, rec := range t.records[h+1:] {
		task := p.parse(rec)
		rows = append(rows, Row{Line: rec.line, Task: task, Columns: present, Updated: p.updatedAt(rec)})
	}
	if len(p.errs) > 0 {
		return nil, &Error{Rows: p.errs, keys: p.keys}
	}
	if rows == nil {
		rows = []Row{}
	}
	return rows, nil
}

// headerScan is how many leading rows may hold a title or notes above the
// header (a bureau's sheet often starts with "2021年责任清单" merged across).
const headerScan = 10

// findHeader returns the index of the header record: the first of the
// leading records naming at least two known columns, or else the first
// record, whose missing columns are then reported.
func findHeader(recs []record) int {
	for i := 0; i < len(recs) && i < headerScan; i++ {
		n := 0
		for _, c := range recs[i].cells {
			if _, ok := aliases[normHeader(c.text)]; ok {
				n++
			}
		}
		if n >= 2 {
			return i
		}
	}
	return 0
}

// mapHeader maps canonical columns to cell indexes and reports a missing
// required column or a column given twice, both against the header row.
func mapHeader(rec record) (map[string]int, []RowError, []rowKey) {
	cols := map[string]int{}
	var errs []RowError
	var keys []rowKey
	for i, c := range rec.cells {
		canon, ok := aliases[normHeader(c.text)]
		if !ok {
			continue
		}
		if j, dup := cols[canon]; dup {
			errs, keys = headerError(errs, keys, rec.line, "lf_header_twice", canon, colName(j), colName(i))
			continue
		}
		cols[canon] = i
	}
	var missing []string
	for _, c := range Required {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		errs, keys = headerError(errs, keys, rec.line, "lf_header_missing", strings.Join(missing, "、"))
	}
	return cols, errs, keys
}

// colName returns the spreadsheet letter of a zero-based column index.
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// rowParser checks rows one by one, remembering IDs for duplicates and
// collecting errors instead of stopping at the first.
type rowParser struct {
	opt      Options
	cols     map[string]int
	depts    map[string]string // NormName → stored name; nil: names not checked
	date1904 bool
	seen     map[string]int // 编号 → row it first appeared on
	errs     []RowError
	keys     []rowKey // beside errs: the catalogue key of each Reason
}

func (p *rowParser) get(rec record, col string) cell {
	i, ok := p.cols[col]
	if !ok || i >= len(rec.cells) {
		return cell{}
	}
	c := rec.cells[i]
	return cell{text: clean(c.text), raw: clean(c.raw)}
}

// clean normalises line breaks, trims the surrounding blanks people leave in
// cells, and removes a formula-guard apostrophe.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return unescapeCell(strings.TrimSpace(s))
}

func (p *rowParser) fail(line int, field, key string, args ...any) {
	p.errs = append(p.errs, RowError{Line: line, Field: field, Reason: lang.Lang("zh").T(key, args...)})
	p.keys = append(p.keys, rowKey{key, args})
}

// failErr records a refused value: a coded error keeps its key, so the
// edge can say it in the reader's language.
func (p *rowParser) failErr(line int, field string, err error) {
	var e *store.Error
	if errors.As(err, &e) && e.Key != "" && e.Err == nil {
		p.fail(line, field, e.Key, e.Args...)
		return
	}
	p.errs = append(p.errs, RowError{Line: line, Field: field, Reason: lang.Lang("zh").ErrorText(err)})
	p.keys = append(p.keys, rowKey{})
}

func (p *rowParser) parse(rec record) *store.Task {
	line := rec.line
	nerr := len(p.errs)
	t := &store.Task{
		ID:      store.NormName(p.get(rec, ColID).text),
		Section: p.get(rec, ColSection).text,
		Text:    p.get(rec, ColText).text,
		Lead:    p.get(rec, ColLead).text,
		Unit:    p.get(rec, ColUnit).text,
		Latest:  p.get(rec, ColLatest).text,
	}
	t.Lead, t.LeadSuggested = cutSuggested(t.Lead)
	t.Lead = p.deptName(t.Lead)
	switch first, dup := p.seen[t.ID]; {
	case t.ID == "":
		p.fail(line, ColID, "lf_id_empty")
	case dup:
		p.fail(line, ColID, "lf_id_dup", t.ID, first)
	default:
		p.seen[t.ID] = line
	}
	if t.Text == "" {
		p.fail(line, ColText, "lf_text_empty")
	}
	if t.Lead == "" {
		p.fail(line, ColLead, "lf_lead_empty")
	} else if key, args := p.checkDept(t.Lead); key != "" {
		p.fail(line, ColLead, key, args...)
	}
	for _, d := range splitDepts(p.get(rec, ColCo).text) {
		d = p.deptName(d)
		if key, args := p.checkDept(d); key != "" {
			p.fail(line, ColCo, key, args...)
			continue
		}
		if d != t.Lead && !contains(t.CoDepts, d) {
			t.CoDepts = append(t.CoDepts, d)
		}
	}
	var err error
	if t.Deadline, t.Cadence, err = parseDeadline(p.get(rec, ColDeadline), p.opt.Year, p.date1904); err != nil {
		p.failErr(line, ColDeadline, err)
	}
	if t.Target, err = parseTarget(p.get(rec, ColTarget)); err != nil {
		p.failErr(line, ColTarget, err)
	}
	if t.Progress, err = parseProgress(p.get(rec, ColProgress)); err != nil {
		p.failErr(line, ColProgress, err)
	}
	if t.Status, err = parseStatus(p.get(rec, ColStatus).text); err != nil {
		p.failErr(line, ColStatus, err)
	}
	if len(p.errs) == nerr {
		// The store's validation layer, which every way in shares: control
		// and invisible characters, lengths, finite numbers, date range.
		if fe := store.AsFieldError(store.ValidateTask(t)); fe != nil {
			key, args := explainKey(fe)
			p.errs = append(p.errs, RowError{Line: line, Field: columnOf(fe.Field), Reason: Explain(fe)})
			p.keys = append(p.keys, rowKey{key, args})
		}
	}
	return t
}

// deptName normalises a department name (NFKC) and, when it is known,
// returns the spelling the store keeps.
func (p *rowParser) deptName(name string) string {
	n := store.NormName(name)
	if known, ok := p.depts[n]; ok {
		return known
	}
	return n
}

// checkDept returns why name is not a known department (the catalogue key
// and its arguments; "" if it is known), with a guess when exactly one
// known name contains its characters in order, since lists often use short
// forms (大气处 for 大气环境与应对气候变化处).
func (p *rowParser) checkDept(name string) (string, []any) {
	if p.depts == nil {
		return "", nil
	}
	if _, ok := p.depts[store.NormName(name)]; ok {
		return "", nil
	}
	if err := store.CheckName("", store.FieldDept, name, store.MaxNameRunes); err != nil {
		return explainKey(store.AsFieldError(err))
	}
	var guesses []string
	for _, d := range p.depts {
		if subsequence(name, d) {
			guesses = append(guesses, d)
		}
	}
	if len(guesses) == 1 {
		return "lf_dept_guess", []any{name, guesses[0]}
	}
	return "lf_dept_unknown", []any{name}
}

// subsequence reports whether the runes of short appear in long in order.
func subsequence(short, long string) bool {
	rs := []rune(short)
	i := 0
	for _, r := range long {
		if i < len(rs) && rs[i] == r {
			i++
		}
	}
	return i == len(rs)
}

// splitDepts splits a 配合单位 cell on 、 , ， ; ； and line breaks.
func splitDepts(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("、,，;；\n", r)
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// headerError is a problem of the header row (Field 表头, the file's word).
func headerError(errs []RowError, keys []rowKey, line int, key string, args ...any) ([]RowError, []rowKey) {
	return append(errs, RowError{Line: line, Field: lang.Lang("zh").T("lf_header"), Reason: lang.Lang("zh").T(key, args...)}),
		append(keys, rowKey{key, args})
}
