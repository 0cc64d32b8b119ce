package seeds

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/duban-bureau/duban/store"
)

// sectionKind says what a section's sentences become.
type sectionKind int

const (
	kindTasks      sectionKind = iota // subsections hold tasks
	kindNoTasks                       // 总体要求-type: guidance, no tasks
	kindIndicators                    // 主要目标-type: plan indicators
)

// Section titles that hold no tasks, or hold indicators. Matched as
// substrings of the section title, so "一、指导思想和总体要求" counts too.
var (
	noTaskTitles    = []string{"总体要求", "指导思想", "总体思路", "基本原则", "工作原则"}
	indicatorTitles = []string{"主要目标", "工作目标", "总体目标", "发展目标", "目标指标"}
)

// reTitleYear finds the plan year in the title (2021年…); the Created
// metadata's year is the fallback.
var reTitleYear = regexp.MustCompile(`((?:19|20)\d{2})\s*年`)

// parser carries the state of one Parse call.
type parser struct {
	plan    *store.Plan
	tasks   []*store.Task
	ids     map[string]int // task ID → line, to reject duplicated numbering
	kind    sectionKind
	secNum  int
	secHead string   // "三、加快推动绿色低碳发展"
	subNum  int      // 0 before the section's first subsection
	subHead string   // "(一)全力推进二氧化碳排放达峰行动"
	count   int      // tasks so far in the subsection
	outline []string // section headings with their kind, for tests
}

// Parse turns a 工作要点-style plan (UTF-8 text or Markdown) into a plan and
// its tasks, following DESIGN.md §4:
//   - the first non-blank line is the title; the plan year comes from it;
//   - text before the first section is the plan's Intro;
//   - sections are "三、…"; subsections "(一)…" or "（一）…";
//   - 总体要求-type sections hold no tasks; 主要目标-type sections give
//     plan Indicators (one per sentence), not tasks;
//   - a section's text before its first subsection is an intro, not a task;
//   - a subsection's first sentence is its title; every following sentence,
//     including those of unmarked paragraphs after it, is a task;
//   - sentences end at 。；！？;!? outside brackets and quotes; a line that
//     does not end a sentence joins the next non-blank line (see paragraphs);
//     lines holding only spaces, NBSP or U+3000 are blank;
//   - Markdown marks (# headings, **bold**, list markers) are stripped;
//   - 创建时间:… (anywhere, usually last) goes to Plan.Created.
//
// Task.Section is "三、加快推动绿色低碳发展 / (一)全力推进二氧化碳排放达峰行动",
// markers as written in the document and titles without final punctuation.
//
// Task IDs are "S.U.N": the section and subsection numbers as written in the
// document and the task's 1-based index in its subsection, so re-parsing the
// same document yields the same IDs. Duplicated numbering (two 三、 sections
// both with tasks) is an error rather than a silent renumbering. Tasks get
// their numeric target and deadline hint from the sentence (see target and
// deadline), status not_started and no lead; SuggestOwners fills leads.
//
// source names the document (a file name, or BundledName) and is kept in
// Plan.Source. Errors are short Chinese sentences meant for the user.
func Parse(doc []byte, source string) (*store.Plan, []*store.Task, error) {
	p, err := parse(doc, source)
	if err != nil {
		return nil, nil, err
	}
	return p.plan, p.tasks, nil
}

