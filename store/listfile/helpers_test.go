package listfile_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
	"github.com/xuri/excelize/v2"
)

// depts is the department list the tests import against.
var depts = []string{
	"办公室", "综合处", "法规与标准处", "大气环境与应对气候变化处", "水生态环境处",
	"海洋生态环境处", "固体废物与土壤生态环境处", "执法局",
}

var opts = listfile.Options{Year: 2021, Departments: depts}

// csvBytes renders rows as a plain UTF-8 CSV, the way a test author means it.
func csvBytes(t testing.TB, rows [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// xlsxBytes builds a workbook with build and returns its bytes.
func xlsxBytes(t testing.TB, build func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f)
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// setRows writes rows of strings starting at A1 of sheet.
func setRows(t testing.TB, f *excelize.File, sheet string, rows [][]string) {
	t.Helper()
	for i, r := range rows {
		axis, _ := excelize.CoordinatesToCellName(1, i+1)
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		if err := f.SetSheetRow(sheet, axis, &cells); err != nil {
			t.Fatal(err)
		}
	}
}

func mustRead(t testing.TB, data []byte, f listfile.Format, o listfile.Options) []listfile.Row {
	t.Helper()
	rows, err := listfile.Read(bytes.NewReader(data), f, o)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return rows
}

func rowErrors(t testing.TB, err error) []listfile.RowError {
	t.Helper()
	var e *listfile.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want *listfile.Error", err, err)
	}
	return e.Rows
}

// carried is the part of a task the list columns carry; round-trips must
// keep exactly this.
type carried struct {
	ID, Section, Text, Lead, Co string
	Deadline                    store.Date
	Cadence                     store.Cadence
	Target                      float64
	Unit                        string
	Status                      store.Status
	Progress                    int
	Latest                      string
}

func carry(t *store.Task) carried {
	return carried{
		ID: t.ID, Section: t.Section, Text: t.Text, Lead: t.Lead, Co: strings.Join(t.CoDepts, "|"),
		Deadline: t.Deadline, Cadence: t.Cadence, Target: t.Target, Unit: t.Unit,
		Status: t.Status, Progress: t.Progress, Latest: t.Latest,
	}
}

// tricky are fragments that break naive CSV/XLSX/HTML handling or would be
// evaluated by a spreadsheet.
var tricky = []string{
	"完成85家", ",", "，", `"`, `""`, "\n", "<&>", "=SUM(A1:A3)", "+86", "-1", "@cmd",
	"'", "'=x", "''", "_x0041_", "_x005F_", "、", ";", "\t", "🙂", "“散乱污”", "  ",
	"&amp;", "]]>", "60%", `\`, "#N/A", "TRUE", "1e5", "0012", "推进中", "<b>x</b>",
}

func trickyText(r *rand.Rand, maxParts int) string {
	var b strings.Builder
	for range 1 + r.IntN(maxParts) {
		b.WriteString(tricky[r.IntN(len(tricky))])
	}
	s := strings.TrimSpace(b.String())
	if s == "" {
		s = "任务"
	}
	return s
}

// genTasks makes n distinct tasks with tricky text in every free-text field.
func genTasks(r *rand.Rand, n int) []*store.Task {
	prefixes := []string{"=", "-", "+", "@", "'", "0", "'="}
	targets := []float64{85, 0.5, 92, 1234.25, 1e6, 0.1, 16, 3.14159}
	units := []string{"家", "个", "%", "=x", "吨/年", "-"}
	loc := time.FixedZone("CST", 8*3600)
	tasks := make([]*store.Task, n)
	for i := range tasks {
		id := fmt.Sprintf("%d.%d.%d", 1+i%7, 1+i%3, i)
		if r.IntN(10) == 0 {
			id = prefixes[r.IntN(len(prefixes))] + id
		}
		t := &store.Task{
			ID:        id,
			Section:   "四、" + trickyText(r, 3) + " / (一)" + trickyText(r, 2),
			Text:      trickyText(r, 8),
			Lead:      depts[r.IntN(len(depts))],
			Status:    store.Statuses[r.IntN(len(store.Statuses))],
			Progress:  r.IntN(101),
			UpdatedAt: time.Date(2021, 3, 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, loc),
		}
		for _, d := range depts {
			if d != t.Lead && r.IntN(5) == 0 && len(t.CoDepts) < 3 {
				t.CoDepts = append(t.CoDepts, d)
			}
		}
		if r.IntN(5) == 0 {
			t.Cadence = store.CadenceMonthly
		} else {
			t.Deadline = store.NewDate(2021, 1, 1).AddDays(r.IntN(365))
		}
		if r.IntN(2) == 0 {
			t.Target = targets[r.IntN(len(targets))]
			t.Unit = units[r.IntN(len(units))]
		}
		if r.IntN(3) > 0 {
			t.Latest = trickyText(r, 6)
		}
		tasks[i] = t
	}
	return tasks
}

func write(t testing.TB, f listfile.Format, tasks []*store.Task) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	if f == listfile.CSV {
		err = listfile.WriteCSV(&b, tasks)
	} else {
		err = listfile.WriteXLSX(&b, tasks)
	}
	if err != nil {
		t.Fatalf("write %s: %v", f, err)
	}
	return b.Bytes()
}

func checkRoundTrip(t *testing.T, f listfile.Format, tasks []*store.Task) {
	t.Helper()
	rows := mustRead(t, write(t, f, tasks), f, opts)
	if len(rows) != len(tasks) {
		t.Fatalf("got %d rows, want %d", len(rows), len(tasks))
	}
	for i, row := range rows {
		if got, want := carry(row.Task), carry(tasks[i]); got != want {
			t.Errorf("row %d:\n got %#v\nwant %#v", row.Line, got, want)
		}
		if row.Line != i+2 {
			t.Errorf("row %d: got Line %d, want %d", i, row.Line, i+2)
		}
	}
	if len(rows) > 0 && !slices.Equal(sortedKeys(rows[0].Columns), sortedKeys(allColumns())) {
		t.Errorf("got columns %v, want all", sortedKeys(rows[0].Columns))
	}
}

func allColumns() map[string]bool {
	m := map[string]bool{}
	for _, h := range listfile.Headers {
		m[h] = true
	}
	return m
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k, v := range m {
		if v {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}
