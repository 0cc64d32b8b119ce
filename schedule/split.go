package schedule

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxMessage is Telegram's limit on a message text.
const MaxMessage = 4096

// SplitMessage cuts an HTML message into parts of at most limit characters
// (counted in UTF-16 code units, as Telegram counts, so emoji cost two),
// breaking on line boundaries. A <pre> block cut in two is closed at the end
// of one part and reopened at the start of the next, so each part is valid
// HTML on its own. A single line longer than a part is cut between
// characters, never inside a tag or an entity. limit <= 0 means MaxMessage.
func SplitMessage(text string, limit int) []string {
	if limit <= 0 {
		limit = MaxMessage
	}
	if u16len(text) <= limit {
		return []string{text}
	}
	const open, closing = "<pre>", "</pre>"
	room := limit - len(open) - len(closing) // what a part may hold besides the pre tags
	if room < 16 {
		room = 16
	}
	var parts []string
	var cur strings.Builder
	curLen, inPre := 0, false
	flush := func() {
		s := strings.TrimRight(cur.String(), "\n")
		if inPre {
			s += closing
		}
		if strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, open), closing)) != "" {
			parts = append(parts, s)
		}
		cur.Reset()
		curLen = 0
		if inPre {
			cur.WriteString(open)
		}
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		for _, piece := range cutLine(line, room) {
			n := u16len(piece)
			if curLen > 0 && curLen+n > room {
				flush()
			}
			cur.WriteString(piece)
			curLen += n
			inPre = preState(piece, inPre)
		}
	}
	if curLen > 0 {
		s := strings.TrimRight(cur.String(), "\n")
		if inPre {
			s += closing
		}
		parts = append(parts, s)
	}
	return parts
}

// preState returns whether a <pre> block is open after s, given it was
// open before s.
func preState(s string, in bool) bool {
	for {
		o, c := strings.Index(s, "<pre"), strings.Index(s, "</pre>")
		switch {
		case o < 0 && c < 0:
			return in
		case c < 0 || (o >= 0 && o < c):
			in, s = true, s[o+4:]
		default:
			in, s = false, s[c+6:]
		}
	}
}

// cutLine splits a line longer than room into pieces that do not break a
// tag (<b>) or an entity (&amp;).
func cutLine(line string, room int) []string {
	var out []string
	for u16len(line) > room {
		cut, n := 0, 0
		for i, r := range line {
			w := 1
			if r >= 0x10000 {
				w = 2
			}
			if n+w > room {
				break
			}
			n += w
			cut = i + utf8.RuneLen(r)
		}
		head := line[:cut]
		if i := strings.LastIndexAny(head, "<&"); i > 0 {
			if j := strings.IndexAny(head[i:], ">;"); j < 0 {
				cut = i // do not cut inside the tag or entity
			}
		}
		if cut == 0 {
			cut = len(head)
		}
		out = append(out, line[:cut])
		line = line[cut:]
	}
	return append(out, line)
}

func u16len(s string) int {
	n := 0
	for _, r := range s {
		n += len(utf16.Encode([]rune{r}))
	}
	return n
}

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
