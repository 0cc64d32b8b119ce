package seeds

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file recognises the parts of real plans that are not tasks — review
// sections, closing remarks, 附件 lists, signature blocks — and the numbered
// items (1. （1） ①) that are tasks, so Parse can skip the former with a
// reason and split the latter one task each.

// reviewTitles mark a section that reports on the past (a report-plus-plan's
// first half, a 政府工作报告's 工作回顾): no tasks.
var reviewTitles = []string{"回顾", "工作总结", "过去一年", "过去五年", "上年工作", "工作完成情况", "工作开展情况", "主要成效", "取得的成绩", "存在的问题", "问题和不足", "发展基础", "发展现状", "现状与形势", "发展环境"}

// closingStarts open the closing remarks after the last task section.
var closingStarts = []string{"各位代表", "各位委员", "同志们！", "同志们，让我们", "踏上新征程", "新征程上", "让我们更加紧密", "让我们紧密团结"}

// isClosing reports whether a paragraph opens the closing remarks.
func isClosing(s string) bool {
	for _, w := range closingStarts {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// reAttachment: "附件：1. …", "附件1", "附件 重点任务分工表".
var reAttachment = regexp.MustCompile(`^附\s*件\s*(?:[0-9一二三四五六七八九十]+)?\s*(?:[:：．.、]|$|\s)`)

func isAttachment(s string) bool { return reAttachment.MatchString(s) }

var (
	// reDateLine: a signature date alone on its line (2019年1月16日, 2019年1月).
	reDateLine = regexp.MustCompile(`^[（(]?\s*((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*[）)]?$`)
	// reCNDateLine: the same in Chinese numerals (二〇一九年一月十六日).
	reCNDateLine = regexp.MustCompile(`^[〇零一二三四五六七八九○Ｏ]{4}年[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?$`)
	// rePublic: the 附注 of a published document.
	rePublic = regexp.MustCompile(`^[（(]\s*此件(?:公开发布|社会公开|依申请公开|不予公开|主动公开)\s*[）)]$`)
	// reIssuer: an issuer's name alone on its line (国务院, 国务院办公厅, 某市人民政府, 某某局).
	reIssuer = regexp.MustCompile(`^(?:[\p{Han}（）()]{2,30}(?:国务院|办公厅|办公室|人民政府|委员会|党委|局|厅|委|部|协会|学会|中心)|国务院|中共中央\s*国务院)$`)
	// reDocNumber: 国发〔2019〕5号, 大政发[2021]3号.
	reDocNumber = regexp.MustCompile(`[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*\d{1,4}\s*号`)
	// reCopyTo: the 版记 at a document's foot.
	reCopyTo = regexp.MustCompile(`^(?:抄送|主送|印发|联系人|联系电话)\s*[:：]`)
)

// signature reports whether a paragraph is part of a signature block or
// document furniture, and which.
func signature(s string) (string, bool) {
	if len(s) > 150 { // every signature line is short; the 版记 is the exception
		if reCopyTo.MatchString(s) {
			return "版记", true
		}
		return "", false
	}
	switch {
	case rePublic.MatchString(s):
		return "附注（此件公开发布）", true
	case reDateLine.MatchString(s), reCNDateLine.MatchString(s):
		return "落款日期", true
	case reCopyTo.MatchString(s):
		return "版记", true
	case !strings.ContainsAny(s, terminators+"，,：:") && utf8.RuneCountInString(s) <= 30 && reIssuer.MatchString(s):
		return "落款单位", true
	case reDocNumber.MatchString(s) && utf8.RuneCountInString(s) <= 30:
		return "发文字号", true
	}
	return "", false
}

// item is a numbered item at the start of a paragraph: 1. 1． 1、 （1） (1) ①.
type item struct {
	kind string // "1.", "(1)" or "①": items of one kind are siblings
	num  int
	rest string
}

var (
	reItemDot   = regexp.MustCompile(`^(\d{1,2})\s*[.．、]\s*`)
	reItemParen = regexp.MustCompile(`^[（(]\s*(\d{1,2})\s*[）)]\s*`)
	reItemHalf  = regexp.MustCompile(`^(\d{1,2})\s*[）)]\s*`) // 1） 1)
)

// itemOf recognises a numbered item, or returns nil. "2021.3" or "1.5倍"
// are numbers, not items: the marker must not be followed by a digit.
func itemOf(s string) *item {
	if loc := reItemParen.FindStringSubmatchIndex(s); loc != nil {
		n, _ := strconv.Atoi(s[loc[2]:loc[3]])
		return &item{kind: "(1)", num: n, rest: s[loc[1]:]}
	}
	if loc := reItemHalf.FindStringSubmatchIndex(s); loc != nil && loc[1] < len(s) {
		return &item{kind: "1)", num: atoi(s[loc[2]:loc[3]]), rest: s[loc[1]:]}
	}
	if r, size := utf8.DecodeRuneInString(s); r >= '⑴' && r <= '⒇' {
		return &item{kind: "(1)", num: int(r-'⑴') + 1, rest: strings.TrimFunc(s[size:], isSpace)}
	}
	if loc := reItemDot.FindStringSubmatchIndex(s); loc != nil {
		if rest := s[loc[1]:]; rest != "" && !(isDigitAt(rest, 0) && !isSpaceByte(s[loc[1]-1])) {
			n, _ := strconv.Atoi(s[loc[2]:loc[3]])
			return &item{kind: "1.", num: n, rest: rest}
		}
		return nil
	}
	if r, size := utf8.DecodeRuneInString(s); r >= '①' && r <= '⑳' {
		return &item{kind: "①", num: int(r-'①') + 1, rest: strings.TrimFunc(s[size:], isSpace)}
	}
	return nil
}

// itemOfLoose is itemOf that also takes "11.121…" (a digit right after
// the dot), for the caller to accept only in sequence.
func itemOfLoose(s string) *item {
	if loc := reItemDot.FindStringSubmatchIndex(s); loc != nil && loc[1] < len(s) {
		return &item{kind: "1.", num: atoi(s[loc[2]:loc[3]]), rest: s[loc[1]:]}
	}
	return nil
}

// reYear finds a year written with 年; reYearNear a year right before the
// words that name the planned year (2015年工作计划, 2024年政府工作任务).
var (
	reYear     = regexp.MustCompile(`((?:19|20)\d{2})\s*年`)
	reYearNear = regexp.MustCompile(`((?:19|20)\d{2})\s*年(?:度)?[^\d，,。；]{0,12}?(?:工作计划|工作要点|工作安排|重点工作|工作任务|政府工作任务|计划|要点|任务|安排)`)
)

// yearIn returns the planned year a text names: the year before 计划/要点/
// 任务 if any, else (when anyYear) the first year written with 年.
func yearIn(s string, anyYear bool) int {
	if m := reYearNear.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		return y
	}
	if anyYear {
		if m := reYear.FindStringSubmatch(s); m != nil {
			y, _ := strconv.Atoi(m[1])
			return y
		}
	}
	return 0
}

// reNoticeTitle finds the plan's own name in a 印发通知's title:
// 国务院办公厅关于印发《…》的通知, 关于印发…方案的通知.
var reNoticeTitle = regexp.MustCompile(`关于印发[《〈]?(.+?)[》〉]?的通知$`)

// planTitle returns the plan's name for a document titled with a 印发通知
// (a web copy may wrap the whole title in 《》).
func planTitle(title string) string {
	t := title
	if strings.HasPrefix(t, "《") && strings.HasSuffix(t, "》") {
		t = strings.TrimSuffix(strings.TrimPrefix(t, "《"), "》")
	}
	if m := reNoticeTitle.FindStringSubmatch(t); m != nil {
		return strings.Join(strings.Fields(m[1]), "")
	}
	return title
}

// reDocKind: the word that ends a document's title.
var reDocKind = regexp.MustCompile(`(?:通知|通报|意见|方案|要点|计划|决定|办法|规划|措施|报告|细则|纲要|批复|复函|函)$`)

// splitTitle reports whether first and next are the halves of one 印发通知
// title: first names the issuer and stops inside the title (…关于印发广东省),
// next ends it (…实施方案的通知); neither is a sentence or a marker.
func splitTitle(first, next string) bool {
	if !strings.Contains(first, "关于") || reDocKind.MatchString(first) || !reDocKind.MatchString(next) {
		return false
	}
	if markerOf(next) != nil || strings.ContainsAny(first+next, terminators+"，,：:") {
		return false
	}
	return utf8.RuneCountInString(first+next) <= 120
}

// isLetterhead reports whether a first line is a 文头 (某某人民政府文件).
func isLetterhead(s string) bool {
	return strings.HasSuffix(s, "文件") && utf8.RuneCountInString(s) <= 24 && !strings.ContainsAny(s, terminators+"，,：:") && !strings.Contains(s, "关于")
}

// reLabel: a labelled owner line, 牵头单位：… 责任单位：… 配合单位：….
var reLabel = regexp.MustCompile(`^((?:牵头|责任|主责|配合|协办|参与)(?:单位|部门|处室))\s*[:：]\s*`)

// isLabelLine reports whether a paragraph is only an owner line.
func isLabelLine(s string) bool {
	loc := reLabel.FindStringIndex(s)
	return loc != nil && !strings.Contains(s[loc[1]:], "。") && utf8.RuneCountInString(s) <= 200
}

// cutLabel splits an owner line into its label and the departments.
func cutLabel(s string) (string, string) {
	m := reLabel.FindStringSubmatchIndex(s)
	if m == nil {
		return "", s
	}
	return s[m[2]:m[3]], strings.TrimRight(s[m[1]:], "。；; ")
}

// shorten keeps skipped-paragraph listings readable.
func shorten(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' }
