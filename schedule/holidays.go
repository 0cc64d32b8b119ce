package schedule

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/duban-bureau/duban/schedule/lang"
	"io"
	"sort"
	"strings"

	"github.com/duban-bureau/duban/store"
)

// LoadHolidays reads a holiday file (--holidays FILE) and adds or replaces
// the years it names: the State Council publishes next year's 放假/调休
// arrangement in November–December, before lunar-go carries it. A year in
// the file replaces lunar-go's table for that year entirely. Two forms:
//
// JSON, a list of days:
//
//	[{"date": "2028-01-01", "type": "放假", "name": "元旦"},
//	 {"date": "2028-01-29", "type": "调休"}]
//
// CSV, one day per row, an optional header:
//
//	日期,类型,名称
//	2028-01-01,放假,元旦
//	2028-01-29,调休,春节
//
// type is 放假/休/off/holiday (a day off) or 调休/班/上班/work (a make-up
// working day). Errors name the row and are in Chinese; nothing is added
// when any row is bad. It returns the years added.
func (c *Calendar) LoadHolidays(r io.Reader) ([]int, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", say("", "holf_read"), err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	type row struct {
		Date string `json:"date"`
		Type string `json:"type"`
		Name string `json:"name"`
	}
	var rows []row
	var where func(i int) string
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		dec := json.NewDecoder(bytes.NewReader(t))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rows); err != nil {
			return nil, fmt.Errorf("%s: %w", say("", "holf_json"), err)
		}
		if dec.More() {
			return nil, errors.New(say("", "holf_json_more"))
		}
		where = func(i int) string { return say("", "holf_item", i+1) }
	} else {
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		cr.TrimLeadingSpace = true
		recs, err := cr.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", say("", "holf_csv"), err)
		}
		first := 0
		if len(recs) > 0 && len(recs[0]) > 0 {
			if _, err := store.ParseDate(strings.TrimSpace(recs[0][0])); err != nil {
				first = 1 // a header
			}
		}
		for _, rec := range recs[first:] {
			for len(rec) < 3 {
				rec = append(rec, "")
			}
			rows = append(rows, row{Date: rec[0], Type: rec[1], Name: rec[2]})
		}
		where = func(i int) string { return say("", "holf_line", i+1+first) }
	}
	years := map[int]*yearTable{}
	seen := map[store.Date]int{} // day → the row that named it
	var errs []string
	for i, r := range rows {
		if strings.TrimSpace(r.Date) == "" && strings.TrimSpace(r.Type) == "" {
			continue
		}
		d, err := store.ParseDate(strings.TrimSpace(r.Date))
		if err != nil || d.String() != strings.TrimSpace(r.Date) {
			errs = append(errs, say("", "holf_date", where(i), r.Date))
			continue
		}
		if y := d.Year(); y < store.MinYear || y > store.MaxYear {
			errs = append(errs, say("", "holf_range", where(i), r.Date, store.MinYear, store.MaxYear))
			continue
		}
		work, ok := holidayType(r.Type)
		if !ok {
			errs = append(errs, say("", "holf_type", where(i), r.Type))
			continue
		}
		if j, dup := seen[d]; dup {
			errs = append(errs, say("", "holf_dup", where(i), d, where(j)))
			continue
		}
		seen[d] = i
		t := years[d.Year()]
		if t == nil {
			t = &yearTable{known: true, days: map[store.Date]bool{}}
			years[d.Year()] = t
		}
		t.days[d] = work
	}
	if len(errs) > 0 {
		if len(errs) > 10 {
			errs = append(errs[:10], say("", "holf_more", len(errs)))
		}
		return nil, errors.New(say("", "holf_bad", strings.Join(errs, "；")))
	}
	if len(years) == 0 {
		return nil, errors.New(say("", "holf_empty"))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []int
	for y, t := range years {
		c.years[y] = t
		out = append(out, y)
	}
	sort.Ints(out)
	return out, nil
}

// holidayType reads a holiday row's type: work is true for a make-up day.
func holidayType(s string) (work, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "放假", "休", "休息", "假", "off", "holiday", "rest":
		return false, true
	case "调休", "班", "上班", "补班", "work", "workday", "makeup":
		return true, true
	}
	return false, false
}

// noDataNote is what `reminders --at` adds to a line whose day falls in a
// year without holiday data.
func noDataNote(y int, lang lang.Lang) string {
	return say(lang, "hol_why_no_data", itoa(y))
}
