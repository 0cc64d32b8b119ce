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
	kindReview                        // 工作回顾-type: a report on the past
)

// Section titles that hold no tasks, or hold indicators. Matched as
// substrings of the section title, so "一、指导思想和总体要求" counts too.
var (
	noTaskTitles    = []string{"总体要求", "指导思想", "总体思路", "基本原则", "工作原则", "总体部署", "政策取向", "总体考虑", "面临的形势", "形势分析"}
	indicatorTitles = []string{"主要目标", "工作目标", "总体目标", "发展目标", "目标指标"}
)

// reTitleYear finds the plan year in the title (2021年…); the Created
// metadata's year is the fallback.
var reTitleYear = regexp.MustCompile(`((?:19|20)\d{2})\s*年`)

// parser carries the state of one Parse call.
type parser struct {
	plan    *store.Plan
	opt     Options
	tasks   []*store.Task
	notes   map[*store.Task]note // the subsection heading's note, inherited
	skipped []Skipped
	ids     map[string]int // task ID → line, to reject duplicated numbering
	kind    sectionKind
	secNum  int
	secHead string   // "三、加快推动绿色低碳发展"
	subNum  int      // 0 before the section's first subsection
	subHead string   // "(一)全力推进二氧化碳排放达峰行动"
	subNote *note    // the note in the subsection's heading, if any
	count   int      // tasks so far in the subsection
	outline []string // section headings with their kind, for tests

	pending   []pending             // a section's text before its first subsection
	itemKind  string                // the item marker kind that makes tasks here
	open      *store.Task           // the numbered item still collecting paragraphs
	last      *store.Task           // the last task made, for notes that follow it
	closing   bool                  // the closing remarks have begun
	attach    bool                  // inside a 附件 list
	years     []int                 // years named by task-section titles
	indLines  []int                 // the line of each plan indicator, for restart
	ranges    []string              // targets read from a range, for the preview
	lastItem  int                   // the number of the last item, to read "11.121…"
	signed    bool                  // a signature block came after the first section
	heads     []pending             // section headings so far, listed if a restart drops them
	openParts []string              // paragraphs collected by the open item, glued once
	lines     map[*store.Task]*note // owners from 牵头单位：/责任单位： lines
	pendOpen  bool                  // the last pending entry is an item still collecting paragraphs
	subLine   int                   // the current subsection's line
	subRaw    string                // its first sentence as written, "" once handled
}

// endSub closes a subsection that gave no task: a heading that is itself a
// piece of work (a long sentence with a comma: "（三）加快老旧小区改造，
// 年底前完成100个小区。") becomes its one task; a bare heading is listed
// as skipped, so nothing disappears silently.
func (p *parser) endSub() error {
	raw := p.subRaw
	p.subRaw = ""
	if raw == "" || p.count > 0 || p.subNum == 0 || p.kind != kindTasks {
		return nil
	}
	if utf8.RuneCountInString(raw) >= 20 && strings.ContainsAny(raw, "，,；;") {
		_, err := p.addTask(raw, p.subLine)
		return err
	}
	p.skip(p.subLine, raw, "小节标题，其下无任务")
	return nil
}

// firstSentence is a marker's first sentence as written.
func firstSentence(s string) string {
	if ss := splitSentences(s); len(ss) > 0 {
		return ss[0]
	}
	return strings.TrimFunc(s, isSpace)
}

// current is the task a following note line belongs to: the open item, or
// the last task made.
func (p *parser) current() *store.Task {
	if p.open != nil {
		return p.open
	}
	return p.last
}

// lineNote records a 牵头单位：/责任单位：/配合单位： line under a task. A
// 责任单位 line after a 牵头单位 line names co-departments; alone, its first
// department leads.
func (p *parser) lineNote(t *store.Task, text string) {
	label, rest := cutLabel(text)
	ds := deptList(rest)
	if p.lines == nil {
		p.lines = map[*store.Task]*note{}
	}
	n := p.lines[t]
	if n == nil {
		n = &note{}
		p.lines[t] = n
	}
	switch {
	case len(ds) == 0:
	case strings.HasPrefix(label, "牵头") || strings.HasPrefix(label, "主责") || n.lead == "" && !strings.HasPrefix(label, "配合") && !strings.HasPrefix(label, "协办"):
		if n.lead == "" {
			n.lead, ds = ds[0], ds[1:]
		}
		n.co = append(n.co, ds...)
	default:
		n.co = append(n.co, ds...)
	}
}

