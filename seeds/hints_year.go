package seeds

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/duban-bureau/duban/store"
)

// Deadlines and targets as plans from other governments write them (issue
// 10): years on dates (2019年6月底前, 2019年上半年), year bounds (到2020年,
// 2020年初步建成), recurring work (每年), spans (5年内), and ranges of
// targets (60%—70%).

var (
	// reYearBy: a year bound in its several spellings.
	reYearBy = regexp.MustCompile(`(?:到|至|截至|截止到|力争|争取|于)\s*((?:19|20)\d{2})\s*年|((?:19|20)\d{2})\s*年(?:底|末)(?:前|以前|之前)?|((?:19|20)\d{2})\s*年(?:前|以前|之前)|((?:19|20)\d{2})\s*年(?:初步|基本|全面|率先|要|将|力争)?(?:建成|实现|完成|达到|形成|覆盖)`)
	// reWithin: 5年内, 三年内, 3年时间.
	reWithin = regexp.MustCompile(`(?:^|[^\d年])(\d{1,2}|[一二三四五六七八九十])\s*年(?:内|时间内|左右时间)`)
	// reYearBefore: the "2019年" right before a period word.
	reYearBefore = regexp.MustCompile(`((?:19|20)\d{2})\s*年$`)
	// rePhraseYear: the year a dated phrase carries itself (2019年6月底前).
	rePhraseYear = regexp.MustCompile(`^((?:19|20)\d{2})年`)
	// reTitleSpan: a title's year range, 2019—2021年 or （2019-2021年）.
	reTitleSpan = regexp.MustCompile(`((?:19|20)\d{2})\s*年?\s*[—\-–~～至到]+\s*((?:19|20)\d{2})\s*年`)
	// reRange: 60%—70%, 60—70%, 100至200名: a range keeps its lower bound.
	reRange = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(?:%|％)?\s*(?:—{1,2}|-|–|~|～|至|到)\s*(\d+(?:\.\d+)?)\s*(%|％|万名|亿元|万元|家|个|名|人|所|项|处|场次)`)
)

// horizonOf is the last year a plan covers: the end of its title's year
// range, the title's year for an annual plan, and for a plan whose title
// names no year (国办发 方案, 实施意见) five years from its own year.
func horizonOf(title string, year int) int {
	if m := reTitleSpan.FindStringSubmatch(title); m != nil {
		return max(year, atoi(m[2]))
	}
	if reYear.MatchString(title) {
		return year
	}
	return year + 5
}

// deadlineIn reads the deadline hint of a task for plan year year and
// horizon (see horizonOf). It is deadline extended, first match
// wins:
//  1. a dated phrase: 6月底前, 年底前, 上半年 in the plan year; the same with
//     a year of its own (2019年6月底前, 于2012年10月底前, 2019年上半年) in
//     that year, unless the year is before the plan's;
//  2. 六五环境日: June 5;
//  3. a year bound (2030年前, 到2020年, 2020年初步建成): that year's 12-31
//     within the horizon, continuous beyond it, ignored before the plan year;
//  4. 每年 (recurring work) and a span beyond the horizon (5年内): continuous;
//     a span within it: the span's last year's 12-31;
//  5. 持续/继续/…-openings: continuous; otherwise the plan year's 12-31.
func deadlineIn(s string, year, horizon int) (store.Date, store.Cadence) {
	if strings.Contains(s, "月") || strings.Contains(s, "年") || strings.Contains(s, "季度") {
		for _, re := range []*regexp.Regexp{reDayHint, rePeriodHint} {
			if re == reDayHint && !strings.Contains(s, "月") || re == rePeriodHint && !containsAny(s, periodWords) {
				continue // the common case: skip a regexp that cannot match
			}
			carry := 0 // the year of a span's start: 2019年1月1日至12月31日
			for _, m := range hintMatches(re, s) {
				y := year
				before := s[:m[0]]
				phrase := s[m[0]:m[1]]
				if after := s[m[1]:]; strings.HasPrefix(after, "起") || strings.HasPrefix(after, "开始") {
					continue // 从2019年1月1日起: when it starts, not a deadline
				} else if strings.HasPrefix(after, "至") || strings.HasPrefix(after, "到") || strings.HasPrefix(after, "—") || strings.HasPrefix(after, "-") || strings.HasPrefix(after, "～") {
					if py := rePhraseYear.FindStringSubmatch(phrase); py != nil {
						carry = atoi(py[1])
					}
					continue // the span's end is the deadline
				}
				if py := rePhraseYear.FindStringSubmatch(phrase); py != nil {
					y = atoi(py[1])
				} else if carry > 0 {
					y = carry
				} else if yb := reYearBefore.FindStringSubmatch(before); yb != nil {
					y = atoi(yb[1])
				} else if r, _ := utf8.DecodeLastRuneInString(before); r >= '0' && r <= '9' || cnDigit[r] > 0 || r == '十' || r == '每' || r == '年' && strings.HasSuffix(before, "每年") {
					continue // "三年内" is not this year; 每年6月底前 recurs
				}
				if y < year {
					continue // a date in the past is context, not a deadline
				}
				d, c, err := store.ParseDeadline(phrase, y)
				if err == nil && c == "" && d.Year() >= year && (d.Year() == y) {
					return d, ""
				}
			}
		}
	}
	if strings.Contains(s, "环境日") && reEnvDay.MatchString(s) {
		return store.NewDate(year, 6, 5), ""
	}
	for _, m := range yearBounds(s) {
		y := atoi(m[1] + m[2] + m[3] + m[4])
		switch {
		case y > horizon:
			return 0, store.CadenceMonthly
		case y >= year:
			return store.NewDate(y, 12, 31), ""
		}
	}
	if strings.Contains(s, "每年") {
		return 0, store.CadenceMonthly
	}
	if m := within(s); m != nil {
		n := atoi(m[1])
		if n == 0 {
			n = cnDigit[[]rune(m[1])[0]]
			if m[1] == "十" {
				n = 10
			}
		}
		if y := year + n - 1; n > 1 && y > horizon {
			return 0, store.CadenceMonthly
		} else if n > 1 {
			return store.NewDate(y, 12, 31), ""
		}
	}
	for _, w := range continuousStarts {
		if strings.HasPrefix(s, w) {
			return 0, store.CadenceMonthly
		}
	}
	return store.NewDate(year, 12, 31), ""
}

// periodWords are what rePeriodHint needs to find anything.
var periodWords = []string{"季度", "半年", "年底", "年末", "年内", "年度内"}

// yearBounds runs reYearBy only on text that names a year.
func yearBounds(s string) [][]string {
	if !strings.Contains(s, "年") || strings.IndexAny(s, "0123456789") < 0 {
		return nil
	}
	return reYearBy.FindAllStringSubmatch(s, -1)
}

// within runs reWithin only on text that can hold a span.
func within(s string) []string {
	if !strings.Contains(s, "年内") && !strings.Contains(s, "年时间") && !strings.Contains(s, "年左右时间") {
		return nil
	}
	return reWithin.FindStringSubmatch(s)
}

// targetRange is target, except that a range (60%—70%, 100至200名) gives
// its lower bound, reported by lower so the preview can say so.
func targetRange(s string) (v float64, unit string, lower bool) {
	v, unit = target(s)
	if v == 0 || !strings.ContainsAny(s, "—-–~～至到") {
		return v, unit, false
	}
	for _, m := range reRange.FindAllStringSubmatch(s, -1) {
		hi, _ := strconv.ParseFloat(m[2], 64)
		lo, _ := strconv.ParseFloat(m[1], 64)
		u := m[3]
		if u == "％" {
			u = "%"
		}
		if (hi == v || lo == v) && u == unit && lo < hi {
			return lo, unit, true
		}
	}
	return v, unit, false
}

// hintMatches is re.FindAllStringIndex(s, -1) for reDayHint, run only in a
// window around each 月 (every match holds one), so long task texts stay
// cheap; other regexps run as they are.
func hintMatches(re *regexp.Regexp, s string) [][]int {
	if re != reDayHint {
		return re.FindAllStringIndex(s, -1)
	}
	var out [][]int
	last := 0
	for off := 0; ; {
		k := strings.Index(s[off:], "月")
		if k < 0 {
			return out
		}
		k += off
		lo := max(last, k-12) // 2021年十二月: at most 12 bytes before 月
		for lo > last && !utf8.RuneStart(s[lo]) {
			lo++
		}
		hi := min(len(s), k+len("月")+16) // 份底以前 / 30日之前
		for hi < len(s) && !utf8.RuneStart(s[hi]) {
			hi++
		}
		if m := re.FindStringIndex(s[lo:hi]); m != nil && lo+m[1] > k {
			out = append(out, []int{lo + m[0], lo + m[1]})
			last = lo + m[1]
			off = last
			continue
		}
		off = k + len("月")
	}
}
