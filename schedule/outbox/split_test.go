package outbox_test

import (
	"github.com/duban-bureau/duban/schedule/outbox"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

func u16(s string) int { return len(utf16.Encode([]rune(s))) }

func TestSplitMessage(t *testing.T) {
	t.Run("Short", func(t *testing.T) {
		if got := outbox.SplitMessage("<b>短</b>\n消息", 4096); len(got) != 1 || got[0] != "<b>短</b>\n消息" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("LineBoundaries", func(t *testing.T) {
		var lines []string
		for i := 0; i < 100; i++ {
			lines = append(lines, "🔴 <b>4.1."+strconv.Itoa(i)+"</b> 完成85家挥发性有机物重点行业企业深度整治")
		}
		text := strings.Join(lines, "\n")
		parts := outbox.SplitMessage(text, 500)
		if len(parts) < 2 {
			t.Fatalf("got %d parts", len(parts))
		}
		for _, p := range parts {
			if u16(p) > 500 {
				t.Errorf("part of %d UTF-16 units > 500", u16(p))
			}
		}
		if got := strings.Join(parts, "\n"); got != text {
			t.Errorf("parts do not rejoin to the text")
		}
	})
	t.Run("PreReopened", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("<b>各部门进展</b>\n<pre>")
		for i := 0; i < 60; i++ {
			b.WriteString("大气环境与应对气候变化处   4   1   2   1   25%\n")
		}
		b.WriteString("</pre>\n<b>逾期任务</b>\n无")
		text := b.String()
		parts := outbox.SplitMessage(text, 400)
		if len(parts) < 3 {
			t.Fatalf("got %d parts", len(parts))
		}
		var rejoined []string
		for i, p := range parts {
			if u16(p) > 400 {
				t.Errorf("part %d has %d units", i, u16(p))
			}
			if strings.Count(p, "<pre>") != strings.Count(p, "</pre>") {
				t.Errorf("part %d has unbalanced <pre>:\n%s", i, p)
			}
			if i > 0 && i < len(parts)-1 && (!strings.HasPrefix(p, "<pre>") || !strings.HasSuffix(p, "</pre>")) {
				t.Errorf("middle part %d not wrapped in <pre>", i)
			}
			if i > 0 {
				p = strings.TrimPrefix(p, "<pre>")
			}
			if i < len(parts)-1 {
				p = strings.TrimSuffix(p, "</pre>")
			}
			rejoined = append(rejoined, p)
		}
		if got := strings.Join(rejoined, "\n"); got != text {
			t.Errorf("parts without the added tags do not rejoin:\n%s", got)
		}
	})
	t.Run("LongLine", func(t *testing.T) {
		line := strings.Repeat("整治<b>VOCs</b>&amp;", 200)
		parts := outbox.SplitMessage(line, 300)
		if strings.Join(parts, "") != line {
			t.Errorf("pieces do not rejoin")
		}
		for _, p := range parts {
			if u16(p) > 300 {
				t.Errorf("piece has %d units", u16(p))
			}
			if i := strings.LastIndex(p, "<"); i >= 0 && !strings.Contains(p[i:], ">") {
				t.Errorf("piece ends inside a tag: %q", p[len(p)-10:])
			}
			if i := strings.LastIndex(p, "&"); i >= 0 && !strings.Contains(p[i:], ";") {
				t.Errorf("piece ends inside an entity: %q", p[len(p)-10:])
			}
		}
	})
}