// closeOpen glues the paragraphs the open item collected onto its text, once,
// so an item followed by thousands of paragraphs stays linear.
func (p *parser) closeOpen() {
	if p.open != nil && len(p.openParts) > 0 {
		p.open.Text += strings.Join(p.openParts, "")
	}
	p.open, p.openParts, p.pendOpen = nil, nil, false
}

// restart forgets what came before the plan body: a 印发通知 whose own
// points were numbered 一、二、 and ended with a signature. Its tasks
// become skipped paragraphs.
func (p *parser) restart() {
	for _, h := range p.heads {
		p.skip(h.line, h.text, "印发通知")
	}
	for _, pe := range p.pending {
		p.skip(pe.line, pe.text, "印发通知")
	}
	for _, t := range p.tasks {
		p.skip(p.ids[t.ID], t.Text, "印发通知")
	}
	for i, in := range p.plan.Indicators {
		p.skip(p.indLines[i], in.Text, "印发通知")
	}
	p.plan.Indicators, p.indLines = nil, nil
	p.tasks, p.ids, p.notes, p.lines = nil, map[string]int{}, map[*store.Task]note{}, nil
	p.closeOpen()
	p.secNum, p.subNum, p.count, p.last, p.signed, p.closing = 0, 0, 0, nil, false, false
	p.years, p.lastItem, p.itemKind, p.pending, p.heads = nil, 0, "", nil, nil
	p.subRaw = ""
}

// pending is a sentence (or numbered item) of a section's intro: it becomes
// a task S.0.n if the section never opens a subsection, else it is skipped.
type pending struct {
	line  int
	text  string
	item  bool
	notes []string // 牵头单位：/责任单位： lines under an item
}

// Options tune Parse for a document: Year overrides whatever year the
// document names (--year), and Notes receives explanations for the preview.
type Options struct {
	Year int
}

// Parse turns a 工作要点-style plan (UTF-8 text or Markdown) into a plan and
// its tasks, as follows:
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
// Real plans from other governments add shapes (issue 10), read the same way:
//   - review sections (2014年工作回顾), closing remarks (各位代表！…), 附件
//     lists, signature blocks and a 印发通知 before the body give no tasks;
//     ParseFile lists each skipped paragraph with its reason;
//   - numbered items (1. （1） ①) inside a subsection are one task each:
//     the item with its explanation and note, up to the next item;
//   - a section with no subsections gives tasks S.0.n from its text;
//   - a responsibility note (（X牵头，Y参与）, 牵头单位：…) names the task's
//     owners, confirmed: it stays with the sentence it follows;
//   - the plan year also comes from the first lines, a document number
//     (国发〔2019〕5号), a task section's title or the signature date.
//
// Task.Section is "三、加快推动绿色低碳发展 / (一)全力推进二氧化碳排放达峰行动",
// markers as written in the document and titles without final punctuation.
//
// Task IDs are "S.U.N": the section and subsection numbers as written in the
// document and the task's 1-based index in its subsection, so re-parsing the
// same document yields the same IDs. Duplicated numbering (two 三、 sections
// both with tasks) is an error rather than a silent renumbering. Tasks get
// their numeric target and deadline hint from the sentence (see target and
// deadline), status not_started and no lead unless the text names one;
// SuggestOwners fills the others.
//
// source names the document (a file name, or BundledName) and is kept in
// Plan.Source. Errors are short Chinese sentences meant for the user.
func Parse(doc []byte, source string) (*store.Plan, []*store.Task, error) {
	p, err := parse(doc, source, Options{})
	if err != nil {
		return nil, nil, err
	}
	return p.plan, p.tasks, nil
}

// parse does the work of Parse and keeps the parser, whose outline the tests read.
func parse(doc []byte, source string, opt Options) (*parser, error) {
	if err := checkText(doc); err != nil {
		return nil, err
	}
	return parseText(string(doc), source, opt)
}

