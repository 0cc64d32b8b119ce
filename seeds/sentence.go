package seeds

import (
	"strings"
	"unicode"
)

// Sentence punctuation and the brackets and quotes that shield it. Both
// full-width and ASCII forms occur in real plans (the seed mixes them).
const (
	terminators = "。；！？;!?"
	openers     = "（(《“‘「『【〔"
	closers     = "）)》”’」』】〕"
)

// splitSentences cuts a paragraph after each 。；！？;!? that stands outside
// brackets and quotes, keeping the punctuation (and any closing quotes right
// after it) with its sentence. If the paragraph's brackets or quotes do not
// balance, a stray opener would swallow the rest of the paragraph, so the
// paragraph is split again ignoring brackets altogether. Pieces with no
// letter or digit (a lone "。") are dropped.
func splitSentences(s string) []string {
	if out, ok := split(s, true); ok {
		return out
	}
	out, _ := split(s, false)
	return out
}

func split(s string, nest bool) ([]string, bool) {
	var out []string
	depth, quoted := 0, false
	rs := []rune(s)
	start, enumFrom := 0, -1
	emit := func(end int) {
		if piece := strings.TrimFunc(string(rs[start:end]), isSpace); hasWord(piece) {
			out = append(out, piece)
		}
		start = end
	}
	for i := 0; i < len(rs); i++ {
		c := class(rs[i])
		switch {
		case !nest || c == plain:
		case c == quote:
			quoted = !quoted
			continue
		case c == opener:
			depth++
			continue
		case c == closer:
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 || quoted || c != terminator {
			continue
		}
		if rs[i] == '；' || rs[i] == ';' {
			if enumFrom == start {
				continue
			}
			if enumerating(rs[start:i]) {
				enumFrom = start
				continue // "提供以下功能支撑：…；…；…。" is one task
			}
		}
		j := i + 1
		for j < len(rs) && (class(rs[j]) == terminator || class(rs[j]) == closer) {
			j++
		}
		emit(j)
		i = j - 1
	}
	emit(len(rs))
	return out, depth == 0 && !quoted
}

// runeClass sorts runes for the sentence splitter.
type runeClass int

const (
	plain runeClass = iota
	terminator
	opener
	closer
	quote // the ASCII ", which opens and closes alike
)

// class classifies r; plain runes, by far the most common, return fast.
func class(r rune) runeClass {
	switch {
	case r == '"':
		return quote
	case r < 0x21 || r > 0x7e && r < 0x2018 || r >= 0x3400 && r <= 0x9fff:
		return plain
	case strings.ContainsRune(terminators, r):
		return terminator
	case strings.ContainsRune(openers, r):
		return opener
	case strings.ContainsRune(closers, r):
		return closer
	}
	return plain
}

// hasWord reports whether s holds any letter or digit, i.e. is more than
// stray punctuation.
func hasWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// trimEnd drops trailing sentence punctuation, for titles.
func trimEnd(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		return isSpace(r) || strings.ContainsRune(terminators, r) || r == '：' || r == ':'
	})
}

// enumerationLeads introduce a list whose items are separated by ；.
var enumerationLeads = []string{"以下", "如下", "下列", "包括", "主要有", "分别是", "重点是", "具体是", "主要是"}

// enumerating reports whether the sentence so far opened an enumeration:
// a colon after one of enumerationLeads.
func enumerating(rs []rune) bool {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == '：' || rs[i] == ':' {
			lead := string(rs[max(0, i-12):i])
			for _, w := range enumerationLeads {
				if strings.Contains(lead, w) {
					return true
				}
			}
		}
	}
	return false
}
