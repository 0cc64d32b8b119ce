package schedule

import (
	"github.com/duban-bureau/duban/schedule/lang"
	"sort"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// DailyTaskIDs splits the TaskID of a store.KindDaily message (the one
// message a contact gets on a day with reminders for several tasks) into
// task IDs, so a reply naming one (`4.1.3 60%`) is read as an update of
// that task.
func DailyTaskIDs(taskID string) []string { return strings.Fields(taskID) }

// chatDay is what one contact is told on one day, before the budget.
type chatDay struct {
	rcpt   recipient
	day    store.Date
	events []event
}

// urgent reports whether the day holds a reminder the budget never holds
// back: an overdue one, or one for a deadline today or tomorrow.
func (g *chatDay) urgent() bool {
	for _, e := range g.events {
		if e.msgKind == store.KindOverdue || (e.msgKind == store.KindReminder && e.offset <= 1) {
			return true
		}
	}
	return false
}

// budgetStart is the first day whose messages count against the budget
// for fire days from lo on: the Monday of lo's week when a weekly cap is
// set. plan decides those earlier days again (without sending them) so
// the count is a function of time, not of what the outbox remembers.
func budgetStart(p Policy, lo store.Date) store.Date {
	if p.Budget.PerWeek <= 0 {
		return lo
	}
	return lo.AddDays(-((int(lo.Weekday()) + 6) % 7))
}

// weekOf names the ISO week of d (year*100+week), for the weekly cap.
func weekOf(d store.Date) int {
	y, w := d.In(time.UTC).ISOWeek()
	return y*100 + w
}

// contactMessages turns one chat's days (sorted) into messages: the
// budget decides which days go; a day with one task keeps the task's own
// card, a day with several gets one combined message. show reports whether
// a day lies in the window being decided; days before it only count.
func contactMessages(p Policy, s Snapshot, days []*chatDay, show func(store.Date) bool) (out, held []Reminder) {
	loc := s.loc()
	perDay := map[store.Date]int{}
	perWeek := map[int]int{}
	for _, g := range days {
		w := weekOf(g.day)
		b := p.Budget
		over := ""
		switch {
		case g.urgent():
		case b.PerDay > 0 && perDay[g.day] >= b.PerDay:
			over = say(s.Lang, "daily_cap_day", itoa(b.PerDay))
		case b.PerWeek > 0 && perWeek[w] >= b.PerWeek:
			over = say(s.Lang, "daily_cap_week", itoa(b.PerWeek))
		}
		if over == "" {
			perDay[g.day]++
			perWeek[w]++
		}
		if !show(g.day) {
			continue
		}
		if over != "" {
			for _, e := range g.events {
				held = append(held, heldReminder(p, s, e, g.rcpt, say(s.Lang, "daily_budget")+over))
			}
			continue
		}
		if len(g.events) == 1 {
			out = append(out, taskReminder(p, s, g.events[0], g.rcpt))
			continue
		}
		out = append(out, dailyReminder(p, s, g, loc))
	}
	return out, held
}

// taskReminder is the single-task message: the task's card, as before
// reminders were combined.
func taskReminder(p Policy, s Snapshot, e event, r recipient) Reminder {
	return Reminder{
		Message: store.Message{
			Key:     Key(e.kind, e.task.Key(), e.period, r.chat),
			ChatID:  r.chat,
			Kind:    e.msgKind,
			TaskID:  e.task.Key(),
			Text:    reminderText(e, s),
			Buttons: withAck(TaskButtons(e.task.Key(), s.Lang), e.task.Key(), s.Lang),
			DueAt:   At(e.fire, p.At, s.loc()),
		},
		Recipient: r.label,
		Why:       eventWhy(e, s.Lang),
		Tasks:     []string{e.task.ID},
	}
}

// heldReminder describes a message the budget kept back, for Preview.
func heldReminder(p Policy, s Snapshot, e event, r recipient, reason string) Reminder {
	m := taskReminder(p, s, e, r)
	m.Why += say(s.Lang, "daily_held_back") + reason + say(s.Lang, "rem_close_paren")
	return m
}

// dailyReminder is the combined message of a day with several tasks:
// overdue first, then due soon, then monthly asks; one line per task with
// its ID and why it is there.
func dailyReminder(p Policy, s Snapshot, g *chatDay, loc *time.Location) Reminder {
	lang := s.Lang
	evs := append([]event(nil), g.events...)
	rank := map[store.MessageKind]int{store.KindOverdue: 0, store.KindReminder: 1, store.KindAsk: 2}
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if rank[a.msgKind] != rank[b.msgKind] {
			return rank[a.msgKind] < rank[b.msgKind]
		}
		return store.CompareByDeadline(a.task, b.task) < 0
	})
	var b strings.Builder
	b.WriteString(say(lang, "daily_head", g.day.String(), itoa(len(evs))) + "\n")
	titles := map[store.MessageKind]string{
		store.KindOverdue:  say(lang, "daily_title_overdue"),
		store.KindReminder: say(lang, "daily_title_due"),
		store.KindAsk:      say(lang, "daily_title_ask"),
	}
	count := map[store.MessageKind]int{}
	for _, e := range evs {
		count[e.msgKind]++
	}
	var ids, whys []string
	var buttons [][]store.Button
	prev := store.MessageKind("")
	for _, e := range evs {
		if e.msgKind != prev {
			prev = e.msgKind
			b.WriteString("\n" + titles[e.msgKind] + say(lang, "count_paren", itoa(count[e.msgKind])) + "</b>\n")
		}
		t := e.task
		b.WriteString(s.Lights.Light(t, g.day, s.startOf(t)).Emoji() + " <b>" + esc(t.ID) + "</b> " + esc(shorten(t.Text, 30)) +
			" · " + dailyLineWhy(e, lang) + "\n")
		ids = append(ids, t.Key())
		whys = append(whys, eventWhy(e, lang))
		if len(buttons) < p.Budget.MaxButtonTasks {
			if row := dailyButtons(t.Key(), lang); row != nil {
				buttons = append(buttons, row)
			}
		}
	}
	if n := len(evs) - len(buttons); n > 0 {
		b.WriteString("\n" + say(lang, "daily_more", itoa(n)) + "\n")
	}
	b.WriteString("\n" + say(lang, "daily_how_to_answer", evs[0].task.ID))
	buttons = append(buttons, []store.Button{{Text: say(lang, "btn_ack"), Data: CallbackData(ActionAck, "*")}})
	labels := map[store.MessageKind]string{store.KindOverdue: say(lang, "daily_label_overdue"), store.KindReminder: say(lang, "daily_label_due_soon"),
		store.KindAsk: say(lang, "daily_label_monthly")}
	counts := []string{}
	for _, k := range []store.MessageKind{store.KindOverdue, store.KindReminder, store.KindAsk} {
		if count[k] > 0 {
			counts = append(counts, labels[k]+" "+itoa(count[k]))
		}
	}
	return Reminder{
		Message: store.Message{
			Key:     Key("daily", "*", g.day.String(), g.rcpt.chat),
			ChatID:  g.rcpt.chat,
			Kind:    store.KindDaily,
			TaskID:  strings.Join(ids, " "),
			Text:    b.String(),
			Buttons: buttons,
			DueAt:   At(g.day, p.At, loc),
		},
		Recipient: g.rcpt.label,
		Why:       say(lang, "daily_why", itoa(len(evs)), strings.Join(counts, say(lang, "comma"))),
		Lines:     whys,
		Tasks:     taskIDs(strings.Join(ids, " ")),
	}
}

