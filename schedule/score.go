package schedule

import (
	"github.com/duban-bureau/duban/schedule/lang"
	"sort"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// ScoreRow is one department's on-time record for the year so far: tasks
// whose deadline came (Due), finished by it (OnTime), finished after it
// (Late), still open past it (Overdue), and extensions granted this year.
// Rate is OnTime as a percent of Due.
type ScoreRow struct {
	Dept                                 string
	Due, OnTime, Late, Overdue, Extended int
	Rate                                 int
}

// Score is the 考核 table: the departments, worst rate first, and the total.
type Score struct {
	Year  int
	Date  store.Date
	Depts []ScoreRow
	Total ScoreRow
}

// BuildScore computes the on-time record of every lead department for the
// year of now, up to now. A task counts when its (current) deadline falls
// in the year and is before today, or it was finished by today; a finish
// is the first done/close in its history since its last reopen.
func BuildScore(tx *store.Tx, now time.Time, loc *time.Location) (Score, error) {
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	today := store.DateOf(now)
	year := today.Year()
	start, end := store.NewDate(year, 1, 1), store.NewDate(year, 12, 31)
	sc := Score{Year: year, Date: today}
	rows := map[string]*ScoreRow{}
	row := func(d string) *ScoreRow {
		if rows[d] == nil {
			rows[d] = &ScoreRow{Dept: d}
		}
		return rows[d]
	}
	tasks, err := tx.Tasks()
	if err != nil {
		return sc, err
	}
	for _, t := range tasks {
		hist, err := tx.History(t.Key())
		if err != nil {
			return sc, err
		}
		yearStart := start.In(loc)
		for _, u := range hist {
			if u.Kind == "extend_approved" && !u.At.Before(yearStart) && !u.At.After(now) {
				row(t.Lead).Extended++
			}
		}
		if t.Deadline.IsZero() || t.Cadence != "" || t.Deadline < start || t.Deadline > end {
			continue
		}
		finished, at := finishedAt(t, hist)
		r := row(t.Lead)
		switch {
		case finished && store.DateOf(at.In(loc)) <= today:
			r.Due++
			if store.DateOf(at.In(loc)) <= t.Deadline {
				r.OnTime++
			} else {
				r.Late++
			}
		case t.Deadline < today:
			r.Due++
			r.Overdue++
		}
	}
	for _, r := range rows {
		if r.Due == 0 && r.Extended == 0 {
			continue
		}
		r.Rate = pct(r.OnTime, r.Due)
		sc.Depts = append(sc.Depts, *r)
		sc.Total.Due += r.Due
		sc.Total.OnTime += r.OnTime
		sc.Total.Late += r.Late
		sc.Total.Overdue += r.Overdue
		sc.Total.Extended += r.Extended
	}
	sc.Total.Rate = pct(sc.Total.OnTime, sc.Total.Due)
	sort.Slice(sc.Depts, func(i, j int) bool {
		a, b := sc.Depts[i], sc.Depts[j]
		if a.Rate != b.Rate {
			return a.Rate < b.Rate
		}
		if a.Overdue != b.Overdue {
			return a.Overdue > b.Overdue
		}
		return a.Dept < b.Dept
	})
	return sc, nil
}

// finishedAt reports when an open→finished transition last stuck: the
// first finishing entry after the last reopen; a task finished with no
// such entry (imported done) counts from its last update.
func finishedAt(t *store.Task, hist []store.HistoryEntry) (bool, time.Time) {
	if t.Open() {
		return false, time.Time{}
	}
	var at time.Time
	for _, u := range hist {
		switch {
		case u.Kind == "reopen" || u.Kind == "return" || reopens(u):
			at = time.Time{} // reopened, or a done claim sent back (退回重办)
		case finishes(u) && at.IsZero():
			at = u.At
		}
	}
	if at.IsZero() {
		at = t.UpdatedAt
	}
	return true, at
}

// reopens reports whether an update moved a finished task back to an open
// status.
func reopens(u store.HistoryEntry) bool {
	for _, c := range u.Changes {
		if c.Field != "status" {
			continue
		}
		from, ok1 := store.ParseStatus(c.Old)
		to, ok2 := store.ParseStatus(c.New)
		if ok1 && ok2 && from.Finished() && !to.Finished() {
			return true
		}
	}
	return false
}

// Text renders the 考核 table (the answer to /score).
func (sc Score) Text(lang lang.Lang) string {
	var b strings.Builder
	b.WriteString(say(lang, "score_head", itoa(sc.Year), sc.Date.String()) + "\n")
	b.WriteString(say(lang, "score_totals", itoa(sc.Total.Due), itoa(sc.Total.OnTime), itoa(sc.Total.Late), itoa(sc.Total.Overdue), itoa(sc.Total.Extended), itoa(sc.Total.Rate)) + "\n")
	b.WriteString(sc.table(lang))
	return strings.TrimRight(b.String(), "\n")
}

// Rows returns the table as strings, header first, total last: for the
// chat's <pre> block and the export's sheet alike.
func (sc Score) Rows(lang lang.Lang) [][]string {
	rows := [][]string{{say(lang, "col_dept"), say(lang, "score_col_due"), say(lang, "score_col_ontime"),
		say(lang, "score_col_late"), say(lang, "score_col_overdue"), say(lang, "score_col_ext"), say(lang, "score_col_rate")}}
	cells := func(name string, r ScoreRow) []string {
		return []string{name, itoa(r.Due), itoa(r.OnTime), itoa(r.Late), itoa(r.Overdue), itoa(r.Extended), itoa(r.Rate) + "%"}
	}
	for _, r := range sc.Depts {
		rows = append(rows, cells(deptName(r.Dept, lang), r))
	}
	return append(rows, cells(say(lang, "col_total"), sc.Total))
}

func (sc Score) table(lang lang.Lang) string {
	var b strings.Builder
	b.WriteString("<pre>")
	for _, line := range Columns(sc.Rows(lang), 1) {
		b.WriteString(esc(line) + "\n")
	}
	b.WriteString("</pre>\n")
	return b.String()
}

// MonthlyReport is the 月报 sent on the first working day of a month: the
// previous month's changes, then the year's on-time table.
func MonthlyReport(tx *store.Tx, now time.Time, loc *time.Location, lang lang.Lang) (string, error) {
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	today := store.DateOf(now)
	thisMonth := store.NewDate(today.Year(), today.Month(), 1)
	prev := store.NewDate(today.Year(), today.Month()-1, 1)
	hist, err := tx.HistorySince(prev.In(loc))
	if err != nil {
		return "", err
	}
	done, ext := map[string]bool{}, 0
	for _, u := range hist {
		if !u.At.Before(thisMonth.In(loc)) {
			continue
		}
		if finishes(u) {
			done[u.Key()] = true
		}
		if u.Kind == "extend_approved" {
			ext++
		}
	}
	overdue := 0
	late, err := tx.OpenTasksDue(prev, thisMonth.AddDays(-1))
	if err != nil {
		return "", err
	}
	overdue = len(late)
	sc, err := BuildScore(tx, thisMonth.In(loc).Add(-time.Second), loc) // the year up to the month's end
	if err != nil {
		return "", err
	}
	month := prev.String()[:7]
	var b strings.Builder
	b.WriteString(say(lang, "score_month_head", month) + "\n")
	b.WriteString(say(lang, "score_month_totals", itoa(len(done)), itoa(overdue), itoa(ext)) + "\n\n")
	b.WriteString(sc.Text(lang))
	return b.String(), nil
}
