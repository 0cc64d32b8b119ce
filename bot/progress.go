package bot

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/duban-bureau/duban/store"
)

// widthFold turns full-width digits and signs into ASCII (６０％ → 60%,
// ４.１.３ or ４．１．３ → 4.1.3) and drops spaces (50 % → 50%).
func widthFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + r - '０')
		case r == '．':
			b.WriteRune('.')
		case r == '％':
			b.WriteRune('%')
		case r == '／':
			b.WriteRune('/')
		case unicode.IsSpace(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normID reads a task ID typed with full-width digits or dots.
func normID(s string) string { return widthFold(strings.TrimSpace(s)) }

// progressPrefixes are the words people put before a number in a reply
// (完成了50% means 50%).
var progressPrefixes = []string{"已完成", "完成了", "完成", "进度", "目前", "已"}

// progressText strips what people type around a progress figure: spaces,
// full-width forms, a leading 完成了, a trailing unit (45家) or 。. ok is
// false when what is left is not a figure.
func progressText(s, unit string) (string, bool) {
	s = strings.TrimRight(widthFold(s), "。.!！")
	for changed := true; changed; {
		changed = false
		for _, p := range progressPrefixes {
			if rest, found := strings.CutPrefix(s, p); found && rest != "" {
				s, changed = strings.TrimLeft(rest, ":："), true
			}
		}
	}
	if unit != "" && unit != "%" {
		s = strings.TrimSuffix(s, unit)
	}
	if s == "" {
		return "", false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == '%' || r == '/') {
			return "", false
		}
	}
	return s, true
}

// countable reports whether a target unit counts whole things (家, 个, 项),
// so a count against it must be an integer.
func countable(unit string) bool {
	switch unit {
	case "", "%", "吨", "万吨", "公里", "千米", "米", "平方公里", "平方米", "亩", "公顷", "万元", "亿元", "元", "立方米", "万立方米", "千克", "公斤":
		return false
	}
	return true
}

// progressError is a refusal of a figure, with the catalogue key saying why.
type progressError struct{ key string }

func (e progressError) Error() string { return e.key }

// setProgress reads a figure into t: "60%" (a percent), "40/85" (a count
// against the official target, which only /target changes), or a bare
// number (a count when the task has a target, else a percent). Counts over
// the target are accepted (超额完成). It returns the catalogue key and
// arguments of the sentence saying how the figure was read.
func setProgress(t *store.Task, s string) (string, []any, error) {
	s, ok := progressText(s, t.Unit)
	if !ok {
		return "", nil, progressError{"progress_bad"}
	}
	var pct float64
	switch {
	case strings.HasSuffix(s, "%"):
		v, err := parseNumber(strings.TrimSuffix(s, "%"))
		if err != nil || v < 0 || v > 100 {
			return "", nil, progressError{"progress_bad_pct"}
		}
		pct = v
		if t.HasTarget() {
			cur := t.Target * v / 100
			if countable(t.Unit) {
				cur = math.Round(cur)
			} else {
				cur = math.Round(cur*100) / 100
			}
			t.Current = cur
		}
	case strings.Contains(s, "/"):
		a, b, _ := strings.Cut(s, "/")
		cur, err1 := parseNumber(a)
		tgt, err2 := parseNumber(b)
		if err1 != nil || err2 != nil || tgt <= 0 || cur < 0 {
			return "", nil, progressError{"progress_bad"}
		}
		if t.HasTarget() && tgt != t.Target {
			return "", nil, progressError{"progress_target"}
		}
		if !t.HasTarget() {
			pct = 100 * cur / tgt
			break
		}
		if countable(t.Unit) && cur != math.Trunc(cur) {
			return "", nil, progressError{"progress_integer"}
		}
		t.Current, pct = cur, 100*cur/t.Target
	default:
		v, err := parseNumber(s)
		if err != nil || v < 0 {
			return "", nil, progressError{"progress_bad"}
		}
		if !t.HasTarget() {
			if v > 100 {
				return "", nil, progressError{"progress_bad_pct"}
			}
			pct = v
			break
		}
		if countable(t.Unit) && v != math.Trunc(v) {
			return "", nil, progressError{"progress_integer"}
		}
		t.Current, pct = v, 100*v/t.Target
	}
	t.Progress = int(math.Min(100, math.Floor(pct)))
	switch {
	case t.HasTarget() && t.Current > t.Target:
		return "progress_read_over", []any{store.FormatNumber(t.Current), store.FormatNumber(t.Target), esc(t.Unit), int(math.Floor(pct))}, nil
	case t.HasTarget():
		return "progress_read_count", []any{store.FormatNumber(t.Current), store.FormatNumber(t.Target), esc(t.Unit), t.Progress}, nil
	}
	return "progress_read_pct", []any{t.Progress}, nil
}

// looksLikeProgress is true for a figure a reply may carry: 60%, 40/85,
// 45家, ６０％, 完成了50%.
func looksLikeProgress(s, unit string) bool {
	_, ok := progressText(s, unit)
	return ok
}

// parseNumber reads a number typed in chat: decimal digits only, finite
// and within the store's range, so "Inf", "NaN", "1e999" and "0x10" are
// refused before they reach a task (an exported +Inf broke re-import).
func parseNumber(s string) (float64, error) {
	if s == "" {
		return 0, store.Errorf(store.EINVALID, "not a number")
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.') {
			return 0, store.Errorf(store.EINVALID, "not a number")
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, err
	}
	if err := store.CheckNumber("", store.FieldProgress, v); err != nil {
		return 0, err
	}
	return v, nil
}
