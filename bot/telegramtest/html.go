package telegramtest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// htmlTags are the tags Telegram's HTML parse mode accepts.
var htmlTags = map[string]MessageEntityType{
	"b": MessageEntityTypeBold, "strong": MessageEntityTypeBold,
	"i": MessageEntityTypeItalic, "em": MessageEntityTypeItalic,
	"u": MessageEntityTypeUnderline, "ins": MessageEntityTypeUnderline,
	"s": MessageEntityTypeStrikethrough, "strike": MessageEntityTypeStrikethrough,
	"del":        MessageEntityTypeStrikethrough,
	"a":          MessageEntityTypeTextLink,
	"code":       MessageEntityTypeCode,
	"pre":        MessageEntityTypePre,
	"tg-spoiler": MessageEntityTypeSpoiler, "span": MessageEntityTypeSpoiler,
	"blockquote": MessageEntityTypeBlockquote,
	"tg-emoji":   MessageEntityTypeCustomEmoji,
}

type openTag struct {
	name  string
	attrs map[string]string
	start int // UTF-16 offset in the output text
}

// htmlParser turns Telegram HTML into plain text plus entities, the way
// the Bot API does before storing a message. It follows Telegram's parser
// and its error texts, but is stricter in one place: a bare '&' that does
// not start one of the supported entities is an error, as the API
// documentation demands, so bots that pass here escape correctly.
type htmlParser struct {
	src   string
	out   strings.Builder
	off   int
	stack []openTag
	ents  []MessageEntity
}

func parseHTML(src string) (string, []MessageEntity, *apiError) {
	p := &htmlParser{src: src}
	if err := p.run(); err != "" {
		return "", nil, badRequest("can't parse entities: " + err)
	}
	sort.SliceStable(p.ents, func(i, j int) bool {
		a, b := p.ents[i], p.ents[j]
		return a.Offset < b.Offset || a.Offset == b.Offset && a.Length > b.Length
	})
	return p.out.String(), p.ents, nil
}

func (p *htmlParser) write(r rune) {
	p.out.WriteRune(r)
	if r >= 0x10000 {
		p.off += 2
	} else {
		p.off++
	}
}

func (p *htmlParser) run() string {
	s := p.src
	for i := 0; i < len(s); {
		switch s[i] {
		case '&':
			r, n := decodeEntity(s[i:])
			if n == 0 {
				return fmt.Sprintf("Unescaped \"&\" at byte offset %d: use &amp;", i)
			}
			p.write(r)
			i += n
		case '<':
			var err string
			if i+1 < len(s) && s[i+1] == '/' {
				i, err = p.endTag(i)
			} else {
				i, err = p.startTag(i)
			}
			if err != "" {
				return err
			}
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			p.write(r)
			i += n
		}
	}
	if n := len(p.stack); n > 0 {
		return fmt.Sprintf("Can't find end tag corresponding to start tag \"%s\"", p.stack[n-1].name)
	}
	return ""
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func (p *htmlParser) name(j int) (string, int) {
	k := j
	for k < len(p.src) && isNameByte(p.src[k]) {
		k++
	}
	return strings.ToLower(p.src[j:k]), k
}

func (p *htmlParser) skipSpace(j int) int {
	for j < len(p.src) && strings.IndexByte(" \t\n\r", p.src[j]) >= 0 {
		j++
	}
	return j
}

func (p *htmlParser) startTag(i int) (int, string) {
	name, j := p.name(i + 1)
	if _, ok := htmlTags[name]; !ok {
		return 0, fmt.Sprintf("Unsupported start tag \"%s\" at byte offset %d", name, i)
	}
	attrs := map[string]string{}
	for {
		j = p.skipSpace(j)
		if j >= len(p.src) {
			return 0, fmt.Sprintf("Unclosed start tag at byte offset %d", i)
		}
		if p.src[j] == '>' {
			j++
			break
		}
		var attr string
		attr, j = p.name(j)
		if attr == "" {
			return 0, fmt.Sprintf("Empty attribute name in the tag \"%s\" at byte offset %d", name, i)
		}
		j = p.skipSpace(j)
		if j >= len(p.src) || p.src[j] != '=' {
			attrs[attr] = "" // a flag such as <blockquote expandable>
			continue
		}
		j = p.skipSpace(j + 1)
		if j >= len(p.src) {
			return 0, fmt.Sprintf("Unclosed start tag at byte offset %d", i)
		}
		var raw string
		if q := p.src[j]; q == '"' || q == '\'' {
			end := strings.IndexByte(p.src[j+1:], q)
			if end < 0 {
				return 0, fmt.Sprintf("Unclosed start tag at byte offset %d", i)
			}
			raw, j = p.src[j+1:j+1+end], j+end+2
		} else {
			k := j
			for k < len(p.src) && strings.IndexByte(" \t\n\r>", p.src[k]) < 0 {
				k++
			}
			raw, j = p.src[j:k], k
		}
		attrs[attr] = decodeAttr(raw)
	}
	switch {
	case name == "span" && attrs["class"] != "tg-spoiler":
		return 0, fmt.Sprintf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", i)
	case name == "tg-emoji" && attrs["emoji-id"] == "":
		return 0, fmt.Sprintf("Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset %d", i)
	}
	p.stack = append(p.stack, openTag{name: name, attrs: attrs, start: p.off})
	return j, ""
}

func (p *htmlParser) endTag(i int) (int, string) {
	name, j := p.name(i + 2)
	j = p.skipSpace(j)
	if j >= len(p.src) || p.src[j] != '>' {
		return 0, fmt.Sprintf("Unclosed end tag at byte offset %d", i)
	}
	n := len(p.stack)
	if n == 0 {
		return 0, fmt.Sprintf("Unexpected end tag at byte offset %d", i)
	}
	top := p.stack[n-1]
	if name != top.name {
		return 0, fmt.Sprintf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.name, name)
	}
	p.stack = p.stack[:n-1]
	p.emit(top)
	return j + 1, ""
}

