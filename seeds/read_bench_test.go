package seeds_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/seeds"
)

// bigPlan builds a plan of about size bytes from the real 作协 plan's
// sentences: 99 sections of subsections, numbered items with
// responsibility notes, dated deadlines and targets, so every path of the
// parser is on the clock.
func bigPlan(tb testing.TB, size int) []byte {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "real", "gd-zuoxie-2014-gongzuobaogao.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	var sentences []string
	for _, l := range strings.Split(string(src), "\n") {
		if strings.HasSuffix(l, "。") && !strings.HasPrefix(l, "（") {
			sentences = append(sentences, l)
		}
	}
	cn := func(n int) string {
		d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
		switch {
		case n < 10:
			return d[n]
		case n == 10:
			return "十"
		case n < 20:
			return "十" + d[n-10]
		}
		return d[n/10] + "十" + d[n%10]
	}
	depts := []string{"教育", "财政", "民政", "商务", "文化", "体育", "卫生", "审计", "统计", "水务"}
	var b strings.Builder
	b.WriteString("2025年某市工作要点\n某政发〔2024〕9号\n")
	k := 0
	for sec := 1; b.Len() < size && sec <= 99; sec++ {
		fmt.Fprintf(&b, "%s、重点任务%d\n", cn(sec), sec)
		for sub := 1; sub <= 99 && b.Len() < sec*size/99; sub++ {
			fmt.Fprintf(&b, "（%s）工作%d。%s\n", cn(sub), sub, sentences[k%len(sentences)])
			for it := 1; it <= 3; it++ {
				k++
				fmt.Fprintf(&b, "%d.%s2025年6月底前培训%d名（市%s局牵头，市%s委参与）。\n", it, sentences[k%len(sentences)], k%300+1, depts[k%len(depts)], depts[(k+3)%len(depts)])
			}
		}
	}
	return []byte(b.String())
}

func benchmarkRead(b *testing.B, size int) {
	doc := bigPlan(b, size)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := seeds.ReadPlanFile("plan.txt", doc, seeds.FileOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadPlanFile_1MB is issue 10's limit: a 1 MB plan in < 200 ms.
func BenchmarkReadPlanFile_1MB(b *testing.B) { benchmarkRead(b, 1<<20) }

// BenchmarkReadPlanFile_4MB shows the cost is linear (4× the 1 MB time).
func BenchmarkReadPlanFile_4MB(b *testing.B) { benchmarkRead(b, 4<<20) }

func TestBigPlan_Parses(t *testing.T) {
	f, err := seeds.ReadPlanFile("plan.txt", bigPlan(t, 1<<20), seeds.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Tasks) < 3000 || f.Tasks[1].Deadline.String() != "2025-06-30" {
		t.Errorf("%d tasks, deadline %s", len(f.Tasks), f.Tasks[1].Deadline)
	}
	for _, task := range f.Tasks {
		if strings.Contains(task.Text, "牵头，") != (task.Lead != "") {
			t.Fatalf("%s: lead %q for %s", task.ID, task.Lead, task.Text)
		}
	}
}
