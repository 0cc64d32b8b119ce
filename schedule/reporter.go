package schedule

import (
	"github.com/duban-bureau/duban/schedule/lang"
	"strconv"
	"time"

	"github.com/duban-bureau/duban/store"
)

// Reporter gives the chat the texts it shares with the cron jobs: the
// digest (/digest), its department table (/stats) and a reminder for one
// task on demand (/remind). It implements bot.Reporter.
type Reporter struct {
	Policy Policy
	Cal    *Calendar
	Loc    *time.Location
	Lang   lang.Lang
	Admins store.Admins
}

// Digest builds the 督办周报 at now.
func (r *Reporter) Digest(tx *store.Tx, now time.Time) (string, error) {
	s, err := LoadDigestSnapshot(tx, r.Policy, r.Admins, r.Lang, r.Loc)
	if err != nil {
		return "", err
	}
	d, err := BuildDigestTx(tx, s, nil, now)
	if err != nil {
		return "", err
	}
	return d.Text(r.Lang), nil
}

// Stats builds the per-department table alone. It needs no history (the
// table and lights come from the snapshot), so it skips BuildDigestTx's
// read of the week's history and the finished tasks it names.
func (r *Reporter) Stats(tx *store.Tx, now time.Time) (string, error) {
	s, err := LoadDigestSnapshot(tx, r.Policy, r.Admins, r.Lang, r.Loc)
	if err != nil {
		return "", err
	}
	b := newDigestBuilder(s, now, nil)
	if err := tx.EachOpenTask(b.add); err != nil {
		return "", err
	}
	return b.finish(nil, now).StatsText(r.Lang), nil
}

// Nudge builds a reminder for one task now to every reachable contact of
// its lead department (the coordinator's /remind).
func (r *Reporter) Nudge(tx *store.Tx, t *store.Task, now time.Time) ([]*store.Message, error) {
	contacts, err := tx.ContactsByDept(t.Lead)
	if err != nil {
		return nil, err
	}
	on := store.DateOf(now.In(r.Loc))
	ps, err := PlanStart(tx)
	if err != nil {
		return nil, err
	}
	text := say(r.Lang, "rep_reminder_head") + taskCard(t, on, ps, r.Lang, r.Policy.Lights)
	var out []*store.Message
	for _, c := range contacts {
		if c.Unreachable || c.ChatID == 0 {
			continue
		}
		out = append(out, &store.Message{ChatID: c.ChatID, Kind: store.KindReminder, TaskID: t.Key(), Text: text,
			Buttons: TaskButtons(t.Key(), r.Lang), DueAt: now,
			Key: store.MessageKey("nudge", t.Key(), now.Format(time.RFC3339), c.ChatID, strconv.FormatInt(now.UnixNano(), 36))})
	}
	return out, nil
}

// StatsText renders the headline numbers and the per-department table (the
// answer to /stats).
func (d Digest) StatsText(lang lang.Lang) string {
	return say(lang, "rep_stats_head", d.Date.String()) + "\n" +
		say(lang, "rep_totals", itoa(d.Total.Tasks), itoa(d.Total.Done), itoa(d.Total.Pct), itoa(d.Total.Overdue)) +
		"\n🔴 " + itoa(d.Red) + "  🟡 " + itoa(d.Yellow) + "  🟢 " + itoa(d.Green) + "\n" + d.table(lang)
}