// emit adds the entity of a closed tag; empty ones vanish, as in Telegram.
func (p *htmlParser) emit(t openTag) {
	e := MessageEntity{Type: htmlTags[t.name], Offset: t.start, Length: p.off - t.start}
	switch t.name {
	case "code":
		if n := len(p.stack); n > 0 && p.stack[n-1].name == "pre" {
			// <pre><code class="language-go"> is one pre entity.
			p.stack[n-1].attrs["language"] = strings.TrimPrefix(t.attrs["class"], "language-")
			return
		}
	case "pre":
		e.Language = t.attrs["language"]
	case "a":
		href := t.attrs["href"]
		if href == "" {
			return
		}
		if id, ok := strings.CutPrefix(href, "tg://user?id="); ok {
			uid, _ := strconv.ParseInt(id, 10, 64)
			e.Type, e.User = MessageEntityTypeTextMention, &User{ID: uid}
		} else {
			e.URL = href
		}
	case "blockquote":
		if _, ok := t.attrs["expandable"]; ok {
			e.Type = MessageEntityTypeExpandableBlockquote
		}
	case "tg-emoji":
		e.CustomEmojiID = t.attrs["emoji-id"]
	}
	if e.Length > 0 {
		p.ents = append(p.ents, e)
	}
}

// decodeEntity decodes one of &lt; &gt; &amp; &quot; or a numeric entity at
// the start of s, returning the rune and bytes used (0 if none).
func decodeEntity(s string) (rune, int) {
	for name, r := range map[string]rune{"&lt;": '<', "&gt;": '>', "&amp;": '&', "&quot;": '"'} {
		if strings.HasPrefix(s, name) {
			return r, len(name)
		}
	}
	if !strings.HasPrefix(s, "&#") {
		return 0, 0
	}
	end := strings.IndexByte(s, ';')
	if end < 3 {
		return 0, 0
	}
	num, base := s[2:end], 10
	if num[0] == 'x' || num[0] == 'X' {
		num, base = num[1:], 16
	}
	v, err := strconv.ParseUint(num, base, 32)
	if err != nil || v == 0 || v > utf8.MaxRune || v >= 0xD800 && v <= 0xDFFF {
		return 0, 0
	}
	return rune(v), end + 1
}

// decodeAttr decodes entities in an attribute value, leniently.
func decodeAttr(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if r, n := decodeEntity(s[i:]); n > 0 {
			b.WriteRune(r)
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
