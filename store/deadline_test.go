package store_test

import (
	"testing"

	"github.com/duban-bureau/duban/store"
)

func TestParseDeadline(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		cad  store.Cadence
	}{
		{"2021-06-30", "2021-06-30", ""},
		{"2021/6/3", "2021-06-03", ""},
		{"2021年6月30日", "2021-06-30", ""},
		{"6月30日", "2021-06-30", ""},
		{"6月底前", "2021-06-30", ""},
		{"6月底", "2021-06-30", ""},
		{"2月底前", "2021-02-28", ""},
		{"六月底", "2021-06-30", ""},
		{"十二月底前", "2021-12-31", ""},
		{"上半年", "2021-06-30", ""},
		{"三季度末", "2021-09-30", ""},
		{"第一季度", "2021-03-31", ""},
		{"年底前", "2021-12-31", ""},
		{"年内", "2021-12-31", ""},
		{"全年", "2021-12-31", ""},
		{" 年底前 ", "2021-12-31", ""},
		{"持续推进", "", store.CadenceMonthly},
	} {
		d, c, err := store.ParseDeadline(tc.in, 2021)
		if err != nil {
			t.Errorf("ParseDeadline(%q): %v", tc.in, err)
			continue
		}
		if d.String() != tc.want || c != tc.cad {
			t.Errorf("ParseDeadline(%q) = %s %q, want %s %q", tc.in, d, c, tc.want, tc.cad)
		}
	}
	for _, bad := range []string{"", "明天", "2021-02-30", "13月底", "五季度末", "2021-13-01"} {
		if _, _, err := store.ParseDeadline(bad, 2021); err == nil {
			t.Errorf("ParseDeadline(%q): want error", bad)
		}
	}
}

func TestDate(t *testing.T) {
	d := store.NewDate(2021, 12, 31)
	if got := d.AddDays(1).String(); got != "2022-01-01" {
		t.Errorf("AddDays = %s", got)
	}
	if got := store.NewDate(2020, 2, 29).WithYear(2021).String(); got != "2021-02-28" {
		t.Errorf("WithYear = %s", got)
	}
	if n := store.NewDate(2021, 10, 1).DaysUntil(store.NewDate(2021, 10, 8)); n != 7 {
		t.Errorf("DaysUntil = %d", n)
	}
}