// parseText parses a document already decoded to UTF-8. A plan with no
// 一、 sections at all but （一） subsections or 1. items (a short 工作要点)
// is read as one implicit section 1 named by its title, rather than refused.
func parseText(doc, source string, opt Options) (*parser, error) {
	p, err := parseTextBody(doc, source, opt)
	if err == nil {
		p.plan.Issuer = issuerOf(p.skipped)
	}
	return p, err
}

// issuerOf names the bureau that issued a plan: its 落款单位 line, else
// its letterhead (某某局文件), else "".
func issuerOf(skipped []Skipped) string {
	for _, s := range skipped {
		if s.Reason == "落款单位" {
			return strings.TrimSpace(s.Text)
		}
	}
	for _, s := range skipped {
		if s.Reason == "文头" {
			return strings.TrimSpace(strings.TrimSuffix(s.Text, "文件"))
		}
	}
	return ""
}

func parseTextBody(doc, source string, opt Options) (*parser, error) {
	p, err := parseWith(doc, source, opt, false)
	if errors.Is(err, errNoSections) {
		if q, err2 := parseWith(doc, source, opt, true); err2 == nil {
			return q, nil
		}
	}
	return p, err
}

var errNoSections = errors.New("未找到任何章节:计划正文应按“一、…”分章节,按“(一)…”分小节")

func parseWith(doc, source string, opt Options, implicit bool) (*parser, error) {
	paras := paragraphs(doc)
	if len(paras) == 0 || paras[0].meta {
		return nil, errors.New("计划文件没有标题和正文")
	}
	if m := markerOf(paras[0].text); m != nil {
		return nil, fmt.Errorf("第%d行: 缺少标题,第一行应为计划标题(如“2021年…工作要点”),而不是章节“%s”", paras[0].line, m.label)
	}
	var top []Skipped // 文头 and 发文字号 above the title
	for len(paras) > 1 {
		if isLetterhead(paras[0].text) {
			top = append(top, Skipped{Line: paras[0].line, Text: paras[0].text, Reason: "文头"})
		} else if r, ok := signature(paras[0].text); ok && r == "发文字号" {
			top = append(top, Skipped{Line: paras[0].line, Text: paras[0].text, Reason: r})
		} else {
			break
		}
		paras = paras[1:] // 某某人民政府文件 / 某政发〔2023〕2号: not the title
	}
	if len(paras) > 2 && splitTitle(paras[0].text, paras[1].text) {
		// 广东省人民政府办公厅关于印发广东省 / 进一步…实施方案的通知: a
		// title broken over lines (the second half already joined).
		paras[1].text = paras[0].text + paras[1].text
		paras = paras[1:]
	}
	p := &parser{
		plan:  &store.Plan{Title: trimEnd(paras[0].text), Source: source},
		opt:   opt,
		ids:   map[string]int{},
		notes: map[*store.Task]note{},
	}
	p.skipped = append(p.skipped, top...)
	var intro []string
	for _, para := range paras[1:] {
		if para.meta {
			if p.plan.Created == "" {
				p.plan.Created = para.text
			}
			continue
		}
		if m := markerOf(para.text); implicit && p.secNum == 0 && (m != nil && m.sub || itemOf(para.text) != nil) {
			p.secNum, p.secHead, p.kind = 1, p.plan.Title, kindTasks
			p.outline = append(p.outline, "tasks "+p.secHead)
		}
		if m := markerOf(para.text); p.secNum == 0 && (m == nil || m.sub) {
			intro = append(intro, para.text)
			p.skip(para.line, para.text, introReason(para.text))
			continue
		}
		if para.heading && markerOf(para.text) == nil && !isClosing(para.text) {
			p.skip(para.line, para.text, "无编号的标题")
			continue // an unnumbered Markdown heading (## 附件) is not a task
		}
		if err := p.paragraph(para); err != nil {
			return nil, err
		}
	}
	p.closeOpen()
	p.plan.Intro = strings.Join(intro, "\n")
	if p.secNum == 0 {
		return nil, errNoSections
	}
	if err := p.endSection(); err != nil {
		return nil, err
	}
	if err := p.finish(paras); err != nil {
		return nil, err
	}
	return p, nil
}

