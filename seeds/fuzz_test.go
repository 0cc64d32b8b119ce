package seeds_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/seeds"
)

// reID: S.U.N, with U = 0 for a section without subsections (issue 10).
var reID = regexp.MustCompile(`^[1-9]\d*\.(?:0|[1-9]\d*)\.[1-9]\d*$`)

// FuzzParse checks that Parse never panics, that any error is a Chinese
// sentence, that IDs are well-formed and unique, and that parsing is
// deterministic. Run: go test -fuzz=FuzzParse ./seeds
func FuzzParse(f *testing.F) {
	seed := string(seeds.Bundled())
	f.Add(seed)
	f.Add(strings.ReplaceAll(seed, "\n", "\r\n"))
	f.Add(strings.ReplaceAll(strings.ReplaceAll(seed, "(", "（"), ")", "）"))
	f.Add(strings.ReplaceAll(seed, "。", ";"))
	f.Add("# 2022年要点\n## 三、治气\n**（一）标题。** 完成5处整治;6月底前完成。\n- 继续开展“巡查。”\n创建时间：2022-01-01")
	f.Add("2021年要点\n三、治气\n(一)推进\n深入开展“创新\n\u00a0\n实践年”活动。")
	f.Add("")
	f.Add("\xff\xfe\x00")
	f.Add("2021年要点\n十、甲\n(十)乙。丙(丁。")
	f.Add("某方案\n国发〔2019〕5号\n一、任务\n1.甲（A牵头，B参与）。\n（一）乙。丙。（牵头单位：C，配合单位：D）\n①丁\n附件：表\n各位代表！")
	f.Fuzz(func(t *testing.T, doc string) {
		plan, tasks, err := seeds.Parse([]byte(doc), "fuzz")
		if err != nil {
			if plan != nil || tasks != nil || !hasHan(err.Error()) {
				t.Fatalf("error %q with plan %v tasks %d", err, plan, len(tasks))
			}
			return
		}
		seen := map[string]bool{}
		for _, task := range tasks {
			if !reID.MatchString(task.ID) || seen[task.ID] {
				t.Fatalf("bad or duplicate ID %q", task.ID)
			}
			seen[task.ID] = true
			if task.Text == "" || task.Section == "" || task.PlanID != plan.ID {
				t.Fatalf("incomplete task %+v", task)
			}
			if task.Deadline.IsZero() == (task.Cadence == "") {
				t.Fatalf("task %s has deadline %v and cadence %q", task.ID, task.Deadline, task.Cadence)
			}
		}
		plan2, tasks2, err2 := seeds.Parse([]byte(doc), "fuzz")
		if err2 != nil || !reflect.DeepEqual(plan, plan2) || !reflect.DeepEqual(tasks, tasks2) {
			t.Fatalf("second parse differs (err %v)", err2)
		}
		named := map[string]bool{}
		for _, task := range tasks {
			if task.Lead != "" {
				named[task.ID] = true // the text names it (a responsibility note)
				if task.LeadSuggested {
					t.Fatalf("task %s: a lead named in the text is marked suggested", task.ID)
				}
			}
		}
		seeds.SuggestOwners(tasks)
		for _, task := range tasks {
			if task.Lead == "" || task.LeadSuggested == named[task.ID] {
				t.Fatalf("task %s got no suggested lead (named in text: %v)", task.ID, named[task.ID])
			}
		}
	})
}

func BenchmarkParseSeed(b *testing.B) {
	doc := seeds.Bundled()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := seeds.Parse(doc, seeds.BundledName); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseLongLines guards against quadratic joining: thousands of
// lines with no sentence punctuation all join into one paragraph.
func BenchmarkParseLongLines(b *testing.B) {
	doc := []byte("2021年要点\n三、治气\n(一)标题。" + strings.Repeat("开展巡查2家\n", 5000))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := seeds.Parse(doc, "long"); err != nil {
			b.Fatal(err)
		}
	}
}
