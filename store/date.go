package store

import (
	"fmt"
	"time"
)

// Date is a calendar day with no time of day and no zone, encoded as
// YYYYMMDD. Deadlines are days, not instants: "6月底前" means the whole of
// June 30 in the bureau's time zone, whatever zone the server runs in. The
// encoding sorts as an integer, so big-endian keys sort by day.
type Date int32

// NewDate returns the date y-m-d, normalising overflow (Feb 30 → Mar 2).
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(t.Year()*10000 + int(t.Month())*100 + t.Day())
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date { return NewDate(t.Year(), t.Month(), t.Day()) }

// ParseDate reads an ISO date (2006-01-02).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, Refuse(EINVALID, "e_date_format", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is unset (a continuous task has no deadline).
func (d Date) IsZero() bool { return d == 0 }

// Year returns the year of d.
func (d Date) Year() int { return int(d) / 10000 }

// Month returns the month of d.
func (d Date) Month() time.Month { return time.Month(int(d) / 100 % 100) }

// Day returns the day of the month of d.
func (d Date) Day() int { return int(d) % 100 }

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return NewDate(d.Year(), d.Month(), d.Day()+n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// DaysUntil returns the number of days from d to e (negative if e is before d).
func (d Date) DaysUntil(e Date) int {
	return int(e.In(time.UTC).Sub(d.In(time.UTC)).Hours() / 24)
}

// WithYear returns d moved to year y, keeping month and day (Feb 29 becomes
// Feb 28 in a common year rather than spilling into March).
func (d Date) WithYear(y int) Date {
	if d.IsZero() {
		return d
	}
	day := d.Day()
	if d.Month() == time.February && day == 29 && NewDate(y, time.February, 29).Month() != time.February {
		day = 28
	}
	return NewDate(y, d.Month(), day)
}

// String formats d as 2006-01-02, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year(), int(d.Month()), d.Day())
}