// introReason says why text before the first section is not a task.
func introReason(s string) string {
	if r, ok := signature(s); ok {
		return r
	}
	if (strings.HasSuffix(s, "：") || strings.HasSuffix(s, ":")) && utf8.RuneCountInString(s) <= 80 && !containsAny(s, enumerationLeads) && !strings.ContainsAny(s, "。；") {
		return "称谓"
	}
	if strings.Contains(s, "印发给你们") || strings.Contains(s, "现印发") || strings.Contains(s, "请认真贯彻") || strings.HasSuffix(s, "：") && utf8.RuneCountInString(s) < 60 {
		return "印发通知"
	}
	return "正文前的引言"
}

// skip records a paragraph (or sentence) that produced no task.
func (p *parser) skip(line int, text, reason string) {
	p.skipped = append(p.skipped, Skipped{Line: line, Text: shorten(text), Reason: reason})
}

// paragraph handles one paragraph after the first section marker.
func (p *parser) paragraph(para para) error {
	text := para.text
	if p.closing {
		p.skip(para.line, text, "结束语")
		return nil
	}
	if isClosing(text) && len(p.tasks)+len(p.pending) > 0 {
		p.closing = true
		p.closeOpen()
		if err := p.endSub(); err != nil {
			return err
		}
		p.skip(para.line, text, "结束语")
		return nil
	}
	m := markerOf(text)
	if p.attach && m != nil && !m.sub && m.num <= p.secNum {
		p.skip(para.line, text, "附件") // an attached table's own 一、 rows
		return nil
	}
	if m == nil || m.sub {
		if isAttachment(text) {
			p.closeOpen()
			if err := p.endSub(); err != nil {
				return err
			}
			p.attach = true
			p.skip(para.line, text, "附件")
			return nil
		}
		if r, ok := signature(text); ok {
			p.closeOpen()
			p.signed = true
			p.skip(para.line, text, r)
			return nil
		}
		if p.attach {
			p.skip(para.line, text, "附件")
			return nil
		}
	}
	if m != nil && !m.sub && m.num == 1 && p.secNum > 0 && p.signed {
		p.restart() // the 印发通知 had numbered points; the plan starts here
	}
	if m != nil && !m.sub {
		if err := p.endSection(); err != nil {
			return err
		}
		head, rest := headAndRest(m.rest)
		p.secNum, p.secHead, p.subNum, p.subHead, p.count = m.num, m.label+head, 0, "", 0
		p.closeOpen()
		p.subNote, p.itemKind, p.attach = nil, "", false
		p.kind = kindOf(head)
		p.outline = append(p.outline, p.kind.String()+" "+p.secHead)
		p.heads = append(p.heads, pending{line: para.line, text: p.secHead})
		if p.kind == kindTasks {
			if y := yearIn(head, false); y > 0 {
				p.years = append(p.years, y)
			}
		}
		if p.kind == kindTasks && rest != "" && isNoteOnly(rest) {
			// "十二、对…成效明显的省（区、市），…。（科技部负责）": a section
			// that is one measure with its note is one task, S.0.1.
			p.pending = append(p.pending, pending{line: para.line, text: m.rest, item: true})
			return nil
		}
		return p.body(rest, para.line, false)
	}
	if m != nil {
		p.flushPending(true)
		if err := p.endSub(); err != nil {
			return err
		}
		head, rest := headAndRest(m.rest)
		p.subNum, p.subHead, p.count = m.num, m.label+head, 0
		p.subLine, p.subRaw = para.line, firstSentence(m.rest)
		p.closeOpen()
		p.subNote, p.itemKind = nil, ""
		if n, ok := noteIn(head); ok {
			p.subNote = &n
		}
		return p.body(rest, para.line, true)
	}
	it := itemOf(text)
	if it == nil && (p.itemKind == "1." || p.itemKind == "") {
		// "11.121人才梯队项目", "1.2020年底前…": a number right after the
		// dot is an item when it continues the sequence (or starts one with
		// a year), not a decimal.
		if loose := itemOfLoose(text); loose != nil && (p.itemKind == "1." && loose.num == p.lastItem+1 ||
			p.itemKind == "" && (loose.num == 1 || loose.num == p.lastItem+1) && reYearStart.MatchString(loose.rest)) {
			it = loose
		}
	}
	if it != nil && p.kind == kindIndicators {
		text = it.rest // an indicator's own number is not its text
		if ss := splitSentences(text); len(ss) > 1 && utf8.RuneCountInString(ss[0]) <= 10 && !strings.ContainsAny(ss[0], "0123456789") {
			text = strings.Join(ss[1:], "") // "1.目标。" labels the indicator
		}
		return p.body(text, para.line, p.subNum > 0)
	}
	if it != nil && p.kind == kindTasks {
		if p.itemKind == "" {
			p.itemKind = it.kind
		}
		if it.kind == p.itemKind {
			p.lastItem = it.num
			return p.startItem(it, para.line)
		}
	}
	if k := len(p.pending); p.pendOpen && k > 0 {
		if isLabelLine(text) {
			p.pending[k-1].notes = append(p.pending[k-1].notes, text)
		}
		p.pending[k-1].text += text // a section-level item's explanation, continued
		return nil
	}
	if p.kind == kindTasks && p.subNum > 0 && p.count == 0 && p.open == nil && p.subRaw != "" && isLabelLine(text) {
		// "(一)地区生产总值增长7%以上" + "责任单位:区发展和改革局": a
		// subsection that is one task, its heading, with its owner line.
		if _, err := p.addTask(p.subRaw, p.subLine); err != nil {
			return err
		}
		p.subRaw = ""
	}
	if t := p.current(); t != nil && p.kind == kindTasks && isLabelLine(text) {
		p.lineNote(t, text) // 牵头单位：… / 责任单位：… on lines of their own
	}
	if p.open != nil {
		p.openParts = append(p.openParts, text) // the item's explanation, continued
		return nil
	}
	return p.body(text, para.line, p.subNum > 0)
}

