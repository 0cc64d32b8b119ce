package schedule

import (
	"github.com/duban-bureau/duban/schedule/outbox"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// monthly queues the 月报 on the first working day of each month.
func (r *Runner) monthly(tx *store.Tx, now time.Time) (int, error) {
	ms, err := loadJob(tx, jobMonthly)
	if err != nil {
		return 0, err
	}
	if ms.Next.IsZero() {
		ms.Next = NextMonthly(r.Policy, r.Cal, now)
	}
	n := 0
	if !now.Before(ms.Next) && now.Sub(ms.Next) > r.Policy.CatchUpWindow {
		// Down past the catch-up window: a stale 月报 is not sent (/score
		// has the live figures); the next month's comes on time.
		r.log().Warn("monthly report skipped: down past the catch-up window", "due", ms.Next.Format(time.RFC3339))
		ms.Last, ms.Next = now, NextMonthly(r.Policy, r.Cal, now)
	}
	if !now.Before(ms.Next) {
		text, err := MonthlyReport(tx, ms.Next, r.Loc, r.Lang)
		if err != nil {
			return 0, err
		}
		audience, err := tx.Audience(store.AboutWork, r.Admins...)
		if err != nil {
			return 0, err
		}
		for _, to := range audience {
			chat := to.ChatID
			m := &store.Message{Key: Key(jobMonthly, "", store.DateOf(ms.Next).String()[:7], chat), ChatID: chat, Kind: store.KindMonthly,
				Text: text, DueAt: ms.Next, CatchUp: now.Sub(ms.Next) > r.Policy.Grace}
			if m.CatchUp {
				m.Text = catchUpPrefix(ms.Next, r.Lang) + m.Text
			}
			added, err := outbox.Enqueue(tx, m)
			if err != nil {
				return n, err
			}
			n += added
		}
		ms.Last, ms.Next = now, NextMonthly(r.Policy, r.Cal, now)
	}
	return n, saveJob(tx, jobMonthly, ms)
}

// NextMonthly is the next 月报 instant strictly after `after`: the first
// working day of a month at the digest's time.
func NextMonthly(p Policy, cal *Calendar, after time.Time) time.Time {
	d := store.DateOf(after)
	for i := 0; i < 3; i++ {
		m := store.NewDate(d.Year(), d.Month()+time.Month(i), 1)
		if t := At(cal.NthWorkday(m.Year(), m.Month(), 1), p.DigestAt, after.Location()); t.After(after) {
			return t
		}
	}
	return after.AddDate(0, 1, 0)
}

// holidayWarning tells the admins once per year when the schedule runs in
// a year without holiday data (Monday–Friday is then assumed).
func (r *Runner) holidayWarning(tx *store.Tx, now time.Time) (int, error) {
	y := now.Year()
	if r.Cal.HasData(y) {
		return 0, nil
	}
	ws := r.Cal.Warnings(y)
	if len(ws) == 0 {
		return 0, nil
	}
	// Who was told is kept in the job state ("<year>|chat|chat…"): the
	// warning's outbox key alone would be forgotten by the daily prune and
	// the warning repeated every month.
	yearTag := itoa(y) + "|"
	told := string(tx.JobState(jobHolidays))
	if !strings.HasPrefix(told, yearTag) {
		told = yearTag
	}
	n := 0
	for _, chat := range r.Admins {
		tag := "|" + i64toa(chat) + "|"
		if strings.Contains(told, tag) {
			continue
		}
		told = strings.TrimSuffix(told, "|") + tag
		added, err := outbox.Enqueue(tx, &store.Message{Key: Key("noholiday", "", itoa(y), chat), ChatID: chat, Kind: store.KindNotice,
			Text: "⚠️ " + esc(say(r.Lang, "hol_year_no_data", y)) + say(r.Lang, "hol_add_hint"), DueAt: now})
		if err != nil {
			return n, err
		}
		if added > 0 {
			r.log().Warn("no holiday data", "year", y, "detail", ws[0])
		}
		n += added
	}
	if told != string(tx.JobState(jobHolidays)) {
		if err := tx.SetJobState(jobHolidays, []byte(told)); err != nil {
			return n, err
		}
	}
	return n, nil
}