// dailyLineWhy is the short reason a task is on the combined message.
func dailyLineWhy(e event, lang lang.Lang) string {
	t := e.task
	switch e.msgKind {
	case store.KindOverdue:
		return say(lang, "daily_line_overdue", itoa(t.DaysOverdue(e.fire)), mmdd(t.Deadline))
	case store.KindReminder:
		n := e.fire.DaysUntil(t.Deadline)
		if n == 0 {
			return say(lang, "daily_line_today") + " · " + itoa(t.Progress) + "%"
		}
		return say(lang, "daily_line_left", itoa(n), mmdd(t.Deadline)) + " · " + itoa(t.Progress) + "%"
	}
	month := e.nominal.String()[:7]
	if e.kind == "ask2" {
		return say(lang, "daily_line_ask2", month)
	}
	return say(lang, "daily_line_ask1", month)
}

// dailyButtons is a task's row on the combined message: done and progress,
// labelled with the ID (the other two actions are on /task's card).
func dailyButtons(key string, lang lang.Lang) []store.Button {
	done, prog := CallbackData(ActionDone, key), CallbackData(ActionProgress, key)
	id := store.IDOf(key)
	if done == "" || prog == "" {
		return nil
	}
	return []store.Button{{Text: "✅ " + id + say(lang, "daily_btn_done"), Data: done},
		{Text: "📝 " + id + say(lang, "daily_btn_progress"), Data: prog}}
}

// withAck adds the 收到 row to a task's buttons.
func withAck(rows [][]store.Button, id string, lang lang.Lang) [][]store.Button {
	data := CallbackData(ActionAck, id)
	if rows == nil || data == "" {
		return rows
	}
	return append(rows, []store.Button{{Text: say(lang, "btn_ack"), Data: data}})
}