// startItem opens a numbered item: one task (or pending S.0.n task) that
// collects the paragraphs after it until the next item or marker.
func (p *parser) startItem(it *item, line int) error {
	if p.subNum == 0 {
		p.closeOpen()
		p.pending = append(p.pending, pending{line: line, text: it.rest, item: true})
		p.pendOpen = true
		return nil
	}
	t, err := p.addTask(it.rest, line)
	p.closeOpen()
	p.open = t
	return err
}

// flushPending decides a section's intro text once its shape is known: it
// is skipped when a subsection follows (sub), else each sentence or item is
// a task numbered S.0.n.
func (p *parser) flushPending(sub bool) {
	if len(p.pending) == 0 {
		return
	}
	for _, pe := range p.pending {
		p.skip(pe.line, pe.text, "章节导语")
	}
	p.pending = nil
}

// endSection turns a section's pending intro into S.0.n tasks when the
// section had no subsection at all.
func (p *parser) endSection() error {
	if err := p.endSub(); err != nil {
		return err
	}
	if len(p.pending) == 0 {
		return nil
	}
	pend := p.pending
	p.pending = nil
	if p.subNum != 0 || p.kind != kindTasks {
		for _, pe := range pend {
			p.skip(pe.line, pe.text, "章节导语")
		}
		return nil
	}
	for _, pe := range pend {
		t, err := p.addTask(pe.text, pe.line)
		if err != nil {
			return err
		}
		for _, n := range pe.notes {
			p.lineNote(t, n)
		}
	}
	return nil
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
			p.indLines = append(p.indLines, line)
		}
		return nil
	case p.kind == kindNoTasks:
		p.skip(line, text, "总体要求类章节，不含任务")
		return nil
	case p.kind == kindReview:
		p.skip(line, text, "工作回顾，不是任务")
		return nil
	}
	if isNoteOnly(text) && p.last != nil {
		p.last.Text += text // a note on its own line belongs to the task above
		return nil
	}
	for _, s := range splitSentences(text) {
		if n, rest := leadingNote(s); n != "" {
			if p.last != nil && (inSub || len(p.pending) == 0) {
				p.last.Text += n
			} else if k := len(p.pending); k > 0 {
				p.pending[k-1].text += n
			}
			if s = rest; !hasWord(s) {
				continue
			}
		}
		if introducesList(s) {
			p.skip(line, s, "引出下列条目的导语")
			continue
		}
		if !inSub {
			p.pending = append(p.pending, pending{line: line, text: s})
			continue
		}
		if _, err := p.addTask(s, line); err != nil {
			return err
		}
	}
	return nil
}

