package seeds_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/seeds"
)

// TestReadPlanFile_RealCorpus decomposes every real plan under
// testdata/real (see SOURCES.md) and compares the result with its
// hand-checked golden file (testdata/real/NAME.golden): every task's ID,
// deadline, target, named owners and text, and every skipped paragraph
// with its reason.
func TestReadPlanFile_RealCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "real", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".golden") || name == "SOURCES.md" {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := seeds.ReadPlanFile(name, data, seeds.FileOptions{Soffice: "-"})
			if err != nil {
				t.Fatalf("ReadPlanFile: %v", err)
			}
			got := render(f.Plan, f.Tasks, f.Skipped)
			for _, note := range f.Notes {
				got += "note: " + note + "\n"
			}
			checkGolden(t, filepath.Join("real", name+".golden"), got)
		})
	}
	if n < 8 { // issue 10: at least 8 real plans
		t.Fatalf("only %d real plans in testdata/real", n)
	}
}
