package seeds

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// para is one logical paragraph of the document: a non-blank line, or
// several lines joined because the first was broken mid-sentence.
type para struct {
	line    int    // 1-based line number of its first line, for error messages
	text    string // trimmed, Markdown marks removed
	heading bool   // a Markdown # heading: never joined with its neighbours
	meta    bool   // a 创建时间 metadata line; text is the value
}

// reMeta finds trailing metadata (创建时间:2021-03-12 08:29:13). 发布时间 and
// 发布日期 are accepted as aliases because web copies of plans use them.
var reMeta = regexp.MustCompile(`(?:创建时间|发布时间|发布日期)\s*[:：]\s*`)

var (
	reMDHeading = regexp.MustCompile(`^#{1,6}\s*`)
	reMDList    = regexp.MustCompile(`^(?:[-*+•]\s+|>\s*)`) // numbered lines stay: they are items
	reMDRule    = regexp.MustCompile(`^[-*_\s]{3,}$`)
	// rePageNo: a page number left by a PDF or Word export (— 3 —, -3-, 第3页).
	rePageNo = regexp.MustCompile(`^(?:[—\-－–\s]*\d{1,3}[—\-－–\s]*|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?)$`)
)

// checkText rejects input that is not a text document, with a message a
// coordinator can act on; it runs before any parsing so junk never panics.
func checkText(doc []byte) error {
	if len(bytes.TrimSpace(doc)) == 0 {
		return errors.New("计划文件为空")
	}
	if bytes.IndexByte(doc, 0) >= 0 {
		return errors.New("计划文件不是文本文件(含有二进制内容),请提供 UTF-8 编码的 .txt 或 .md 文件")
	}
	if !utf8.Valid(doc) {
		return errors.New("计划文件不是有效的 UTF-8 文本(可能是 GBK 编码),请另存为 UTF-8 后重试")
	}
	return nil
}

// isSpace treats NBSP, U+3000 and the invisible marks word processors leave
// behind (zero-width space, BOM) as white space, so lines holding only them
// are blank and leading ones are trimmed.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u2060'
}

// cleanLine trims a raw line and strips Markdown decoration (# headings,
// **bold**, list and quote markers, rules). It reports whether the line was
// a Markdown heading.
func cleanLine(s string) (string, bool) {
	s = strings.TrimFunc(s, isSpace)
	heading := false
	if loc := reMDHeading.FindStringIndex(s); loc != nil {
		heading = true
		s = s[loc[1]:]
	} else if reMDRule.MatchString(s) || rePageNo.MatchString(s) {
		return "", false
	} else if loc := reMDList.FindStringIndex(s); loc != nil {
		s = s[loc[1]:]
	}
	s = strings.ReplaceAll(s, "**", "")
	s = strings.ReplaceAll(s, "__", "")
	return strings.TrimFunc(s, isSpace), heading
}

// paragraphs splits the document into logical paragraphs. A paragraph that
// does not end a sentence joins the next non-blank one (a line broken
// mid-sentence, as in the seed's 七(三)), except: the title line, headings
// (Markdown or a marker line with no sentence punctuation at all, such as
// "三、加快推动绿色低碳发展"), and never onto a marker or metadata line.
func paragraphs(doc string) []para {
	doc = strings.ReplaceAll(doc, "\r\n", "\n")
	doc = strings.ReplaceAll(doc, "\r", "\n")
	var raw []para
	for i, l := range strings.Split(doc, "\n") {
		text, heading := cleanLine(l)
		if text == "" {
			continue
		}
		if loc := reMeta.FindStringIndex(text); loc != nil {
			if before := strings.TrimFunc(text[:loc[0]], isSpace); before != "" {
				raw = append(raw, para{line: i + 1, text: before, heading: heading})
			}
			raw = append(raw, para{line: i + 1, text: strings.TrimFunc(text[loc[1]:], isSpace), meta: true})
			continue
		}
		raw = append(raw, para{line: i + 1, text: text, heading: heading})
	}
	// Joined paragraphs are collected as parts and glued once, so a document
	// of many unterminated lines stays linear.
	var out []para
	var parts [][]string
	open := false // the last paragraph continues on the next one
	for _, p := range raw {
		if n := len(out); n > 1 && open && !p.heading && !p.meta && markerOf(p.text) == nil && !standsAlone(p.text) {
			parts[n-1] = append(parts[n-1], p.text)
			open = !endsSentence(p.text)
			continue
		}
		out = append(out, p)
		parts = append(parts, []string{p.text})
		open = joinable(p)
	}
	for i := range out {
		if len(parts[i]) > 1 {
			out[i].text = joinText(parts[i])
		}
	}
	return out
}

// joinable reports whether the line p, starting a paragraph, was cut
// mid-sentence and so continues on the next line.
func joinable(p para) bool {
	if p.heading || p.meta || endsSentence(p.text) || standsAlone(p.text) || strings.HasSuffix(p.text, "：") || strings.HasSuffix(p.text, ":") {
		return false
	}
	if markerOf(p.text) != nil && !strings.ContainsAny(p.text, terminators) {
		return false // a heading-only marker line
	}
	if (strings.HasSuffix(p.text, "的通知") || strings.HasSuffix(p.text, "的通报") || strings.HasSuffix(p.text, "的批复") || strings.Contains(p.text, "关于") && reDocKind.MatchString(p.text)) && utf8.RuneCountInString(p.text) <= 60 && !strings.ContainsAny(p.text, terminators+"，,：:") {
		return false // a notice's title line: …实施方案的通知
	}
	return !endsWithRemark(p.text)
}

// endsWithRemark reports whether a line ends with a bracket that follows a
// finished sentence: "…予以适当倾斜。（农业农村部、财政部负责）" ends its
// paragraph even though ） is not a full stop.
func endsWithRemark(s string) bool {
	s = strings.TrimRightFunc(s, isSpace)
	if !strings.HasSuffix(s, "）") && !strings.HasSuffix(s, ")") {
		return false
	}
	o := strings.LastIndexAny(s, "（(")
	if o <= 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:o])
	return strings.ContainsRune(terminators, r)
}

// joinText glues the halves of a broken sentence: Chinese needs no space,
// but two Latin words or numbers would run together without one.
func joinText(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			ra, _ := utf8.DecodeLastRuneInString(parts[i-1])
			rb, _ := utf8.DecodeRuneInString(p)
			if ra < utf8.RuneSelf && rb < utf8.RuneSelf && isAlnum(ra) && isAlnum(rb) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
	}
	return b.String()
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// endsSentence reports whether s ends with sentence punctuation, looking
// past closing quotes and brackets (…。” counts).
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool { return isSpace(r) || strings.ContainsRune(closers, r) })
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(terminators, r)
}

// standsAlone reports whether a line is never half of a broken sentence: a
// numbered item's start, a signature block line, an 附件 line, a closing
// remark's opening.
func standsAlone(s string) bool {
	if _, ok := signature(s); ok {
		return true
	}
	if strings.HasSuffix(s, "：") && utf8.RuneCountInString(s) <= 12 {
		return true // a salutation: 同志们： 各位代表：
	}
	return itemOf(s) != nil || isAttachment(s) || isClosing(s) || isLabelLine(s) || isLetterhead(s) || strings.HasSuffix(s, "的通知") && strings.Contains(s, "关于")
}