// introducesList reports whether a sentence only introduces what follows
// (实施如下重点项目：): it ends with a colon.
func introducesList(s string) bool {
	s = strings.TrimRightFunc(s, isSpace)
	return strings.HasSuffix(s, "：") || strings.HasSuffix(s, ":")
}

// addTask appends a task to the current subsection (or S.0 for a section
// without one).
func (p *parser) addTask(text string, line int) (*store.Task, error) {
	p.count++
	id := strconv.Itoa(p.secNum) + "." + strconv.Itoa(p.subNum) + "." + strconv.Itoa(p.count)
	if first, dup := p.ids[id]; dup {
		return nil, fmt.Errorf("第%d行: 任务编号 %s 与第%d行重复,请检查章节或小节编号是否重复", line, id, first)
	}
	p.ids[id] = line
	section := p.secHead + " / " + p.subHead
	if p.subNum == 0 {
		section = p.secHead
	}
	t := &store.Task{ID: id, Section: section, Text: text, Status: store.StatusNotStarted}
	if p.subNote != nil {
		p.notes[t] = *p.subNote
	}
	p.tasks = append(p.tasks, t)
	p.last = t
	return t, nil
}

// String names the kind for the test outline.
func (k sectionKind) String() string {
	return [...]string{"tasks", "notasks", "indicators", "review"}[k]
}

func kindOf(title string) sectionKind {
	switch {
	case utf8.RuneCountInString(title) > 40:
		return kindTasks // a section that is one long measure, not a titled part
	case containsAny(title, reviewTitles) && !containsAny(title, planWords):
		return kindReview
	case containsAny(title, noTaskTitles):
		return kindNoTasks
	case containsAny(title, indicatorTitles):
		return kindIndicators
	}
	return kindTasks
}

// planWords keep "工作总结和2015年工作计划"-type titles a task section.
var planWords = []string{"计划", "要点", "安排", "任务", "打算", "思路"}

// finish fixes the plan year and ID and fills what depends on them: each
// task's PlanID, deadline hint, target and named owners. Deadlines need the
// year, so they wait until the whole document has been read.
func (p *parser) finish(paras []para) error {
	year := p.opt.Year
	if year == 0 {
		year = p.findYear(paras)
	}
	if year == 0 {
		return fmt.Errorf("无法确定计划年度:标题“%s”中应含年份(如“2021年…”);也可用 --year 指定年度", p.plan.Title)
	}
	p.plan.Year = year
	if len(p.tasks) == 0 {
		var only []string // sections that never hold tasks: 总体要求, 主要目标
		for _, o := range p.outline {
			if k, title, _ := strings.Cut(o, " "); k == "notasks" || k == "indicators" || k == "review" {
				only = append(only, title)
			}
		}
		if len(only) > 0 && len(only) == len(p.outline) {
			return fmt.Errorf("未找到任何任务:文中只有总体要求、目标或回顾类章节(%s),没有可分解为任务的章节;任务应写在“(一)…”小节标题句之后", strings.Join(only, "、"))
		}
		return errors.New("未找到任何任务:任务应写在“(一)…”小节标题句之后")
	}
	p.plan.Title = planTitle(p.plan.Title)
	sum := sha256.Sum256([]byte(p.plan.Title))
	p.plan.ID = strconv.Itoa(p.plan.Year) + "-" + hex.EncodeToString(sum[:4])
	horizon := horizonOf(p.plan.Title, year)
	for _, t := range p.tasks {
		t.PlanID = p.plan.ID
		t.Deadline, t.Cadence = deadlineIn(t.Text, year, horizon)
		var lower bool
		t.Target, t.Unit, lower = targetRange(t.Text)
		if lower {
			p.ranges = append(p.ranges, t.ID)
		}
		n, ok := noteIn(t.Text)
		if ln := p.lines[t]; ln != nil && ln.lead != "" {
			n, ok = *ln, true
		}
		if !ok {
			n, ok = p.notes[t]
		}
		if ok {
			t.Lead, t.CoDepts = n.lead, n.co
		}
	}
	return nil
}

