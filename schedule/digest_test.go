package schedule_test

import (
	"flag"
	"github.com/duban-bureau/duban/schedule/lang"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// digestAt builds the fixture digest on date, with last week's stats.
func digestAt(t *testing.T, date string, lang lang.Lang) schedule.Digest {
	t.Helper()
	now := at(t, date+" 09:00")
	prevNow := now.AddDate(0, 0, -7)
	ps, ph := seedSnapshot(t, store.DateOf(prevNow), lang)
	prev := schedule.BuildDigest(ps, ph, nil, prevNow).Stats
	s, h := seedSnapshot(t, store.DateOf(now), lang)
	return schedule.BuildDigest(s, h, &prev, now)
}

func TestDigest_Golden(t *testing.T) {
	for _, date := range []string{"2021-04-12", "2021-07-05", "2021-10-08"} {
		for _, lang := range []lang.Lang{"zh", "en"} {
			t.Run(date+"_"+string(lang), func(t *testing.T) {
				golden(t, "digest_"+date+"_"+string(lang)+".golden", digestAt(t, date, lang).Text(lang)+"\n")
			})
		}
	}
}

func TestBuildDigest(t *testing.T) {
	d := digestAt(t, "2021-07-05", "")
	want := schedule.DigestStats{Date: day(t, "2021-07-05"), Tasks: 13, Done: 4, Overdue: 1, Completion: 31}
	if d.Stats != want {
		t.Errorf("Stats = %+v, want %+v", d.Stats, want)
	}
	if d.Prev == nil || d.Prev.Done != 2 {
		t.Errorf("Prev = %+v, want last week's stats with 2 done", d.Prev)
	}
	var completed []string
	for _, it := range d.Completed {
		completed = append(completed, it.ID)
	}
	if strings.Join(completed, ",") != "3.1.2,4.3.2" {
		t.Errorf("Completed = %v, want 3.1.2 (06-29) and 4.3.2 (07-01)", completed)
	}
	if len(d.Overdue) != 1 || d.Overdue[0].ID != "4.2.4" || d.Overdue[0].Days != 5 {
		t.Errorf("Overdue = %+v, want 4.2.4 five days late", d.Overdue)
	}
	if d.Red+d.Yellow+d.Green != 13 {
		t.Errorf("lights %d+%d+%d, want 13 tasks", d.Red, d.Yellow, d.Green)
	}
	text := d.Text("")
	for _, want := range []string{"较上周：完成率 +16 个百分点，逾期 +1 项", "🔴 3  🟡 2  🟢 8" /* 序时进度 lights (issue 13): 4.1.4 and 4.5.5 at 0% are over 30 points behind */, "合计                        13     4"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q", want)
		}
	}
}

func TestDigest_TableAligned(t *testing.T) {
	text := digestAt(t, "2021-07-05", "").Text("")
	pre := text[strings.Index(text, "<pre>")+5 : strings.Index(text, "</pre>")]
	lines := strings.Split(strings.TrimRight(pre, "\n"), "\n")
	width := func(s string) int {
		w := 0
		for _, r := range s {
			if r >= 0x2E80 {
				w += 2
			} else {
				w++
			}
		}
		return w
	}
	for _, l := range lines[1:] {
		if width(l) != width(lines[0]) || !strings.HasSuffix(l, "%") {
			t.Errorf("row %q is %d columns wide, header %d", l, width(l), width(lines[0]))
		}
	}
	if !strings.HasPrefix(lines[len(lines)-1], "合计") {
		t.Errorf("last row %q, want the total", lines[len(lines)-1])
	}
}

func TestDigest_FirstWeekAndEmpty(t *testing.T) {
	d := schedule.BuildDigest(schedule.Snapshot{Loc: cst}, nil, nil, time.Date(2021, 4, 12, 9, 0, 0, 0, cst))
	text := d.Text("")
	for _, want := range []string{"首期周报", "共 0 项任务", "2021年第15周", "<b>逾期任务（0）</b>\n无"} {
		if !strings.Contains(text, want) {
			t.Errorf("empty digest lacks %q:\n%s", want, text)
		}
	}
}
