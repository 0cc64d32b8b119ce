package schedule

import "strings"

// displayWidth is the width of s in a monospace font that draws CJK
// characters (and most emoji) two columns wide, for aligning the digest
// table inside <pre>.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0x303E, r >= 0x3041 && r <= 0x33FF,
		r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF, r >= 0xA000 && r <= 0xA4CF,
		r >= 0xAC00 && r <= 0xD7A3, r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F,
		r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6, r >= 0x1F300 && r <= 0x1F64F,
		r >= 0x1F900 && r <= 0x1F9FF, r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}

// padRight pads s with spaces to width w columns; padLeft right-aligns it.
// Columns lays rows out in columns padded by display width (a CJK
// character takes two columns), the first `left` columns aligned left and
// the rest right, two spaces apart, with no trailing spaces: the digest's
// department table and the command line's task lists.
func Columns(rows [][]string, left int) []string {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	out := make([]string, len(rows))
	for r, row := range rows {
		var b strings.Builder
		for i, c := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			if i < left {
				b.WriteString(padRight(c, widths[i]))
			} else {
				b.WriteString(padLeft(c, widths[i]))
			}
		}
		out[r] = strings.TrimRight(b.String(), " ")
	}
	return out
}

func padRight(s string, w int) string { return s + strings.Repeat(" ", max(0, w-displayWidth(s))) }
func padLeft(s string, w int) string  { return strings.Repeat(" ", max(0, w-displayWidth(s))) + s }

// shorten cuts s to n characters, marking the cut with …, so one long
// task does not swamp a list.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
