package seeds

import (
	"regexp"
	"strings"
)

// marker is a numbered heading at the start of a paragraph: a section
// "三、…" or a subsection "(一)…" / "（一）…".
type marker struct {
	sub   bool
	num   int    // the number as written: 三 → 3
	label string // the marker as written: "三、", "(一)", "（一）"
	rest  string // the text after the marker
}

var (
	reSection    = regexp.MustCompile(`^([一二三四五六七八九十]{1,3})\s*[、．.]\s*`)
	reChapter    = regexp.MustCompile(`^第([一二三四五六七八九十]{1,3})(?:部分|章|篇)\s*[:：、]?\s*`)
	reSubsection = regexp.MustCompile(`^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*`)
)

// markerOf recognises a section or subsection marker at the start of s, or
// returns nil. Numerals that do not form a number (一一、) are not markers.
func markerOf(s string) *marker {
	for _, m := range []struct {
		re  *regexp.Regexp
		sub bool
	}{{reSection, false}, {reSubsection, true}, {reChapter, false}} {
		loc := m.re.FindStringSubmatchIndex(s)
		if loc == nil {
			continue
		}
		n, ok := chineseNumber(s[loc[2]:loc[3]])
		if !ok {
			return nil
		}
		label := strings.Join(strings.Fields(s[:loc[1]]), "")
		return &marker{sub: m.sub, num: n, label: label, rest: s[loc[1]:]}
	}
	return nil
}

var cnDigit = map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// chineseNumber reads 1..99 written in Chinese numerals: 三, 十, 十二, 二十,
// 二十三. Section numbers in plans never go higher.
func chineseNumber(s string) (int, bool) {
	r := []rune(s)
	switch len(r) {
	case 1:
		if r[0] == '十' {
			return 10, true
		}
		n, ok := cnDigit[r[0]]
		return n, ok
	case 2:
		if r[0] == '十' {
			n, ok := cnDigit[r[1]]
			return 10 + n, ok
		}
		if r[1] == '十' {
			n, ok := cnDigit[r[0]]
			return 10 * n, ok && n > 1
		}
	case 3:
		a, ok1 := cnDigit[r[0]]
		b, ok2 := cnDigit[r[2]]
		return 10*a + b, ok1 && ok2 && a > 1 && r[1] == '十'
	}
	return 0, false
}
