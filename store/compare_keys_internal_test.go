package store

import (
	"math/rand"
	"strings"
	"testing"
)

// TestCompareKeys: the import's sort orders tasks exactly as their keys
// sort in bbolt, plans that are prefixes of one another included.
func TestCompareKeys(t *testing.T) {
	plans := []string{"", "2026", "2026-2", "2026-10", "2027", "202"}
	ids := []string{"4.1.3", "4.1.10", "1", "2026", "2026-2", "9.9", "10"}
	r := rand.New(rand.NewSource(1))
	sign := func(n int) int {
		switch {
		case n < 0:
			return -1
		case n > 0:
			return 1
		}
		return 0
	}
	for range 5000 {
		a := &Task{PlanID: plans[r.Intn(len(plans))], ID: ids[r.Intn(len(ids))]}
		b := &Task{PlanID: plans[r.Intn(len(plans))], ID: ids[r.Intn(len(ids))]}
		if got, want := sign(compareKeys(a, b)), sign(strings.Compare(a.Key(), b.Key())); got != want {
			t.Fatalf("compareKeys(%q, %q) = %d, the keys compare %d", a.Key(), b.Key(), got, want)
		}
	}
}
