package seeds

import (
	"fmt"
	"strings"

	"github.com/duban-bureau/duban/store"
)

// OwnersSetting is the store setting that holds a bureau's own department
// file (see ParseDeptFile) once `duban depts import` has read it. Owner
// suggestions then come from it instead of the bundled Dalian map.
const OwnersSetting = "owner_map"

// ParseDeptFile reads a bureau's department file: one department per line,
// optionally followed by a colon and its keywords, in the owners.txt format:
//
//	办公室
//	市场监管科: 食品, 药品、特种设备
//
// It returns the departments in file order and the keyword map (possibly
// with no keywords at all). Errors name the line.
func ParseDeptFile(data string) ([]string, *OwnerMap, error) {
	var depts []string
	seen := map[string]bool{}
	var withKeywords strings.Builder
	for n, l := range strings.Split(strings.ReplaceAll(strings.TrimPrefix(data, "\ufeff"), "\r\n", "\n"), "\n") {
		raw := l
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		l = strings.TrimSpace(l)
		if l == "" {
			withKeywords.WriteString("\n")
			continue
		}
		name := l
		if i := strings.IndexAny(l, ":："); i >= 0 {
			name = strings.TrimSpace(l[:i])
			withKeywords.WriteString(raw)
		}
		withKeywords.WriteString("\n")
		if name == "" {
			return nil, nil, fmt.Errorf("第%d行: 单位名称为空", n+1)
		}
		if len([]rune(name)) > 40 {
			return nil, nil, fmt.Errorf("第%d行: 单位名称“%s”过长", n+1, name)
		}
		if !seen[name] {
			seen[name] = true
			depts = append(depts, name)
		}
	}
	if len(depts) == 0 {
		return nil, nil, fmt.Errorf("单位文件中没有任何单位")
	}
	m, err := ParseOwners(withKeywords.String())
	if err != nil {
		return nil, nil, err
	}
	for _, d := range m.Departments() {
		if !seen[d] {
			return nil, nil, fmt.Errorf("关键词所属单位“%s”不在单位列表中", d)
		}
	}
	return depts, m, nil
}

// DeptFileResult says what ApplyDeptFile changed.
type DeptFileResult struct {
	Added, Removed, Kept []string // Kept: not in the file but still owning tasks or contacts
	Keywords             int
}

// ApplyDeptFile makes a bureau's department file the database's list and
// keyword map, in the caller's transaction: it adds the file's departments,
// removes the others that nothing uses (those still owning tasks or
// contacts are kept and reported), and stores the file as OwnersSetting.
func ApplyDeptFile(tx *store.Tx, data string) (DeptFileResult, error) {
	var res DeptFileResult
	depts, m, err := ParseDeptFile(data)
	if err != nil {
		return res, err
	}
	want := map[string]bool{}
	for _, d := range depts {
		want[d] = true
		if !tx.HasDepartment(d) {
			if err := tx.AddDepartment(d); err != nil {
				return res, err
			}
			res.Added = append(res.Added, d)
		}
	}
	for _, d := range tx.DepartmentNames() {
		if want[d] {
			continue
		}
		if tx.DeptTaskCount(d) > 0 {
			res.Kept = append(res.Kept, d)
			continue
		}
		if err := tx.RemoveDepartment(d); err != nil {
			res.Kept = append(res.Kept, d)
			continue
		}
		res.Removed = append(res.Removed, d)
	}
	res.Keywords = len(m.rules)
	return res, tx.SetSetting(OwnersSetting, data)
}

// OwnersFor returns the keyword map a database uses: its stored department
// file (OwnersSetting), or the bundled map when it has none.
func OwnersFor(stored string) *OwnerMap {
	if stored == "" {
		return bundledOwners
	}
	if _, m, err := ParseDeptFile(stored); err == nil {
		return m
	}
	return &OwnerMap{}
}

// SuggestKnown is SuggestAll limited to departments the database has:
// a keyword whose department is not in known suggests nothing, and the
// fallback applies only when known has it, so another bureau's plan is
// never given a Dalian department. Tasks left without a lead wait for
// /assign. known empty means no limit.
func (m *OwnerMap) SuggestKnown(tasks []*store.Task, known []string) {
	if len(known) == 0 {
		m.SuggestAll(tasks)
		return
	}
	ok := map[string]bool{}
	for _, d := range known {
		ok[d] = true
	}
	limited := &OwnerMap{}
	for _, r := range m.rules {
		if ok[r.dept] {
			limited.rules = append(limited.rules, r)
		}
	}
	for _, t := range tasks {
		if t == nil || t.Lead != "" {
			continue
		}
		dept, found := limited.Suggest(t.Text)
		if !found {
			dept, found = limited.Suggest(t.Section)
		}
		if !found && ok[FallbackOwner] {
			dept, found = FallbackOwner, true
		}
		if found {
			t.Lead, t.LeadSuggested = dept, true
		}
	}
}

// ForeignPlan reports whether a document names its owners in its text and
// none of them is a department in known: a 国务院 plan naming 生态环境部
// imported into a database that still holds the bundled department list is
// another organisation's plan, and the bundled keywords would guess
// departments of the wrong bureau for its unnamed tasks.
func ForeignPlan(tasks []*store.Task, knownDepts []string) bool {
	known := make(map[string]bool, len(knownDepts))
	for _, d := range knownDepts {
		known[d] = true
	}
	named := false
	for _, t := range tasks {
		if t == nil || t.Lead == "" || t.LeadSuggested {
			continue
		}
		named = true
		if known[t.Lead] {
			return false
		}
		for _, d := range t.CoDepts {
			if known[d] {
				return false
			}
		}
	}
	return named
}
