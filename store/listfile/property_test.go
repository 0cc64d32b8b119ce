package listfile_test

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// hostile are fragments an attacker or a careless paste puts into a field.
var hostile = []string{
	"\x00", "\x01", "\x1b[31m", "\x7f", "\r", "\r\n", "\n", "\t", " ", "\u3000", "\u200b", "\u200d", "\u202e",
	"\u2066", "\ufeff", "\u00ad", "\u2028", "_x0000_", "_x001B_", "_x005F_x0041_", "=1+1", "'", "-", "@",
	"４", "Ａ", "（", "）", "🙂", "\U0001F469\u200d\U0001F52C", "é", "e\u0301", "\"", ",", "、", "；",
	"（建议）", "(建议)", "\xff", "<b>", "&amp;",
}

// hostileText mixes ordinary text with hostile fragments.
func hostileText(r *rand.Rand, parts int) string {
	var b strings.Builder
	for range r.IntN(parts + 1) {
		if r.IntN(3) == 0 {
			b.WriteString(hostile[r.IntN(len(hostile))])
		} else {
			b.WriteString(tricky[r.IntN(len(tricky))])
		}
	}
	return b.String()
}

var hostileNumbers = []float64{0, 85, 0.5, 1e12, 1e13, -1, math.Inf(1), math.Inf(-1), math.NaN(), 1e300, 5e-324, 3.14159}

var hostileDates = []store.Date{0, store.NewDate(2021, 6, 30), store.NewDate(2000, 1, 1), store.NewDate(2100, 12, 31),
	store.NewDate(1999, 12, 31), store.NewDate(2101, 1, 1), store.Date(10101), store.Date(99991231)}

// TestProperty_AcceptedRoundTrips is issue 9's property: whatever the
// store's validation layer accepts (the layer every entry — chat, CSV,
// XLSX, plan documents, the command line — passes) exports to CSV and
// XLSX and imports back to the same list.
func TestProperty_AcceptedRoundTrips(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 630))
	var accepted []*store.Task
	seen := map[string]bool{}
	refused := 0
	for i := 0; len(accepted) < 300 && i < 20000; i++ {
		id := strings.TrimSpace("4." + hostileText(r, 2) + "." + string(rune('0'+i%10)))
		task := &store.Task{
			ID:       id,
			Section:  hostileText(r, 3),
			Text:     hostileText(r, 6),
			Lead:     depts[r.IntN(len(depts))],
			Deadline: hostileDates[r.IntN(len(hostileDates))],
			Target:   hostileNumbers[r.IntN(len(hostileNumbers))],
			Unit:     hostileText(r, 1),
			Status:   store.Statuses[r.IntN(len(store.Statuses))],
			Progress: r.IntN(101),
			Latest:   hostileText(r, 5),
		}
		if task.Deadline == 0 {
			task.Cadence = store.CadenceMonthly
		}
		if r.IntN(4) == 0 {
			task.CoDepts = []string{depts[r.IntN(len(depts))] + hostileText(r, 1)}
		}
		if task.Text == "" || seen[task.ID] {
			continue
		}
		if store.ValidateTask(task) != nil || !storeLike(task) {
			refused++
			continue
		}
		seen[task.ID] = true
		accepted = append(accepted, task)
	}
	if refused == 0 || len(accepted) < 100 {
		t.Fatalf("generator: %d accepted, %d refused; want both", len(accepted), refused)
	}
	for _, f := range []listfile.Format{listfile.CSV, listfile.XLSX} {
		t.Run(string(f), func(t *testing.T) {
			rows, err := listfile.Read(bytes.NewReader(write(t, f, accepted)), f, opts)
			var le *listfile.Error
			if errors.As(err, &le) {
				for _, re := range le.Rows[:min(10, len(le.Rows))] {
					t.Errorf("accepted task refused on re-import: %v (task %q)", re, accepted[re.Line-2].ID)
				}
				return
			}
			if err != nil {
				t.Fatalf("re-import: %v", err)
			}
			for i, row := range rows {
				if got, want := carry(row.Task), carry(accepted[i]); got != want {
					t.Errorf("row %d:\n got %#v\nwant %#v", row.Line, got, want)
				}
			}
		})
	}
}

// storeLike reports whether t is in the form the entries store: the
// names known departments (co-departments here are random and mostly
// unknown), free text trimmed as every entry trims it.
func storeLike(t *store.Task) bool {
	for _, d := range t.CoDepts {
		known := false
		for _, k := range depts {
			known = known || k == d
		}
		if !known || d == t.Lead {
			return false
		}
	}
	return true
}
