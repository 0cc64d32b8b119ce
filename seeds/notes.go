package seeds

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A responsibility note names a task's owners in the text itself:
//
//	（生态环境部牵头，国家发展改革委、工业和信息化部参与）
//	（牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局）
//	（市教育局负责） （省科技厅指导） 责任单位：市财政局、市审计局
//
// The first department named as lead is the task's lead; every other
// department named is a co-department. Group words that are not
// departments (各区、县级市; 各有关单位) are left out.
type note struct {
	lead string
	co   []string
}

var (
	// reNoteLabeled: 牵头单位：…，配合单位：… (also 责任单位/主办/协办 and 部门/处室).
	reNoteLabeled = regexp.MustCompile(`^(?:牵头|责任|主责|主办)(?:单位|部门|处室)\s*[:：]\s*(.+?)(?:\s*[；;，,]\s*(?:配合|协办|参与|协同|参加|责任)(?:单位|部门|处室)\s*[:：]\s*(.+))?$`)
	// reNoteLead: X牵头，Y、Z参与/配合/负责.
	reNoteLead = regexp.MustCompile(`^(.+?)(?:共同)?牵头(?:负责)?(?:\s*[，,；;、]\s*(.+?))?$`)
	// reNoteDuty: X、Y（按职责分工）负责 / 指导 / 落实.
	reNoteDuty = regexp.MustCompile(`^(.+?)(?:按职责分工|按照职责分工|按职责|分别|依职责)?(?:负责|指导)$`)
	// reCoTail: the verb after the co-departments.
	reCoTail = regexp.MustCompile(`(?:等部门|等单位)?(?:按职责分工|按照职责分工|按职责|分别)?(?:参与|配合|协同|参加|负责|共同负责|落实)$`)
	// reEtcEnd: 等有关部门 after the last department named.
	reEtcEnd = regexp.MustCompile(`等(?:[省市区县])?(?:直|级)?(?:有关|相关)(?:部门|单位|机构)$`)
	// reEtcAll: 等有关部门和单位 closing a list: nothing more is named.
	reEtcAll = regexp.MustCompile(`等(?:[省市区县])?(?:直|级)?(?:有关|相关)?(?:部门|单位|机构)(?:和|及|以及)(?:有关|相关)?(?:部门|单位|机构)$`)
	// reEtcGroup: 等省有关部门和 / 等市直相关单位及 inside a list of departments.
	reEtcGroup = regexp.MustCompile(`等(?:(?:[省市区县])?(?:直|级)?(?:有关|相关)?(?:部门|单位|机构))?(?:和|及|以及|、)`)
	// reLabelTail: 责任单位：… at the end of an item, outside brackets.
	reLabelTail = regexp.MustCompile(`(?:牵头|责任|主责)(?:单位|部门|处室)\s*[:：]\s*[^。；;]+$`)
)

// parseNote reads the inside of a bracket (or a trailing 责任单位：… clause)
// as a responsibility note. ok is false for ordinary brackets.
func parseNote(s string) (note, bool) {
	s = strings.TrimFunc(s, isSpace)
	s = strings.TrimRight(s, "。；;")
	// （责任单位：…；完成时限：2019年底前）: the deadline part is not a department.
	if i := strings.IndexAny(s, "；;"); i > 0 && containsAny(s[i:], []string{"完成时限", "完成时间", "时间节点", "时限"}) {
		s = strings.TrimRight(s[:i], "，, ")
	}
	if s == "" || utf8.RuneCountInString(s) > 200 || strings.ContainsAny(s, "（()）") {
		return note{}, false
	}
	if strings.Contains(s, "。") || !reNoteLabeled.MatchString(s) && !reNoteLead.MatchString(s) && !reNoteDuty.MatchString(s) {
		return clauseNote(s)
	}
	var leads, cos string
	switch {
	case reNoteLabeled.MatchString(s):
		m := reNoteLabeled.FindStringSubmatch(s)
		leads, cos = m[1], m[2]
	case reNoteLead.MatchString(s):
		m := reNoteLead.FindStringSubmatch(s)
		leads, cos = m[1], reCoTail.ReplaceAllString(m[2], "")
	case reNoteDuty.MatchString(s):
		leads = reNoteDuty.FindStringSubmatch(s)[1]
	default:
		return note{}, false
	}
	ls := deptList(leads)
	if len(ls) == 0 {
		return note{}, false
	}
	n := note{lead: ls[0], co: append(ls[1:len(ls):len(ls)], deptList(cos)...)}
	return n, true
}

