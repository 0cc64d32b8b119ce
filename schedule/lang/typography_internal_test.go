package lang

import (
	"sort"
	"strings"
	"testing"
	"unicode"
)

// cjk is a Chinese character or Chinese punctuation.
func cjk(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF || r == '“' || r == '”' || r == '…'
}

// TestCatalogue_ZhTypography holds every Chinese string of the catalogue to
// the rules a civil servant reads by: no ASCII space next to a Chinese
// character (“您是 大气环境处 的联络员”), and full-width punctuation inside
// Chinese sentences (，。：；？！（）). Usage lines are command syntax and
// keep their spaces, as do examples of input in “quotes”. The reminders'
// texts (reminders.go) the store's sentences (store.go) keep the spaces around numbers, dates and commands
// they were published with (the digest's golden files and the reminder
// tests pin them), so only the punctuation rule holds them. What a list
// file's import reports (listfile.go: 第3行 牵头单位: …, 无法读取 XLSX 文件: …)
// is pinned by the import tests with its ASCII colons and is exempt, as are
// the operator's start-up messages about a policy or holiday file (config.go).
func TestCatalogue_ZhTypography(t *testing.T) {
	keys := make([]string, 0, len(catalogue))
	for k := range catalogue {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		zh := []rune(catalogue[k][0])
		if strings.HasPrefix(k, "usage_") {
			continue
		}
		quoted := false
		_, spaced := reminders[k]
		if _, ok := storeTexts[k]; ok {
			spaced = true
		}
		_, fileFormat := listTexts[k]
		if _, ok := configTexts[k]; ok {
			fileFormat = true // the operator's start-up messages, as first released
		}
		spaced = spaced || fileFormat
		for i, r := range zh {
			switch r {
			case '“':
				quoted = true
			case '”':
				quoted = false
			}
			if quoted {
				continue // a verbatim example of what to type
			}
			prev, next := rune(0), rune(0)
			if i > 0 {
				prev = zh[i-1]
			}
			if i+1 < len(zh) {
				next = zh[i+1]
			}
			switch {
			case r == ' ' && !spaced && (cjk(prev) || cjk(next)) && !unicode.Is(unicode.So, prev) && !unicode.Is(unicode.So, next) && prev != '\ufe0f':
				t.Errorf("%s: ASCII space next to a Chinese character at %d: %q", k, i, string(zh))
			case strings.ContainsRune(",;:?!()", r) && !fileFormat && (cjk(prev) || cjk(next) || unicode.Is(unicode.Han, prev)):
				t.Errorf("%s: half-width %q in a Chinese sentence: %q", k, r, string(zh))
			}
		}
		if s := strings.TrimSpace(catalogue[k][0]); strings.HasPrefix(k, "saved_") && !strings.HasSuffix(s, "。") {
			t.Errorf("%s: a Chinese sentence without its 。: %q", k, s)
		}
	}
}
