package listfile

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/store"
	"github.com/xuri/excelize/v2"
)

// parseDeadline reads a 完成时限 cell. Besides every form of
// store.ParseDeadline it takes an Excel serial day number (44377 =
// 2021-06-30): that is what a date cell holds underneath its display format,
// and what a CSV carries when someone pasted values from a date column.
func parseDeadline(c cell, year int, date1904 bool) (store.Date, store.Cadence, error) {
	if c.text == "" && c.raw == "" {
		return 0, "", store.Refuse(store.EINVALID, "e_deadline_empty")
	}
	if serial, err := strconv.ParseFloat(c.raw, 64); err == nil {
		return serialDate(c.text, serial, date1904)
	}
	text := c.text
	if m := reDateTime.FindStringSubmatch(text); m != nil {
		text = m[1] // 2021/6/30 0:00 from a database dump or a date-time cell
	}
	return store.ParseDeadline(text, year)
}

var reDateTime = regexp.MustCompile(`^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$`)

// serialDate converts an Excel serial day; only years 2000–2199 are taken as
// dates, so a stray number (2021, 6) is reported rather than turned into 1905.
func serialDate(shown string, serial float64, date1904 bool) (store.Date, store.Cadence, error) {
	bad := store.Refuse(store.EINVALID, "lf_bad_date", shown)
	if math.IsNaN(serial) || serial < 1 || serial > 2958465 {
		return 0, "", bad
	}
	t, err := excelize.ExcelDateToTime(math.Floor(serial), date1904)
	if err != nil || t.Year() < 2000 || t.Year() > 2199 {
		return 0, "", bad
	}
	return store.DateOf(t), "", nil
}

// parseTarget reads 目标值: a plain non-negative number, thousands separators
// allowed. Empty means no target.
func parseTarget(c cell) (float64, error) {
	for _, s := range []string{c.raw, c.text} {
		s = strings.ReplaceAll(strings.ReplaceAll(s, ",", ""), "，", "")
		if s == "" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if v < 0 {
			return 0, store.Refuse(store.EINVALID, "lf_target_negative", c.text)
		}
		return v, nil
	}
	if c.text == "" {
		return 0, nil
	}
	return 0, store.Refuse(store.EINVALID, "lf_target_nan", c.text)
}

// parseProgress reads 进度 as a whole percent: 60%, 60, or a fraction below
// one (0.6) as a percent-formatted Excel cell stores it. Empty means 0.
func parseProgress(c cell) (int, error) {
	s := strings.ReplaceAll(strings.ReplaceAll(c.text, "％", "%"), " ", "")
	if s == "" {
		return 0, nil
	}
	bad := store.Refuse(store.EINVALID, "lf_progress_bad", c.text)
	var v float64
	var err error
	if num, ok := strings.CutSuffix(s, "%"); ok {
		if raw, rerr := strconv.ParseFloat(c.raw, 64); rerr == nil && c.raw != c.text {
			v = raw * 100 // XLSX percent cell: exact stored fraction
		} else if v, err = strconv.ParseFloat(num, 64); err != nil {
			return 0, bad
		}
	} else {
		if v, err = strconv.ParseFloat(s, 64); err != nil {
			return 0, bad
		}
		if v > 0 && v < 1 {
			v *= 100
		}
	}
	if math.IsNaN(v) || v < 0 || v > 100 {
		return 0, bad
	}
	return int(math.Round(v)), nil
}

// parseStatus reads 状态 in Chinese (推进中) or English in any case and
// spacing (in_progress, In Progress). Empty means not started.
func parseStatus(s string) (store.Status, error) {
	if st, ok := store.ParseStatus(s); ok {
		return st, nil
	}
	norm := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(s))
	if st, ok := store.ParseStatus(norm); ok {
		return st, nil
	}
	labels := make([]string, len(store.Statuses))
	for i, st := range store.Statuses {
		labels[i] = st.Zh()
	}
	return "", store.Refuse(store.EINVALID, "lf_status_bad", s, strings.Join(labels, "、"))
}
