package listfile

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
		return nil, fileErr(nil, "无法确定任务分解表的年度，请用 --year 指定")
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
