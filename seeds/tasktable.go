package seeds

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// A 任务分解表 in a Word file is a table whose header names a task column
// and an owner or deadline column (序号/工作任务/牵头单位/责任单位/配合单位/
// 完成时限). Its headers are read with store/listfile's aliases, so a Word
// table and an Excel list accept the same spellings.

// extraHeaders are headers of Word task tables that list files do not use.
var extraHeaders = map[string]string{
	"序号": listfile.ColID, "重点任务": listfile.ColText, "主要任务": listfile.ColText, "具体任务": listfile.ColText,
	"工作措施": listfile.ColText, "任务措施": listfile.ColText, "重点工作": listfile.ColText, "工作事项": listfile.ColText,
	"参与单位": listfile.ColCo, "协同单位": listfile.ColCo, "配合部门": listfile.ColCo, "完成期限": listfile.ColDeadline,
	"时间节点": listfile.ColDeadline, "完成时间节点": listfile.ColDeadline, "进度安排": listfile.ColDeadline,
	"类别": listfile.ColSection, "任务类别": listfile.ColSection, "领域": listfile.ColSection,
	"预期目标": listfile.ColText, "目标任务": listfile.ColText, "主要目标": listfile.ColText, "工作目标": listfile.ColText,
}

// headerColumn names the canonical column of a task table's header cell.
func headerColumn(h string) (string, bool) {
	h = strings.Join(strings.Fields(h), "")
	if c, ok := extraHeaders[h]; ok {
		return c, true
	}
	return listfile.Column(h)
}

// tableHeader finds the header row among a table's first rows.
func tableHeader(rows [][]string) int {
	for i := 0; i < len(rows) && i < 5; i++ {
		text, other := false, 0
		for _, c := range rows[i] {
			switch col, _ := headerColumn(c); col {
			case listfile.ColText:
				text = true
			case listfile.ColLead, listfile.ColCo, listfile.ColDeadline:
				other++
			}
		}
		if text && other > 0 {
			return i
		}
	}
	return -1
}

func isTaskTable(rows [][]string) bool {
	return tableHeader(rows) >= 0 && len(rows) > tableHeader(rows)+1
}

// readTaskTables turns 任务分解表 tables into list rows through
// listfile.ReadTable: 序号 becomes 编号 (numbered in order when absent or
// repeated), a 责任单位 beside a 牵头单位 joins the 配合单位, a row whose
// cells all repeat one text (一、… merged across) is a section heading, a
// deadline in a plan's own words (2019年6月底前, 长期坚持) is read as the
// plan parser reads it, and a target is taken from the task text.
func readTaskTables(tables [][][]string, text, source string, opt FileOptions) (*File, error) {
	year := opt.Year
	title := ""
	if strings.TrimFunc(text, isSpace) != "" {
		paras := paragraphs(text)
		if len(paras) > 0 {
			title = trimEnd(paras[0].text)
			p := &parser{plan: &store.Plan{Title: title}}
			if year == 0 {
				year = p.findYear(paras)
			}
		}
	}
	if year == 0 {
		return nil, fmt.Errorf("无法确定任务分解表的年度：文件标题中应含年份（如“2021年…”）；也可用 --year 指定年度")
	}
	out := [][]string{{listfile.ColID, listfile.ColSection, listfile.ColText, listfile.ColLead, listfile.ColCo, listfile.ColDeadline}}
	f := &File{Kind: "list"}
	n := 0
	seen := map[string]bool{}
	for ti, rows := range tables {
		h := tableHeader(rows)
		cols := map[string][]int{}
		for j, c := range rows[h] {
			col, ok := headerColumn(c)
			if !ok {
				continue
			}
			if col == listfile.ColLead && len(cols[col]) > 0 {
				col = listfile.ColCo // 牵头单位 + 责任单位: the second one co-owns
			}
			cols[col] = append(cols[col], j)
		}
		get := func(row []string, col string) string {
			var parts []string
			for _, j := range cols[col] {
				if j < len(row) && strings.TrimSpace(row[j]) != "" {
					parts = append(parts, strings.TrimSpace(row[j]))
				}
			}
			return strings.Join(parts, "、")
		}
		section := ""
		for ri, row := range rows[h+1:] {
			if same(row) {
				section = strings.TrimSpace(row[0])
				f.Skipped = append(f.Skipped, Skipped{Line: ri + h + 2, Text: shorten(section), Reason: fmt.Sprintf("表%d的分类标题行", ti+1)})
				continue
			}
			task := strings.Join(strings.Fields(get(row, listfile.ColText)), "")
			if task == "" {
				continue
			}
			n++
			id := get(row, listfile.ColID)
			if id == "" || seen[id] {
				id = strconv.Itoa(n)
			}
			seen[id] = true
			if s := get(row, listfile.ColSection); s != "" {
				section = s
			}
			due := get(row, listfile.ColDeadline)
			if _, _, err := store.ParseDeadline(due, year); err != nil {
				d, c := deadlineIn(due, year, year+5)
				if c != "" {
					due = "持续推进"
				} else {
					due = d.String()
				}
			}
			lead, co := leadOf(get(row, listfile.ColLead)), strings.Join(deptList(strings.ReplaceAll(get(row, listfile.ColCo), "\n", "、")), "、")
			if i := strings.Index(lead, "、"); i > 0 {
				co = strings.Trim(lead[i+len("、"):]+"、"+co, "、")
				lead = lead[:i]
			}
			out = append(out, []string{id, section, task, lead, co, due})
		}
	}
	rows, err := listfile.ReadTable(out, listfile.Options{Year: year})
	if err != nil {
		return nil, fmt.Errorf("任务分解表有误：%w", err)
	}
	for _, r := range rows {
		if r.Task.Target == 0 {
			r.Task.Target, r.Task.Unit, _ = targetRange(r.Task.Text)
		}
		f.Tasks = append(f.Tasks, r.Task)
		if r.Task.Lead != "" {
			f.Named++
		}
	}
	f.Rows = rows
	if title == "" {
		title = source
	}
	f.Plan = &store.Plan{Title: planTitle(title), Year: year, Source: source}
	sum := sha256.Sum256([]byte(f.Plan.Title))
	f.Plan.ID = strconv.Itoa(year) + "-" + hex.EncodeToString(sum[:4])
	for _, t := range f.Tasks {
		t.PlanID = f.Plan.ID
	}
	return f, nil
}

// leadOf keeps a 牵头单位 cell's names as the list reader expects them:
// separated by 、, without the 各… group words.
func leadOf(s string) string {
	ds := deptList(strings.ReplaceAll(s, "\n", "、"))
	if len(ds) == 0 {
		return strings.TrimSpace(s)
	}
	return strings.Join(ds, "、")
}

// same reports whether every non-empty cell of a row holds one text: a
// heading merged across the table.
func same(row []string) bool {
	first := ""
	cells := 0
	for _, c := range row {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		cells++
		if first == "" {
			first = c
		} else if c != first {
			return false
		}
	}
	return first != "" && (cells > 1 || len(row) > 1 && strings.TrimSpace(row[0]) != "" && onlyFirst(row))
}

func onlyFirst(row []string) bool {
	for _, c := range row[1:] {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return markerOf(strings.TrimSpace(row[0])) != nil
}
