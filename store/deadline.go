package store

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store/vocab"
)

// ParseDeadline reads a 完成时限 as people write it in a responsibility list
// and returns the deadline day, or a cadence for continuous work. Forms:
// 2021-06-30, 2021/6/30, 2021年6月30日, 6月30日, 6月底前, 6月底, 六月底,
// 上半年, 下半年, 三季度末, 年底前, 年内, 全年, 持续推进. year is the plan year
// for forms that do not name one.
func ParseDeadline(s string, year int) (Date, Cadence, error) {
	s = strings.TrimSpace(s)
	s = strings.Join(strings.Fields(s), "")
	if s == "" {
		return 0, "", Refuse(EINVALID, "e_deadline_empty")
	}
	switch {
	case slices.Contains(vocab.Continuous, s):
		return 0, CadenceMonthly, nil
	case slices.Contains(vocab.YearEnd, s):
		return NewDate(year, 12, 31), "", nil
	case slices.Contains(vocab.FirstHalf, s):
		return NewDate(year, 6, 30), "", nil
	case slices.Contains(vocab.SecondHalf, s):
		return NewDate(year, 12, 31), "", nil
	}
	if m := reISO.FindStringSubmatch(s); m != nil {
		return ymd(m[1], m[2], m[3])
	}
	if m := reCN.FindStringSubmatch(s); m != nil {
		y := m[1]
		if y == "" {
			y = strconv.Itoa(year)
		}
		return ymd(y, m[2], m[3])
	}
	if m := reMonthEnd.FindStringSubmatch(s); m != nil {
		y := year
		if m[1] != "" {
			y, _ = strconv.Atoi(m[1])
		}
		mo, ok := monthNumber(m[2])
		if !ok {
			return 0, "", Refuse(EINVALID, "e_deadline_month", s)
		}
		return NewDate(y, time.Month(mo)+1, 0), "", nil
	}
	if m := reQuarter.FindStringSubmatch(s); m != nil {
		q, ok := monthNumber(m[1])
		if !ok || q < 1 || q > 4 {
			return 0, "", Refuse(EINVALID, "e_deadline_quarter", s)
		}
		return NewDate(year, time.Month(q*3)+1, 0), "", nil
	}
	if m := reYearEnd.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		return NewDate(y, 12, 31), "", nil
	}
	return 0, "", Refuse(EINVALID, "e_deadline_unknown", s)
}

var (
	reISO      = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	reCN       = regexp.MustCompile(vocab.DatePattern)
	reMonthEnd = regexp.MustCompile(vocab.MonthEndPattern)
	reQuarter  = regexp.MustCompile(vocab.QuarterPattern)
	reYearEnd  = regexp.MustCompile(vocab.YearEndPattern)
)

func ymd(ys, ms, ds string) (Date, Cadence, error) {
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, "", Refuse(EINVALID, "e_date_none", ys, ms, ds)
	}
	date := NewDate(y, time.Month(m), d)
	if date.Month() != time.Month(m) {
		return 0, "", Refuse(EINVALID, "e_date_none", ys, ms, ds)
	}
	return date, "", nil
}

var cnDigits = vocab.Digits

// monthNumber reads 1..12 written in digits or Chinese numerals (十二).
func monthNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 1 && n <= 12
	}
	r := []rune(s)
	switch len(r) {
	case 1:
		n, ok := cnDigits[r[0]]
		return n, ok
	case 2:
		if r[0] == vocab.Ten {
			n, ok := cnDigits[r[1]]
			return 10 + n, ok && n <= 2
		}
	}
	return 0, false
}

// FormatDeadline writes a task's 完成时限 for a list file: the ISO date, or
// 持续推进 for continuous work.
func FormatDeadline(d Date, c Cadence) string {
	if c != "" {
		return vocab.Continuous[0]
	}
	return d.String()
}
