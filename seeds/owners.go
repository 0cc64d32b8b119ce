package seeds

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/duban-bureau/duban/store"
)

// FallbackOwner is suggested for a task no keyword matches: 综合处 coordinates
// the plan as a whole, so it is the department that would re-route such a
// task. The suggestion is still marked LeadSuggested until confirmed.
const FallbackOwner = "综合处"

//go:embed owners.txt
var ownersTxt string

// bundledOwners is the embedded keyword map; it is checked by the tests, so a
// broken owners.txt fails the build's tests rather than a user's start-up.
var bundledOwners = mustParseOwners(ownersTxt)

// OwnerMap maps keywords found in a task's text to a suggested lead
// department. It is read from a text file so a bureau can retune it without
// touching code.
type OwnerMap struct {
	rules []ownerRule
}

type ownerRule struct {
	keyword string
	dept    string
	order   int // position in the file, the last tie-breaker
}

// ParseOwners reads an owner keyword map. Format, one department per line:
//
//	部门名称: 关键词, 关键词、关键词
//
// The colon may be ASCII or full-width; keywords are separated by , ， or 、;
// text after # is a comment; a department may appear on several lines. A
// keyword listed twice is an error, because the file order would otherwise
// silently decide which department wins.
func ParseOwners(data string) (*OwnerMap, error) {
	m := &OwnerMap{}
	seen := map[string]string{}
	for n, l := range strings.Split(data, "\n") {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		i := strings.IndexAny(l, ":：")
		if i < 0 {
			return nil, fmt.Errorf("第%d行: 缺少冒号,应为“部门: 关键词, 关键词”", n+1)
		}
		dept := strings.TrimSpace(l[:i])
		if dept == "" {
			return nil, fmt.Errorf("第%d行: 部门名称为空", n+1)
		}
		_, size := utf8.DecodeRuneInString(l[i:])
		for _, kw := range strings.FieldsFunc(l[i+size:], func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
			if kw = strings.TrimSpace(kw); kw == "" {
				continue
			}
			if d, dup := seen[kw]; dup {
				return nil, fmt.Errorf("第%d行: 关键词“%s”重复(已属于%s)", n+1, kw, d)
			}
			seen[kw] = dept
			m.rules = append(m.rules, ownerRule{keyword: kw, dept: dept, order: len(m.rules)})
		}
	}
	return m, nil
}

func mustParseOwners(data string) *OwnerMap {
	m, err := ParseOwners(data)
	if err != nil {
		panic("seeds: owners.txt: " + err.Error())
	}
	return m
}

// Departments returns the departments the map names, in file order, so a
// caller can check them against its department list.
func (m *OwnerMap) Departments() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range m.rules {
		if !seen[r.dept] {
			seen[r.dept] = true
			out = append(out, r.dept)
		}
	}
	return out
}

// Suggest returns the department whose keyword best matches text. The
// longest matching keyword wins (医疗废物 beats 废水, 入海排污口 beats
// 排污口): a longer keyword is more specific. Ties go to the keyword found
// earliest in the text — a task's verb and object come first, its context
// later — and then to the earlier line of the file. ok is false when no
// keyword occurs in text.
func (m *OwnerMap) Suggest(text string) (dept string, ok bool) {
	best, bestPos, bestLen := -1, 0, 0
	for i, r := range m.rules {
		pos := strings.Index(text, r.keyword)
		if pos < 0 {
			continue
		}
		l := utf8.RuneCountInString(r.keyword)
		if best < 0 || l > bestLen || l == bestLen && pos < bestPos {
			best, bestPos, bestLen = i, pos, l
		}
	}
	if best < 0 {
		return "", false
	}
	return m.rules[best].dept, true
}

// SuggestAll sets a suggested lead on every task that has none: the best
// keyword match in the task text, else in its section path (a task like
// "全面落实“依法治污年”活动。" may only make sense under its heading), else
// FallbackOwner. Suggested leads carry LeadSuggested so the
// chat and the list show them as unconfirmed; a task that already has a lead
// (imported or confirmed) is left alone.
func (m *OwnerMap) SuggestAll(tasks []*store.Task) {
	for _, t := range tasks {
		if t == nil || t.Lead != "" {
			continue
		}
		dept, ok := m.Suggest(t.Text)
		if !ok {
			dept, ok = m.Suggest(t.Section)
		}
		if !ok {
			dept = FallbackOwner
		}
		t.Lead, t.LeadSuggested = dept, true
	}
}

// SuggestOwner is Suggest with the bundled map (owners.txt).
func SuggestOwner(text string) (dept string, ok bool) { return bundledOwners.Suggest(text) }

// SuggestOwners is SuggestAll with the bundled map (owners.txt).
func SuggestOwners(tasks []*store.Task) { bundledOwners.SuggestAll(tasks) }
