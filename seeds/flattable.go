package seeds

import (
	"regexp"
	"strconv"
	"strings"
)

// A 任务分解表 copied from a web page into a text file arrives with one
// cell per line: 序号 / 2022年预期目标 / 责任单位, then 1 / 地区生产总值增长
// 5.5%左右 / 区发展改革委, 2 / …. flatTables finds such tables, so the rows
// become tasks with their owners instead of paragraphs of an 附件.

// reYearPrefix: the year some headers carry (2022年预期目标).
var reYearPrefix = regexp.MustCompile(`^(?:19|20)\d{2}\s*年(?:度)?`)

// reNumberLine: a line that is only a row number.
var reNumberLine = regexp.MustCompile(`^\d{1,3}$`)

// flatHeader names the column of a line that may be a header cell.
func flatHeader(s string) (string, bool) {
	return headerColumn(reYearPrefix.ReplaceAllString(s, ""))
}

// flatTables returns the text before the first flattened table, the tables
// (header row first) and the line (1-based) where the first one starts. ok
// is false unless a header 序号/…/责任单位 is followed by at least two rows
// numbered 1, 2, ….
func flatTables(text string) (before string, tables [][][]string, ok bool) {
	type line struct {
		n    int
		text string
	}
	var ls []line
	for i, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if t := strings.TrimFunc(l, isSpace); t != "" {
			ls = append(ls, line{i + 1, t})
		}
	}
	first := 0
	for i := 0; i < len(ls); i++ {
		if ls[i].text != "序号" && ls[i].text != "编号" {
			continue
		}
		header := []string{ls[i].text}
		j := i + 1
		for ; j < len(ls) && len(header) < 8; j++ {
			if _, isHead := flatHeader(ls[j].text); !isHead || ls[j].text == "序号" {
				break
			}
			header = append(header, reYearPrefix.ReplaceAllString(ls[j].text, ""))
		}
		if tableHeader([][]string{header}) != 0 {
			continue
		}
		rows := [][]string{header}
		want := 1
		for j < len(ls) && ls[j].text == strconv.Itoa(want) {
			row := []string{ls[j].text}
			j++
			for j < len(ls) && len(row) < len(header) && ls[j].text != strconv.Itoa(want+1) {
				row = append(row, ls[j].text)
				j++
			}
			for len(row) < len(header) {
				row = append(row, "")
			}
			rows = append(rows, row)
			want++
		}
		if len(rows) < 3 {
			continue
		}
		if i > 0 && !reNumberLine.MatchString(ls[i-1].text) {
			// the line above 序号 names the table (…预期目标任务分解表):
			// its rows' section
			rows[0] = append(rows[0], "类别")
			for k := 1; k < len(rows); k++ {
				rows[k] = append(rows[k], ls[i-1].text)
			}
		}
		if len(tables) == 0 {
			first = ls[i].n
		}
		tables = append(tables, rows)
		i = j - 1
	}
	if len(tables) == 0 {
		return "", nil, false
	}
	all := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	return strings.Join(all[:first-1], "\n"), tables, true
}