// deptList splits "市发展改革委、市人力资源和社会保障局，各区、县级市" into
// department names, dropping comma groups that are not departments (各…,
// 有关…) and names too long or too short to be one.
func deptList(s string) []string {
	var out []string
	for _, group := range strings.FieldsFunc(s, func(r rune) bool { return r == '，' || r == ',' || r == '；' || r == ';' }) {
		group = strings.TrimFunc(group, isSpace)
		if strings.HasPrefix(group, "各") || strings.HasPrefix(group, "有关") || strings.HasPrefix(group, "其他") {
			continue
		}
		// "能源局等省有关部门和各地级以上市人民政府": the 等… group word
		// ends the list of named departments; what follows 和 is one more.
		group = reEtcGroup.ReplaceAllString(reEtcAll.ReplaceAllString(group, ""), "、")
		group = strings.ReplaceAll(group, "会同", "、") // 国家发展改革委会同有关部门
		for _, d := range strings.FieldsFunc(group, func(r rune) bool { return r == '、' || r == '/' }) {
			d = strings.TrimFunc(d, isSpace)
			d = strings.TrimPrefix(d, "由")
			d = reEtcEnd.ReplaceAllString(d, "") // 商务部等有关部门

			for _, suffix := range []string{"配合", "参与", "协同", "负责", "落实", "按职责分工", "等部门", "等单位", "等", "会同"} {
				d = strings.TrimSuffix(d, suffix)
			}
			if strings.ContainsAny(d, "0123456789") || strings.Contains(d, "年底") || strings.Contains(d, "月底") {
				continue // "2019年6月底前完成" is a deadline, not a department
			}
			if n := utf8.RuneCountInString(d); n < 2 || n > 30 || strings.HasPrefix(d, "各") || strings.HasPrefix(d, "有关") || strings.ContainsAny(d, ":：。") || strings.HasPrefix(d, "完成") {
				continue
			}
			out = append(out, d)
		}
	}
	return out
}

// noteIn finds the responsibility note of a task text: the last bracketed
// note in it, or a trailing 责任单位：… clause. Notes are kept in the text
// (they are what the document says) and read from it.
func noteIn(s string) (note, bool) {
	if !strings.Contains(s, "单位") && !strings.Contains(s, "部门") && !strings.Contains(s, "处室") {
		// no labelled note possible
	} else if loc := reLabelTail.FindStringIndex(strings.TrimRight(s, "。；; ")); loc != nil {
		if n, ok := parseNote(s[loc[0]:]); ok {
			return n, true
		}
	}
	end := len(s)
	for tries := 0; end > 0 && tries < 4; tries++ { // notes close a task: look at its last brackets only
		c := strings.LastIndexAny(s[:end], "）)")
		if c < 0 {
			return note{}, false
		}
		o := strings.LastIndexAny(s[:c], "（(")
		if o < 0 {
			return note{}, false
		}
		_, size := utf8.DecodeRuneInString(s[o:])
		if n, ok := parseNote(s[o+size : c]); ok {
			return n, true
		}
		end = o
	}
	return note{}, false
}