// findYear reads the plan year from where real documents put it, first
// found wins: the title (the year before 计划/要点 when it names two), a
// task section's title (二、2015年工作计划), the first lines (——2024年3月5日
// 在…), a document number (国发〔2019〕5号), a signature date, the 创建时间.
// A year from a document number or signature is moved to the next year
// when the tasks' own dated deadlines all fall in it (a plan signed in
// December for the coming year).
func (p *parser) findYear(paras []para) int {
	if m := reTitleSpan.FindStringSubmatch(p.plan.Title); m != nil {
		return atoi(m[1]) // 三年行动计划（2018—2020年）starts in 2018
	}
	if y := yearIn(p.plan.Title, false); y > 0 {
		return y
	}
	if len(p.years) > 0 {
		return p.years[0]
	}
	if y := yearIn(p.plan.Title, true); y > 0 {
		return y
	}
	for i := 1; i < len(paras) && i <= 3; i++ {
		if markerOf(paras[i].text) != nil {
			break
		}
		if utf8.RuneCountInString(paras[i].text) <= 60 {
			if y := yearIn(paras[i].text, true); y > 0 {
				return y
			}
		}
	}
	weak := 0
	for _, para := range paras {
		if m := reDocNumber.FindStringSubmatch(para.text); m != nil && utf8.RuneCountInString(para.text) <= 40 {
			weak, _ = strconv.Atoi(m[1])
			break
		}
	}
	if weak == 0 {
		for _, para := range paras {
			if m := reDateLine.FindStringSubmatch(para.text); m != nil {
				weak, _ = strconv.Atoi(m[1])
				break
			}
		}
	}
	if weak == 0 {
		if m := reTitleYear.FindStringSubmatch(strings.Replace(p.plan.Created, "-", "年", 1)); m != nil {
			return atoi(m[1])
		}
		for _, para := range paras {
			if m := reYearFrom.FindStringSubmatch(para.text); m != nil {
				return atoi(m[1] + m[2])
			}
		}
		return 0
	}
	next, same := p.datedYears(weak)
	if next > 0 && same == 0 {
		return weak + 1
	}
	if same == 0 && signedInDecember(paras, weak) {
		return weak + 1 // signed in late December, no work dated that year: it is for the next
	}
	return weak
}

// reSignMonth: the month of a signature date line.
var reSignMonth = regexp.MustCompile(`((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月`)

// signedInDecember reports whether the document's signature date (a date
// alone on its line) is in December of year.
func signedInDecember(paras []para, year int) bool {
	for _, para := range paras {
		if reDateLine.MatchString(para.text) {
			m := reSignMonth.FindStringSubmatch(para.text)
			return m != nil && atoi(m[1]) == year && atoi(m[2]) == 12
		}
	}
	return false
}

// datedYears counts tasks whose dated deadlines (2020年6月底前) fall in
// year+1 and in year.
func (p *parser) datedYears(year int) (next, same int) {
	for _, t := range p.tasks {
		for _, m := range reDayHint.FindAllStringSubmatch(t.Text, -1) {
			switch atoi(m[1]) {
			case year + 1:
				next++
			case year:
				same++
			}
		}
	}
	return next, same
}

// reYearFrom: the start a multi-year plan names in its body (2012年起5年内,
// 从2019年开始), the last resort for a plan year.
var reYearFrom = regexp.MustCompile(`((?:19|20)\d{2})\s*年(?:起|开始)|从((?:19|20)\d{2})\s*年`)

// reYearStart: text opening with a year (2020年底前…).
var reYearStart = regexp.MustCompile(`^(?:19|20)\d{2}\s*年`)

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
