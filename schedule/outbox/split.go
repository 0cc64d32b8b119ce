package outbox

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
