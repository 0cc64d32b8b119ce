package seeds_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/duban-bureau/duban/seeds/docx/docxtest"
)

// The two .docx files of the real corpus are built from the published text
// (no original .docx was found; see SOURCES.md) by the builders below, the
// way Word stores such documents: section and subsection numbers as
// automatic numbering (not in the text), runs split inside words, a soft
// line break inside some paragraphs, and a 任务分解表 as a table with
// merged 牵头单位 cells. TestRealDocx_Reproducible keeps the committed
// files equal to what the builders write (go test -run RealDocx -update).

var (
	reSecLine = regexp.MustCompile(`^[一二三四五六七八九十]+、`)
	reSubLine = regexp.MustCompile(`^（[一二三四五六七八九十]+）`)
)

// zuoxieDocx writes the 作协 report-plus-plan as Word would hold it.
func zuoxieDocx(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "real", "gd-zuoxie-2014-gongzuobaogao.txt"))
	if err != nil {
		t.Fatal(err)
	}
	d := &docxtest.Doc{}
	for i, line := range strings.Split(strings.TrimSpace(string(src)), "\n") {
		switch {
		case reSecLine.MatchString(line):
			d.NumP(1, 0, reSecLine.ReplaceAllString(line, ""), 5)
		case reSubLine.MatchString(line):
			d.NumP(1, 1, reSubLine.ReplaceAllString(line, ""), 4)
		default:
			if j := strings.Index(line, "，"); i%5 == 4 && j > 0 {
				line = line[:j+len("，")] + "\n" + line[j+len("，"):] // a soft break mid-sentence
			}
			d.P(line, 7)
		}
	}
	return d.Bytes()
}

var reGZItem = regexp.MustCompile(`^(\d+)\.(.+?)（牵头单位：(.+?)(?:，配合单位：(.+))?）$`)

// gzTableDocx writes the 广州 items as a 任务分解表 table: 序号 / 工作任务 /
// 牵头单位 / 配合单位 / 完成时限, the task being the item's text without its
// note and the 完成时限 the item's own span (5年内, 每年) where it names one.
func gzTableDocx(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "real", "gz-2012-rencai-jiju-gbk.txt"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(string(src)), "\r\n", "\n"), "\n")
	d := &docxtest.Doc{}
	d.P(lines[0], 3)
	rows := [][]docxtest.Cell{{{Text: "序号"}, {Text: "工作任务"}, {Text: "牵头单位"}, {Text: "配合单位"}, {Text: "完成时限"}}}
	prevLead := ""
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "1.目标"):
			d.P("一、总体目标", 0).P(line, 9)
		case reSubLine.MatchString(line):
			head, _, _ := strings.Cut(line, "。")
			rows = append(rows, []docxtest.Cell{{Text: head, Span: 5}})
			prevLead = ""
		case reGZItem.MatchString(line):
			m := reGZItem.FindStringSubmatch(line)
			due := ""
			switch {
			case strings.Contains(m[2], "每年"):
				due = "每年"
			case strings.Contains(m[2], "5年内"):
				due = "5年内"
			}
			lead := docxtest.Cell{Text: m[3]}
			if m[3] == prevLead {
				lead = docxtest.Cell{Merge: "continue"}
				rows[len(rows)-1][2].Merge = "restart"
			}
			prevLead = m[3]
			rows = append(rows, []docxtest.Cell{{Text: m[1]}, {Text: m[2]}, lead, {Text: m[4]}, {Text: due}})
		}
	}
	d.Table(rows)
	return d.Bytes()
}

func TestRealDocx_Reproducible(t *testing.T) {
	for name, build := range map[string]func(*testing.T) []byte{
		"gd-zuoxie-2014-gongzuobaogao.docx":    zuoxieDocx,
		"gz-2012-rencai-renwu-fenjiebiao.docx": gzTableDocx,
	} {
		path := filepath.Join("testdata", "real", name)
		data := build(t)
		if *update {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run RealDocx -update)", err)
		}
		if !bytes.Equal(have, data) {
			t.Errorf("%s differs from what its builder writes; run go test -run RealDocx -update", name)
		}
	}
}

// TestRealDocx_SameAsText: the Word copy of a plan decomposes exactly as
// its published text.
func TestRealDocx_SameAsText(t *testing.T) {
	a, err := os.ReadFile(filepath.Join("testdata", "real", "gd-zuoxie-2014-gongzuobaogao.txt.golden"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "real", "gd-zuoxie-2014-gongzuobaogao.docx.golden"))
	if err != nil {
		t.Fatal(err)
	}
	// Line numbers of skipped paragraphs differ (the docx joins no soft
	// breaks into new lines the same way); tasks must not.
	strip := func(s []byte) string {
		var out []string
		for _, l := range strings.Split(string(s), "\n") {
			if !strings.HasPrefix(l, "skipped:") {
				out = append(out, l)
			}
		}
		return strings.Join(out, "\n")
	}
	if strip(a) != strip(b) {
		t.Errorf("docx and txt decompositions differ:\n%s\n---\n%s", strip(a), strip(b))
	}
}
