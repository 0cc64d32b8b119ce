package seeds_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// render writes a decomposition the way the golden files hold it: the plan
// line, then per section a "## section" line and one line per task:
// ID, deadline (or 持续推进), target, lead (* = suggested), co-departments,
// text — separated by " | ". Skipped paragraphs follow, one per line with
// their reason, so a golden file also pins what was left out and why.
func render(plan *store.Plan, tasks []*store.Task, skipped []seeds.Skipped) string {
	var b strings.Builder
	if plan != nil {
		fmt.Fprintf(&b, "plan: %s | %d\n", plan.Title, plan.Year)
		for _, in := range plan.Indicators {
			fmt.Fprintf(&b, "indicator: %s | %s\n", num(in.Target, in.Unit), in.Text)
		}
	}
	sec := "\x00"
	for _, t := range tasks {
		if t.Section != sec {
			sec = t.Section
			fmt.Fprintf(&b, "## %s\n", sec)
		}
		due := t.Deadline.String()
		if t.Cadence != "" {
			due = "持续推进"
		}
		lead := t.Lead
		if t.LeadSuggested {
			lead += "*"
		}
		fmt.Fprintf(&b, "%s | %s | %s | %s | %s | %s\n", t.ID, due, num(t.Target, t.Unit), lead, strings.Join(t.CoDepts, "、"), t.Text)
	}
	for _, s := range skipped {
		fmt.Fprintf(&b, "skipped: %d | %s | %s\n", s.Line, s.Reason, s.Text)
	}
	return b.String()
}

func num(v float64, unit string) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64) + unit
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden: %v (run with -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s", path, i+1, g, w)
			}
		}
	}
}

// TestParse_BundledGolden pins every field of the bundled plan's 86 tasks
// (issue 10 point 13): the parser may learn new shapes, but this plan's
// decomposition, suggested owners included, must not move.
func TestParse_BundledGolden(t *testing.T) {
	plan, tasks := mustParseSeed(t)
	seeds.SuggestOwners(tasks)
	if len(tasks) != 86 {
		t.Fatalf("bundled plan: %d tasks, want 86", len(tasks))
	}
	checkGolden(t, "bundled.golden", render(plan, tasks, nil))
}
