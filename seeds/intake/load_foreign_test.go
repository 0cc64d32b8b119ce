package intake_test

import (
	"testing"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/intake"
)

// TestLoad_ForeignPlanGetsNoBundledGuesses: a 国务院 plan that names
// its own owners (生态环境部 …), imported into a database that still holds
// the bundled department list, gets no Dalian department guessed for the
// tasks whose owners it does not name; the named owners stay confirmed.
// The bundled plan itself (no owners named) still gets its suggestions.
func TestLoad_ForeignPlanGetsNoBundledGuesses(t *testing.T) {
	plan := "2019年“无废城市”建设试点工作方案\n\n一、主要任务\n（一）强化顶层设计。\n" +
		"开展大气和固体废物污染防治宣传。健全固体废物统计制度。（生态环境部牵头，国家发展改革委参与）\n"
	l, err := intake.Load("方案.txt", []byte(plan), 2019, seeds.Departments(), "", intake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, task := range l.Tasks {
		switch {
		case task.LeadSuggested:
			t.Errorf("%s %q: suggested lead %q from the bundled list", task.ID, task.Text, task.Lead)
		case task.Lead == "生态环境部":
			named++
		}
	}
	if named != 1 {
		t.Errorf("%d tasks led by 生态环境部, want the one its note names: %+v", named, l.Tasks)
	}

	l, err = intake.Load(seeds.BundledName, seeds.Bundled(), 2021, seeds.Departments(), "", intake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range l.Tasks {
		if task.Lead == "" || !task.LeadSuggested {
			t.Fatalf("bundled plan %s: lead %q suggested=%v, want a suggestion", task.ID, task.Lead, task.LeadSuggested)
		}
	}
}