// leadingNote splits a sentence piece that starts with a note — what the
// splitter leaves when a note follows the 。 of the sentence it belongs to
// ("…体系。（生态环境部牵头）推进…") — into the note and the rest.
func leadingNote(s string) (string, string) {
	if !strings.HasPrefix(s, "（") && !strings.HasPrefix(s, "(") {
		return "", s
	}
	depth := 0
	for i, r := range s {
		switch r {
		case '（', '(':
			depth++
		case '）', ')':
			depth--
			if depth == 0 {
				j := i + utf8.RuneLen(r)
				_, size := utf8.DecodeRuneInString(s)
				if _, ok := parseNote(s[size:i]); !ok && !groupNote(s[size:i]) {
					return "", s
				}
				rest := strings.TrimLeft(s[j:], "。；;，, ")
				return s[:j], strings.TrimFunc(rest, isSpace)
			}
		}
	}
	return "", s
}

// isNoteOnly reports whether a whole paragraph is just a note (a 责任单位：
// line under an item, or a bracketed note on its own line).
func isNoteOnly(s string) bool {
	t := strings.TrimRight(strings.TrimFunc(s, isSpace), "。；;")
	if reLabelTail.FindStringIndex(t) != nil && reLabelTail.FindStringIndex(t)[0] == 0 {
		_, ok := parseNote(t)
		return ok
	}
	if n, rest := leadingNote(t); n != "" && rest == "" {
		return true
	}
	return false
}

// reClause: one clause of a note, departments and their role: 生态环境部指导,
// 供销合作总社参与, 试点城市政府负责落实.
var reClause = regexp.MustCompile(`^(.+?)(?:按职责分工|按照职责分工|按职责|分别|依职责)?(牵头负责|牵头|共同负责|负责落实|负责|指导|参与|配合|协同|参加|落实)$`)

// reRemark: what a note may add about the notes themselves (列第一位者为牵头
// 单位，下同; 以下均需试点城市政府落实，不再列出): no department.
var reRemark = regexp.MustCompile(`列第一位|排在第一位|排第一位|下同|不再列出|以下均`)

// clauseNote reads a note made of clauses, each naming departments and a
// role: （生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，
// 不再列出）, （商务部指导，供销合作总社参与）, （人力资源社会保障部、财政部
// 负责。列第一位者为牵头单位，下同）. The first clause that leads (牵头,
// 负责, 指导) gives the lead; every other department named is a co-department.
// Every clause must be a role or a remark, else it is an ordinary bracket.
func clauseNote(s string) (note, bool) {
	var n note
	var co []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("，,；;。", r) }) {
		c = strings.TrimFunc(c, isSpace)
		if reRemark.MatchString(c) {
			continue
		}
		m := reClause.FindStringSubmatch(c)
		if m == nil {
			return note{}, false
		}
		ds := deptList(m[1])
		if len(ds) == 0 {
			return note{}, false
		}
		switch m[2] {
		case "参与", "配合", "协同", "参加":
			co = append(co, ds...)
		default:
			if n.lead == "" {
				n.lead, ds = ds[0], ds[1:]
			}
			co = append(co, ds...)
		}
	}
	if n.lead == "" {
		return note{}, false
	}
	n.co = co
	return n, true
}

// reGroupRole: the role a group-only note ends with.
var reGroupRole = regexp.MustCompile(`(?:按职责分工|按照职责分工|按职责|分别|依职责)?(?:牵头负责|共同负责|负责落实|负责|牵头|落实|参与|配合)$`)

// groupNote reports whether a bracket is a note naming only groups, no
// department: （各省级人民政府负责）, （各有关部门和单位，各省级人民政府按职责
// 分工负责）. It belongs to the sentence before it, but names no owner.
func groupNote(s string) bool {
	s = strings.TrimRight(strings.TrimFunc(s, isSpace), "。；;")
	if utf8.RuneCountInString(s) > 80 || !reGroupRole.MatchString(s) {
		return false
	}
	for _, g := range strings.FieldsFunc(reGroupRole.ReplaceAllString(s, ""), func(r rune) bool { return strings.ContainsRune("，,；;、", r) }) {
		g = strings.TrimFunc(g, isSpace)
		if !strings.HasPrefix(g, "各") && !strings.HasPrefix(g, "有关") && !strings.HasPrefix(g, "其他") {
			return false
		}
	}
	return true
}
