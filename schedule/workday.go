// Package schedule decides what duban sends and when: the working-day
// calendar, the reminder policy, the messages due in a time window, the
// weekly digest (督办周报), the monthly report and the escalation ladder,
// and the runner that cron ticks. What it decides goes into the outbox
// (schedule/outbox), which delivers it. The functions in workday.go,
// policy.go, due.go, digest.go and text.go are pure: time is an argument,
// nothing sleeps, reads the wall clock or touches the database, so "what
// goes out at now" can be tested and previewed (`duban reminders --at
// DATE`) without a running bot.
//
// It may import store, schedule/lang and schedule/outbox; never the chat
// (bot), seeds or the Telegram library.
package schedule

import (
	"sort"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"github.com/duban-bureau/duban/store"
)

// Calendar knows which days are Chinese working days: Monday to Friday,
// minus statutory holidays, plus 调休 make-up days (often a Saturday or
// Sunday). The holiday table comes from github.com/6tail/lunar-go, which
// covers 2001–2027; a year it does not know falls back to Monday–Friday and
// is reported by Warnings so the operator can see reminders may land on a
// holiday. A Calendar is safe for concurrent use.
type Calendar struct {
	mu    sync.Mutex
	years map[int]*yearTable
}

// yearTable holds the holiday entries of one year: true = make-up working
// day, false = day off.
type yearTable struct {
	known bool
	days  map[store.Date]bool
}

// NewCalendar returns a calendar backed by lunar-go's holiday data. Call
// HolidayUtil.Fix, if at all, before the first lookup: lunar-go mutates its
// package globals without a lock.
func NewCalendar() *Calendar {
	return &Calendar{years: map[int]*yearTable{}}
}

// year loads (once) and returns the holiday table of y.
func (c *Calendar) year(y int) *yearTable {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.years[y]; ok {
		return t
	}
	t := &yearTable{days: map[store.Date]bool{}}
	if y >= 1000 && y <= 9999 {
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			h, ok := e.Value.(*HolidayUtil.Holiday)
			if !ok {
				continue
			}
			d, err := store.ParseDate(h.GetDay())
			if err != nil || d.Year() != y {
				continue
			}
			t.days[d] = h.IsWork()
			t.known = true
		}
	}
	c.years[y] = t
	return t
}

// HasData reports whether the holiday table covers year y. Without it,
// working days are Monday–Friday and statutory holidays are missed.
func (c *Calendar) HasData(y int) bool { return c.year(y).known }

// Warnings returns one log-ready sentence (Chinese) per year in years that
// has no holiday data, so the server can warn at start and on New Year.
func (c *Calendar) Warnings(years ...int) []string {
	seen := map[int]bool{}
	var out []string
	sorted := append([]int(nil), years...)
	sort.Ints(sorted)
	for _, y := range sorted {
		if seen[y] || c.HasData(y) {
			continue
		}
		seen[y] = true
		out = append(out, say("", "hol_year_no_data", y))
	}
	return out
}

// IsWorkday reports whether d is a working day: a listed holiday entry
// decides (make-up day or day off); otherwise Monday–Friday.
func (c *Calendar) IsWorkday(d store.Date) bool {
	if work, ok := c.year(d.Year()).days[d]; ok {
		return work
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// maxScan bounds the search for a working day. The longest run of days off
// in the data is the Spring Festival week plus a weekend (9 days); 60 keeps
// a corrupt table from looping forever.
const maxScan = 60

// OnOrBefore returns the working day on or before d: where a before-deadline
// reminder moves when its day is a holiday, so it is never late.
func (c *Calendar) OnOrBefore(d store.Date) store.Date {
	for i := 0; i < maxScan; i++ {
		if c.IsWorkday(d) {
			return d
		}
		d = d.AddDays(-1)
	}
	return d
}

// OnOrAfter returns the working day on or after d: where overdue reminders,
// escalations, monthly asks and the digest move when their day is off.
func (c *Calendar) OnOrAfter(d store.Date) store.Date {
	for i := 0; i < maxScan; i++ {
		if c.IsWorkday(d) {
			return d
		}
		d = d.AddDays(1)
	}
	return d
}

// NthWorkday returns the n-th (1-based) working day of the month, counting
// from the 1st. If the month has fewer than n working days the count runs
// on into the next month; n < 1 is treated as 1.
func (c *Calendar) NthWorkday(year int, month time.Month, n int) store.Date {
	if n < 1 {
		n = 1
	}
	d := c.OnOrAfter(store.NewDate(year, month, 1))
	for i := 1; i < n; i++ {
		d = c.OnOrAfter(d.AddDays(1))
	}
	return d
}

// AddWorkdays returns the n-th working day after d (d itself when n is 0):
// grace periods of the escalation ladder count working days.
func (c *Calendar) AddWorkdays(d store.Date, n int) store.Date {
	for i := 0; i < n; i++ {
		d = c.OnOrAfter(d.AddDays(1))
	}
	return d
}

// At returns the instant at time of day tod on day d in loc (UTC when loc
// is nil, so a forgotten zone is visible rather than host-dependent).
func At(d store.Date, tod TimeOfDay, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year(), d.Month(), d.Day(), tod.Hour, tod.Minute, 0, 0, loc)
}

// NextFire returns the next reminder scan instant strictly after `after`:
// policy time on a working day, in after's location (pass now.In(loc)). The
// runner stores it in bbolt, because cron forgets runs missed while down.
func NextFire(p Policy, cal *Calendar, after time.Time) time.Time {
	d := store.DateOf(after)
	for i := 0; i < maxScan; i++ {
		d = cal.OnOrAfter(d)
		if t := At(d, p.At, after.Location()); t.After(after) {
			return t
		}
		d = d.AddDays(1)
	}
	return At(d, p.At, after.Location())
}

// NextDigest returns the next digest instant strictly after `after`: each
// week's digest goes out at p.DigestAt on p.DigestWeekday, or on the next
// working day when that day is off (the Monday after a holiday week may
// thus move to Friday, while a make-up Saturday is not a digest day).
func NextDigest(p Policy, cal *Calendar, after time.Time) time.Time {
	d := store.DateOf(after).AddDays(-7)
	d = d.AddDays(-((int(d.Weekday()) - int(p.DigestWeekday) + 7) % 7))
	for i := 0; i < 60; i++ {
		if t := At(cal.OnOrAfter(d), p.DigestAt, after.Location()); t.After(after) {
			return t
		}
		d = d.AddDays(7)
	}
	return At(d, p.DigestAt, after.Location())
}
