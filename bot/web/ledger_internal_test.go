package web

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/duban-bureau/duban/store"
)

// TestPageOf: every page the selection picks is the same slice of a full
// sort by ID, for IDs of every shape (numeric, padded, non-numeric, equal).
func TestPageOf(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 17, 100, 1000, 5003} {
		var all []match
		for i := range n {
			var id string
			switch r.IntN(10) {
			case 0:
				id = fmt.Sprintf("附%d", r.IntN(50))
			case 1:
				id = fmt.Sprintf("%d.0%d", r.IntN(9), r.IntN(9))
			case 2:
				id = "4.1.3" // duplicates
			default:
				id = fmt.Sprintf("%d.%d.%d", r.IntN(12), r.IntN(30), r.IntN(120))
			}
			all = append(all, match{key: keyOf(id), id: id, light: store.Light(fmt.Sprint(i))})
		}
		want := slices.Clone(all)
		// The same order as the page (TestKeyOf_SortsAsCompareIDs holds it
		// to store.CompareIDs); this test is about the selection.
		slices.SortStableFunc(want, func(a, b match) int { return compareKeys(a.key, b.key, a.id, b.id) })
		for _, size := range []int{1, 10, 100} {
			if size == 1 && n > 100 {
				continue
			}
			for lo := 0; lo < n; lo += size {
				got := pageOf(slices.Clone(all), lo, lo+size)
				for i, m := range got {
					if w := want[lo+i].id; m.id != w {
						t.Fatalf("n=%d size=%d lo=%d: item %d is %q, want %q", n, size, lo, i, m.id, w)
					}
				}
				if len(got) != min(size, n-lo) {
					t.Fatalf("n=%d size=%d lo=%d: %d items", n, size, lo, len(got))
				}
			}
		}
		if got := pageOf(all, n, n+10); len(got) != 0 {
			t.Errorf("past the end: %d items", len(got))
		}
	}
}

func TestKeyOf_SortsAsCompareIDs(t *testing.T) {
	ids := []string{"4", "4.1", "4.1.0", "4.1.2", "4.1.10", "4.2", "10.1.1", "65534.1", "4.01.2", "1.2.3.4", "1.2.3.4.5", "a.1", "4.1.x", ""}
	for _, a := range ids {
		for _, b := range ids {
			got := compareKeys(keyOf(a), keyOf(b), a, b)
			want := store.CompareIDs(a, b)
			if want != 0 && (got < 0) != (want < 0) {
				t.Errorf("compare(%q, %q) = %d, CompareIDs %d", a, b, got, want)
			}
		}
	}
}