// parse does the work of Parse and keeps the parser, whose outline the tests read.
func parse(doc []byte, source string) (*parser, error) {
	if err := checkText(doc); err != nil {
		return nil, err
	}
	paras := paragraphs(string(doc))
	if len(paras) == 0 || paras[0].meta {
		return nil, errors.New("计划文件没有标题和正文")
	}
	if m := markerOf(paras[0].text); m != nil {
		return nil, fmt.Errorf("第%d行: 缺少标题,第一行应为计划标题(如“2021年…工作要点”),而不是章节“%s”", paras[0].line, m.label)
	}
	p := &parser{
		plan: &store.Plan{Title: trimEnd(paras[0].text), Source: source},
		ids:  map[string]int{},
	}
	var intro []string
	for _, para := range paras[1:] {
		if para.meta {
			if p.plan.Created == "" {
				p.plan.Created = para.text
			}
			continue
		}
		if m := markerOf(para.text); p.secNum == 0 && (m == nil || m.sub) {
			intro = append(intro, para.text)
			continue
		}
		if para.heading && markerOf(para.text) == nil {
			continue // an unnumbered Markdown heading (## 附件) is not a task
		}
		if err := p.paragraph(para); err != nil {
			return nil, err
		}
	}
	p.plan.Intro = strings.Join(intro, "\n")
	if p.secNum == 0 {
		return nil, errors.New("未找到任何章节:计划正文应按“一、…”分章节,按“(一)…”分小节")
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return p, nil
}

// paragraph handles one paragraph after the first section marker.
func (p *parser) paragraph(para para) error {
	text := para.text
	if m := markerOf(text); m != nil && !m.sub {
		head, rest := headAndRest(m.rest)
		p.secNum, p.secHead, p.subNum, p.subHead, p.count = m.num, m.label+head, 0, "", 0
		p.kind = kindOf(head)
		p.outline = append(p.outline, p.kind.String()+" "+p.secHead)
		return p.body(rest, para.line, false)
	}
	if m := markerOf(text); m != nil {
		head, rest := headAndRest(m.rest)
		p.subNum, p.subHead, p.count = m.num, m.label+head, 0
		return p.body(rest, para.line, true)
	}
	return p.body(text, para.line, p.subNum > 0)
}

// headAndRest splits a marker's text into its title (first sentence, without
// its final punctuation) and the sentences after it. Some plans end a title
// with a colon instead ("(一)精准治气:完成85家…"); a colon within the first
// 40 characters, before any comma, ends the title too.
func headAndRest(s string) (string, string) {
	ss := splitSentences(s)
	if len(ss) == 0 {
		return trimEnd(s), ""
	}
	first := ss[0]
	if i := strings.IndexAny(first, ":："); i > 0 && utf8.RuneCountInString(first[:i]) <= 40 && !strings.ContainsAny(first[:i], ",，；;") && !isDigitAt(first, i-1) {
		_, size := utf8.DecodeRuneInString(first[i:])
		if rest := strings.TrimFunc(first[i+size:], isSpace); hasWord(rest) {
			return trimEnd(first[:i]), rest + strings.Join(ss[1:], "")
		}
	}
	return trimEnd(first), strings.Join(ss[1:], "")
}

// isDigitAt reports whether s[i] is an ASCII digit (08:29 is a time, not a
// title colon).
func isDigitAt(s string, i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }

// body turns the sentences of text into tasks or indicators, depending on the
// section kind and on whether a subsection has started.
func (p *parser) body(text string, line int, inSub bool) error {
	if text == "" {
		return nil
	}
	switch {
	case p.kind == kindIndicators:
		for _, s := range splitSentences(text) {
			v, unit := target(s)
			p.plan.Indicators = append(p.plan.Indicators, store.Indicator{Text: s, Target: v, Unit: unit})
		}
		return nil
	case p.kind == kindNoTasks || !inSub:
		return nil // guidance, or a section intro
	}
	for _, s := range splitSentences(text) {
		p.count++
		id := strconv.Itoa(p.secNum) + "." + strconv.Itoa(p.subNum) + "." + strconv.Itoa(p.count)
		if first, dup := p.ids[id]; dup {
			return fmt.Errorf("第%d行: 任务编号 %s 与第%d行重复,请检查章节或小节编号是否重复", line, id, first)
		}
		p.ids[id] = line
		v, unit := target(s)
		p.tasks = append(p.tasks, &store.Task{
			ID:      id,
			Section: p.secHead + " / " + p.subHead,
			Text:    s,
			Target:  v,
			Unit:    unit,
			Status:  store.StatusNotStarted,
		})
	}
	return nil
}

// String names the kind for the test outline.
func (k sectionKind) String() string {
	return [...]string{"tasks", "notasks", "indicators"}[k]
}

func kindOf(title string) sectionKind {
	switch {
	case containsAny(title, noTaskTitles):
		return kindNoTasks
	case containsAny(title, indicatorTitles):
		return kindIndicators
	}
	return kindTasks
}

// finish fixes the plan year and ID and fills what depends on them: each
// task's PlanID and deadline hint. Deadlines need the year, so they wait until
// the Created metadata (the year's fallback) has been read.
func (p *parser) finish() error {
	m := reTitleYear.FindStringSubmatch(p.plan.Title)
	if m == nil {
		m = reTitleYear.FindStringSubmatch(strings.Replace(p.plan.Created, "-", "年", 1))
	}
	if m == nil {
		return fmt.Errorf("无法确定计划年度:标题“%s”中应含年份(如“2021年…”)", p.plan.Title)
	}
	p.plan.Year, _ = strconv.Atoi(m[1])
	if len(p.tasks) == 0 {
		return errors.New("未找到任何任务:任务应写在“(一)…”小节标题句之后")
	}
	sum := sha256.Sum256([]byte(p.plan.Title))
	p.plan.ID = strconv.Itoa(p.plan.Year) + "-" + hex.EncodeToString(sum[:4])
	for _, t := range p.tasks {
		t.PlanID = p.plan.ID
		t.Deadline, t.Cadence = deadline(t.Text, p.plan.Year)
	}
	return nil
}
