package schedule_test

import (
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
)

func TestCalendar_IsWorkday(t *testing.T) {
	cal := schedule.NewCalendar()
	for _, tc := range []struct {
		day  string
		want bool
	}{
		{"2021-09-26", true},  // Sunday, 国庆调休
		{"2021-10-09", true},  // Saturday, 国庆调休
		{"2021-10-08", true},  // Friday after the holiday
		{"2021-10-10", false}, // ordinary Sunday
		{"2021-02-07", true},  // Sunday, 春节调休
		{"2021-02-20", true},  // Saturday, 春节调休
		{"2021-02-10", true},
		{"2021-02-18", true},
		{"2021-06-14", false}, // 端午 Monday
		{"2021-06-15", true},
		{"2021-05-08", true}, // Saturday, 劳动节调休
		{"2028-01-03", true}, // no data: Monday is a working day
		{"2028-01-08", false},
	} {
		if got := cal.IsWorkday(day(t, tc.day)); got != tc.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tc.day, got, tc.want)
		}
	}
	for d := day(t, "2021-10-01"); d <= day(t, "2021-10-07"); d = d.AddDays(1) {
		if cal.IsWorkday(d) {
			t.Errorf("IsWorkday(%s) = true during National Day", d)
		}
	}
	for d := day(t, "2021-02-11"); d <= day(t, "2021-02-17"); d = d.AddDays(1) {
		if cal.IsWorkday(d) {
			t.Errorf("IsWorkday(%s) = true during Spring Festival", d)
		}
	}
}

func TestCalendar_Shift(t *testing.T) {
	cal := schedule.NewCalendar()
	for _, tc := range []struct {
		name, in, before, after string
	}{
		{"NationalDay", "2021-10-03", "2021-09-30", "2021-10-08"},
		{"WorkingDay", "2021-09-30", "2021-09-30", "2021-09-30"},
		{"MakeUpSunday", "2021-09-26", "2021-09-26", "2021-09-26"},
		{"MidAutumn", "2021-09-19", "2021-09-18", "2021-09-22"},
		{"SpringFestival", "2021-02-14", "2021-02-10", "2021-02-18"},
		{"Weekend", "2021-06-27", "2021-06-25", "2021-06-28"},
		{"NoData2028", "2028-01-01", "2027-12-31", "2028-01-03"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := day(t, tc.in)
			if got := cal.OnOrBefore(d).String(); got != tc.before {
				t.Errorf("OnOrBefore(%s) = %s, want %s", tc.in, got, tc.before)
			}
			if got := cal.OnOrAfter(d).String(); got != tc.after {
				t.Errorf("OnOrAfter(%s) = %s, want %s", tc.in, got, tc.after)
			}
		})
	}
}

func TestCalendar_NthWorkday(t *testing.T) {
	cal := schedule.NewCalendar()
	for _, tc := range []struct {
		y    int
		m    time.Month
		n    int
		want string
	}{
		{2021, time.October, 1, "2021-10-08"},
		{2021, time.October, 2, "2021-10-09"}, // the make-up Saturday counts
		{2021, time.October, 3, "2021-10-11"},
		{2021, time.February, 1, "2021-02-01"},
		{2021, time.May, 1, "2021-05-06"},
		{2021, time.May, 3, "2021-05-08"},
		{2021, time.January, 1, "2021-01-04"},
		{2021, time.July, 3, "2021-07-05"},
	} {
		if got := cal.NthWorkday(tc.y, tc.m, tc.n).String(); got != tc.want {
			t.Errorf("NthWorkday(%d, %d, %d) = %s, want %s", tc.y, tc.m, tc.n, got, tc.want)
		}
	}
}

func TestCalendar_Warnings(t *testing.T) {
	cal := schedule.NewCalendar()
	if !cal.HasData(2021) || !cal.HasData(2027) {
		t.Errorf("HasData(2021/2027) = false, want true")
	}
	if cal.HasData(2028) {
		t.Errorf("HasData(2028) = true, want false")
	}
	if w := cal.Warnings(2021, 2027); len(w) != 0 {
		t.Errorf("Warnings(2021, 2027) = %q, want none", w)
	}
	w := cal.Warnings(2028, 2021, 2028)
	if len(w) != 1 || !strings.Contains(w[0], "2028") || !strings.Contains(w[0], "周一至周五") {
		t.Errorf("Warnings(2028) = %q, want one warning naming 2028", w)
	}
}

func TestNextFire(t *testing.T) {
	cal := schedule.NewCalendar()
	p := schedule.DefaultPolicy()
	for _, tc := range []struct{ after, want string }{
		{"2021-09-30 08:00", "2021-09-30 09:00"},
		{"2021-09-30 09:00", "2021-10-08 09:00"}, // strictly after; holiday week skipped
		{"2021-09-25 10:00", "2021-09-26 09:00"}, // make-up Sunday
		{"2021-10-08 09:00", "2021-10-09 09:00"}, // make-up Saturday
		{"2021-10-09 09:30", "2021-10-11 09:00"},
		{"2021-02-10 12:00", "2021-02-18 09:00"},
		{"2027-12-31 10:00", "2028-01-03 09:00"},
	} {
		if got := schedule.NextFire(p, cal, at(t, tc.after)); !got.Equal(at(t, tc.want)) {
			t.Errorf("NextFire(%s) = %s, want %s", tc.after, got.Format("2006-01-02 15:04"), tc.want)
		}
	}
}

func TestNextDigest(t *testing.T) {
	cal := schedule.NewCalendar()
	p := schedule.DefaultPolicy()
	for _, tc := range []struct{ name, after, want string }{
		{"HolidayMondayMovesToFriday", "2021-10-01 00:00", "2021-10-08 09:00"},
		{"MakeUpSaturdayIsNotDigestDay", "2021-10-08 09:00", "2021-10-11 09:00"},
		{"SameDayBeforeTime", "2021-10-11 08:59", "2021-10-11 09:00"},
		{"OrdinaryWeek", "2021-04-07 12:00", "2021-04-12 09:00"},
		{"QingmingMonday", "2021-04-02 12:00", "2021-04-06 09:00"},
		{"SpringFestival", "2021-02-09 12:00", "2021-02-18 09:00"},
		{"DragonBoatMonday", "2021-06-11 12:00", "2021-06-15 09:00"},
		{"AfterShiftedDigest", "2021-06-15 09:00", "2021-06-21 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := schedule.NextDigest(p, cal, at(t, tc.after)); !got.Equal(at(t, tc.want)) {
				t.Errorf("NextDigest(%s) = %s, want %s", tc.after, got.Format("2006-01-02 15:04"), tc.want)
			}
		})
	}
}
