package telegramtest_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestServer_HTML(t *testing.T) {
	srv := MustServer(t)
	b := MustBot(t, srv)
	ctx := testContext(t)
	ent := func(typ models.MessageEntityType, off, n int) models.MessageEntity {
		return models.MessageEntity{Type: typ, Offset: off, Length: n}
	}
	for name, tc := range map[string]struct {
		in    string
		text  string
		ents  []models.MessageEntity
		error string
	}{
		"Plain":    {in: "a > b", text: "a > b"},
		"Entities": {in: "&lt;x&gt; &amp; &quot;y&quot; &#20219;&#x52a1;", text: `<x> & "y" 任务`},
		"Bold":     {in: "<b>紧急</b> 报表", text: "紧急 报表", ents: []models.MessageEntity{ent("bold", 0, 2)}},
		"UTF16":    {in: "😀<i>x</i>", text: "😀x", ents: []models.MessageEntity{ent("italic", 2, 1)}},
		"Nested": {in: "<b>a<i>b</i></b>", text: "ab", ents: []models.MessageEntity{
			ent("bold", 0, 2), ent("italic", 1, 1)}},
		"Link": {in: `<a href="https://x.example/?a=1&amp;b=2">link</a>`, text: "link", ents: []models.MessageEntity{
			{Type: "text_link", Offset: 0, Length: 4, URL: "https://x.example/?a=1&b=2"}}},
		"Pre": {in: `<pre><code class="language-go">x := 1</code></pre>`, text: "x := 1", ents: []models.MessageEntity{
			{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		"Spoiler":    {in: `<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>`, text: "st", ents: []models.MessageEntity{ent("spoiler", 0, 1), ent("spoiler", 1, 1)}},
		"Blockquote": {in: "<blockquote expandable>q</blockquote>", text: "q", ents: []models.MessageEntity{ent("expandable_blockquote", 0, 1)}},
		"Others":     {in: "<strong>1</strong><em>2</em><u>3</u><ins>4</ins><s>5</s><strike>6</strike><del>7</del><code>8</code>", text: "12345678"},

		"LessThan":     {in: "a < b", error: `can't parse entities: Unsupported start tag "" at byte offset 2`},
		"UnknownTag":   {in: "<div>x</div>", error: `Unsupported start tag "div" at byte offset 0`},
		"Ampersand":    {in: "R&D", error: "at byte offset 1"},
		"NamedEntity":  {in: "a&nbsp;b", error: "at byte offset 1"},
		"Unclosed":     {in: "<b>x", error: `Can't find end tag corresponding to start tag "b"`},
		"Unmatched":    {in: "<b><i>x</b></i>", error: `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		"Unexpected":   {in: "x</b>", error: "Unexpected end tag at byte offset 1"},
		"UnclosedTag":  {in: `<a href="x>y`, error: "Unclosed start tag at byte offset 0"},
		"SpanNoClass":  {in: "<span>x</span>", error: `Tag "span" must have class "tg-spoiler"`},
		"EmptyAfter":   {in: "<b></b>", error: "Bad Request: message text is empty"},
		"OnlyEntities": {in: "<i> </i>", error: "Bad Request: message text is empty"},
	} {
		t.Run(name, func(t *testing.T) {
			m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: tc.in, ParseMode: models.ParseModeHTML})
			if tc.error != "" {
				if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), tc.error) {
					t.Errorf("err = %v, want a 400 containing %q", err, tc.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Text != tc.text {
				t.Errorf("text = %q, want %q", m.Text, tc.text)
			}
			if tc.ents != nil && !reflect.DeepEqual(m.Entities, tc.ents) {
				t.Errorf("entities = %+v, want %+v", m.Entities, tc.ents)
			}
		})
	}
	if calls := srv.Calls("sendMessage"); calls[0].Params["parse_mode"] != "HTML" {
		t.Errorf("raw parameters not recorded: %+v", calls[0].Params)
	}
}
