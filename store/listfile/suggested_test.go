package listfile_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// TestRoundTrip_SuggestedLead: a suggested owner is written with （建议）
// and read back as a suggestion; removing the mark in the sheet confirms it.
func TestRoundTrip_SuggestedLead(t *testing.T) {
	tasks := []*store.Task{
		{ID: "4.1.3", Text: "完成85家整治。", Lead: "大气环境与应对气候变化处", LeadSuggested: true, Deadline: store.NewDate(2021, 12, 31), Status: store.StatusNotStarted},
		{ID: "4.1.4", Text: "超低排放改造。", Lead: "大气环境与应对气候变化处", Deadline: store.NewDate(2021, 12, 31), Status: store.StatusNotStarted},
	}
	opt := listfile.Options{Year: 2021, Departments: []string{"大气环境与应对气候变化处"}}
	for _, f := range []listfile.Format{listfile.CSV, listfile.XLSX} {
		var buf bytes.Buffer
		var err error
		if f == listfile.CSV {
			err = listfile.WriteCSV(&buf, tasks)
		} else {
			err = listfile.WriteXLSX(&buf, tasks)
		}
		if err != nil {
			t.Fatal(err)
		}
		rows, err := listfile.Read(bytes.NewReader(buf.Bytes()), f, opt)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i, r := range rows {
			if r.Task.Lead != tasks[i].Lead || r.Task.LeadSuggested != tasks[i].LeadSuggested {
				t.Errorf("%s row %d: lead %q suggested=%v, want %q suggested=%v", f, i, r.Task.Lead, r.Task.LeadSuggested, tasks[i].Lead, tasks[i].LeadSuggested)
			}
		}
	}
	var buf bytes.Buffer
	listfile.WriteCSV(&buf, tasks)
	confirmed := strings.Replace(buf.String(), "（建议）", "", 1)
	rows, err := listfile.Read(strings.NewReader(confirmed), listfile.CSV, opt)
	if err != nil || rows[0].Task.LeadSuggested {
		t.Errorf("deleting the mark should confirm the owner: %v, suggested=%v", err, rows[0].Task.LeadSuggested)
	}
}
