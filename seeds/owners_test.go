package seeds_test

import (
	"os"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

func TestDepartments(t *testing.T) {
	depts := seeds.Departments()
	seen := map[string]bool{}
	for _, d := range depts {
		if seen[d] {
			t.Errorf("duplicate department %q", d)
		}
		seen[d] = true
	}
	for _, d := range []string{"办公室", "综合处", "法规与标准处", "行政审批办公室", "大气环境与应对气候变化处",
		"水生态环境处", "海洋生态环境处", "固体废物与土壤生态环境处", "自然生态保护处", "核与辐射安全监管处",
		"环境影响评价与排放管理处", "生态环境监测处", "宣传教育处", "人事处", "机关党委", "执法局", seeds.FallbackOwner} {
		if !seen[d] {
			t.Errorf("department %q missing from departments.txt", d)
		}
	}
	owners, err := seeds.ParseOwners(ownersTxt(t))
	if err != nil {
		t.Fatalf("owners.txt: %v", err)
	}
	for _, d := range owners.Departments() {
		if !seen[d] {
			t.Errorf("owners.txt names %q, which is not in departments.txt", d)
		}
	}
}

// TestSuggestOwners_Seed checks that every task of the bundled plan gets a
// keyword-based (not fallback) suggestion from the department list, and pins
// a sample of them.
func TestSuggestOwners_Seed(t *testing.T) {
	_, tasks := mustParseSeed(t)
	depts := map[string]bool{}
	for _, d := range seeds.Departments() {
		depts[d] = true
	}
	seeds.SuggestOwners(tasks)
	for _, task := range tasks {
		if !task.LeadSuggested || !depts[task.Lead] {
			t.Errorf("%s: lead %q suggested=%v, want a suggested department", task.ID, task.Lead, task.LeadSuggested)
		}
		if _, ok := seeds.SuggestOwner(task.Text); !ok {
			t.Errorf("%s: no keyword matches %q", task.ID, task.Text)
		}
	}
	m := byID(tasks)
	for id, want := range map[string]string{
		"3.1.2": "大气环境与应对气候变化处", "3.2.1": "固体废物与土壤生态环境处", "3.2.3": "环境影响评价与排放管理处",
		"4.1.3": "大气环境与应对气候变化处", "4.2.4": "水生态环境处", "4.3.2": "海洋生态环境处",
		"4.5.1": "自然生态保护处", "5.1.2": "综合处", "5.3.1": "科技与财务处", "6.2.1": "环境影响评价与排放管理处",
		"6.3.2": "宣传教育处", "6.4.3": "执法局", "6.4.10": "核与辐射安全监管处", "6.5.1": "法规与标准处",
		"6.6.3": "生态环境监测处", "6.6.6": "办公室", "7.2.2": "机关党委", "7.3.2": "机关党委", "7.4.1": "人事处",
	} {
		if got := m[id].Lead; got != want {
			t.Errorf("%s lead = %q, want %q (%s)", id, got, want, m[id].Text)
		}
	}
}

func TestOwnerMap(t *testing.T) {
	m, err := seeds.ParseOwners("# comment\n甲处: 排污口, 废水\n乙处：入海排污口、医疗废物 # trailing\n丙处: 水\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, want string }{
		{"规范入海排污口管理", "乙处"},   // longest wins
		{"加强医疗废物、废水处置", "乙处"}, // longest wins over earlier
		{"处理废水和排污口", "甲处"},    // tie: earliest in text
		{"保护水资源", "丙处"},       // single match
		{"无关内容", ""},          // no match
	} {
		got, ok := m.Suggest(tc.text)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Suggest(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
	tasks := []*store.Task{
		{ID: "1", Text: "无关内容"},
		{ID: "2", Text: "处理废水", Lead: "丁处"},
		{ID: "3", Text: "无关", Section: "三、治水 / (一)保护水源"},
		nil,
	}
	m.SuggestAll(tasks)
	if tasks[0].Lead != seeds.FallbackOwner || !tasks[0].LeadSuggested {
		t.Errorf("fallback: %+v", tasks[0])
	}
	if tasks[1].Lead != "丁处" || tasks[1].LeadSuggested {
		t.Errorf("existing lead overwritten: %+v", tasks[1])
	}
	if tasks[2].Lead != "丙处" || !tasks[2].LeadSuggested {
		t.Errorf("section match: %+v", tasks[2])
	}

	for _, bad := range []string{"甲处 排污口", ": 排污口", "甲处: 水\n乙处: 水"} {
		if _, err := seeds.ParseOwners(bad); err == nil || !hasHan(err.Error()) {
			t.Errorf("ParseOwners(%q) error = %v, want a Chinese error", bad, err)
		}
	}
}

// ownersTxt reads the bundled owners.txt from the package directory.
func ownersTxt(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("owners.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(string(b), "\ufeff")
}
