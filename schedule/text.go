package schedule

import (
	"html"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/schedule/lang"
	"github.com/duban-bureau/duban/store"
)

// say renders the catalogue entry key (schedule/lang) in lang: the
// bureau reads Chinese, --lang en exists for visitors and tests.
func say(l lang.Lang, key string, args ...any) string { return l.T(key, args...) }

func itoa(n int) string        { return strconv.Itoa(n) }
func i64toa(n int64) string    { return strconv.FormatInt(n, 10) }
func num(f float64) string     { return strconv.FormatFloat(f, 'f', -1, 64) }
func esc(s string) string      { return html.EscapeString(s) }
func mmdd(d store.Date) string { return d.String()[5:] }

// StatusLabel names a status in the reader's language (the catalogue's
// st_* entries, which chat and the web ledger use too).
func StatusLabel(s store.Status, l lang.Lang) string { return l.Status(s) }

// deptName shows a department, or a placeholder for unassigned tasks.
func deptName(d string, lang lang.Lang) string {
	if d == "" {
		return say(lang, "rem_no_lead")
	}
	return d
}

// TaskCard renders a task's state as on day `on` (Telegram HTML): what a
// contact needs to answer a reminder without opening /task. The bot may use
// it for /task too.
func TaskCard(t *store.Task, on, planStart store.Date, lang lang.Lang) string {
	return taskCard(t, on, planStart, lang, DefaultLights())
}

// TaskCardLit is TaskCard lit with the policy's thresholds (the chat's
// cards light tasks as the digest and the reminders do).
func TaskCardLit(t *store.Task, on, planStart store.Date, lang lang.Lang, lights Lights) string {
	return taskCard(t, on, planStart, lang, lights)
}

// taskCard is TaskCard with the policy's light thresholds.
func taskCard(t *store.Task, on, planStart store.Date, lang lang.Lang, lights Lights) string {
	var b strings.Builder
	b.WriteString("<b>" + esc(t.ID) + "</b> " + esc(t.Text) + "\n")
	b.WriteString(say(lang, "rem_lead") + esc(deptName(t.Lead, lang)))
	if t.Lead != "" && t.LeadSuggested {
		b.WriteString(say(lang, "rem_suggested"))
	}
	if len(t.CoDepts) > 0 {
		b.WriteString(say(lang, "rem_with") + esc(strings.Join(t.CoDepts, say(lang, "list_sep"))) + say(lang, "rem_close_paren"))
	}
	b.WriteString("\n" + say(lang, "deadline"))
	switch {
	case t.Cadence == store.CadenceMonthly || t.Deadline.IsZero():
		b.WriteString(say(lang, "rem_continuous"))
	default:
		b.WriteString(t.Deadline.String() + daysText(t, on, lang))
	}
	b.WriteString("\n" + say(lang, "rem_status") + StatusLabel(t.Status, lang) +
		say(lang, "rem_progress_sep") + itoa(t.Progress) + "%")
	if t.HasTarget() {
		b.WriteString(" · " + num(t.Current) + "/" + num(t.Target) + esc(t.Unit))
	}
	l := lights.Light(t, on, planStart)
	b.WriteString(" · " + l.Emoji() + "\n")
	if t.Latest != "" {
		b.WriteString(say(lang, "latest") + esc(t.Latest) + "\n")
	}
	if t.CarriedFrom != "" {
		b.WriteString(say(lang, "rem_carried", esc(t.CarriedFrom)) + "\n")
	}
	return b.String()
}

// daysText says how far the deadline is from `on`: （还剩 7 天）, （今天到期）
// or （已逾期 3 天）.
func daysText(t *store.Task, on store.Date, lang lang.Lang) string {
	n := on.DaysUntil(t.Deadline)
	switch {
	case !t.Open():
		return ""
	case n > 0:
		return say(lang, "rem_days_left", itoa(n))
	case n == 0:
		return say(lang, "rem_due_today")
	}
	return say(lang, "rem_days_overdue", itoa(-n))
}

// reminderText is the text of a task reminder sent on e.fire: a headline
// saying why it came, the task card, and how to answer.
func reminderText(e event, s Snapshot) string {
	lang, t := s.Lang, e.task
	var head string
	switch e.msgKind {
	case store.KindReminder:
		if n := e.fire.DaysUntil(t.Deadline); n > 0 {
			head = say(lang, "rem_head_before", itoa(n))
		} else {
			head = say(lang, "rem_head_today")
		}
	case store.KindOverdue:
		n := t.DaysOverdue(e.fire)
		head = say(lang, "rem_head_overdue", itoa(n))
	case store.KindAsk:
		month := e.nominal.String()[:7]
		if e.kind == "ask2" {
			head = say(lang, "rem_head_ask2", month)
		} else {
			head = say(lang, "rem_head_ask1", month)
		}
	}
	return head + "\n\n" + taskCard(t, e.fire, s.startOf(t), lang, s.Lights) + "\n" +
		say(lang, "rem_how_to_answer")
}

// coordinatorText is the one message coordinators get on a day: every
// newly overdue task, then departments whose reminders reached nobody.
func coordinatorText(day store.Date, overdue []*store.Task, orphan map[string][]string, s Snapshot) string {
	lang := s.Lang
	var b strings.Builder
	if len(overdue) > 0 {
		b.WriteString(say(lang, "rem_escalation_head") + day.String() + "\n")
		b.WriteString(say(lang, "rem_escalation_count", itoa(len(overdue))) + "\n")
		for _, t := range overdue {
			b.WriteString("🔴 <b>" + esc(t.ID) + "</b> " + esc(shorten(t.Text, 40)) + " — " +
				esc(deptName(t.Lead, lang)) + say(lang, "rem_due_sep") + t.Deadline.String() +
				say(lang, "rem_overdue_sep", itoa(t.DaysOverdue(day))) + "\n")
		}
	} else {
		b.WriteString(say(lang, "rem_nocontact_head") + day.String() + "\n")
	}
	if len(orphan) > 0 {
		if len(overdue) > 0 {
			b.WriteString("\n")
		}
		b.WriteString(say(lang, "rem_nocontact_list") + "\n")
		depts := make([]string, 0, len(orphan))
		for d := range orphan {
			depts = append(depts, d)
		}
		sort.Strings(depts)
		for _, d := range depts {
			ids := append([]string(nil), orphan[d]...)
			sort.Slice(ids, func(i, j int) bool { return idLess(ids[i], ids[j]) })
			b.WriteString("• " + esc(deptName(d, lang)) + say(lang, "colon") + esc(strings.Join(ids, say(lang, "list_sep"))) + "\n")
		}
		b.WriteString(say(lang, "rem_nocontact_hint") + "\n")
	}
	return b.String()
}

// catchUpPrefix marks a message sent late, with the time it was meant for.
func catchUpPrefix(due time.Time, lang lang.Lang) string {
	return say(lang, "rem_late_prefix") + due.Format("2006-01-02 15:04") + "\n"
}

// missedText summarises reminders older than the catch-up window for one
// chat: one line each, oldest first, instead of a burst of stale messages.
func missedText(rs []Reminder, lang lang.Lang) string {
	var b strings.Builder
	b.WriteString(say(lang, "rem_missed_head", itoa(len(rs))) + "\n")
	for _, r := range rs {
		b.WriteString("• " + r.DueAt.Format("01-02") + " " + kindLabel(keyKind(r.Key), lang))
		if r.TaskID != "" {
			b.WriteString(" · <b>" + esc(strings.Join(taskIDs(r.TaskID), say(lang, "list_sep"))) + "</b>")
		}
		b.WriteString("\n")
	}
	b.WriteString(say(lang, "rem_missed_hint"))
	return b.String()
}

func keyKind(key string) string { k, _, _ := strings.Cut(key, "|"); return k }

// kindLabel names a rule (the first field of a key) for people.
func kindLabel(kind string, lang lang.Lang) string {
	switch {
	case kind == "before0":
		return say(lang, "kind_before0")
	case strings.HasPrefix(kind, "before"):
		n := strings.TrimPrefix(kind, "before")
		return say(lang, "kind_before", n)
	case strings.HasPrefix(kind, "overdue"):
		n := strings.TrimPrefix(kind, "overdue")
		return say(lang, "kind_overdue", n)
	case kind == "ask1":
		return say(lang, "kind_ask1")
	case kind == "ask2":
		return say(lang, "kind_ask2")
	case kind == "escalate":
		return say(lang, "kind_escalate")
	case kind == "nocontact":
		return say(lang, "kind_nocontact")
	}
	return kind
}

// eventWhy explains which rule produced a task message, and any holiday shift.
func eventWhy(e event, lang lang.Lang) string {
	t := e.task
	var why string
	switch e.msgKind {
	case store.KindAsk:
		why = say(lang, "why_ask", t.ID, itoa(e.offset), kindLabel(e.kind, lang), e.period)
		if e.kind == "ask2" {
			why += say(lang, "why_ask2")
		}
		return why
	case store.KindReminder:
		why = say(lang, "why_before", t.ID, t.Deadline.String(), kindLabel(e.kind, lang), itoa(e.offset), e.nominal.String())
	default:
		why = say(lang, "why_overdue", t.ID, t.Deadline.String(), kindLabel(e.kind, lang), itoa(e.offset), e.nominal.String())
	}
	if e.nominal != e.fire {
		why += say(lang, "why_shifted", e.nominal.String(), e.fire.String())
	}
	return why
}

// coordinatorWhy explains a coordinator message.
func coordinatorWhy(day store.Date, overdue, orphans int, lang lang.Lang) string {
	var parts []string
	if overdue > 0 {
		parts = append(parts, say(lang, "why_escalate", itoa(overdue)))
	}
	if orphans > 0 {
		parts = append(parts, say(lang, "why_nocontact", itoa(orphans)))
	}
	return day.String() + say(lang, "colon") + strings.Join(parts, say(lang, "comma"))
}

// contactLabel names a contact for previews: 张三（水生态环境处）.
func contactLabel(c *store.Contact) string {
	name := c.Name
	if name == "" && c.Username != "" {
		name = "@" + c.Username
	}
	if name == "" {
		name = "chat " + i64toa(chatOf(c))
	}
	if c.Dept != "" {
		name += "（" + c.Dept + "）"
	}
	return name
}

// taskLess orders tasks by deadline (continuous last), then by ID.
func taskLess(a, b *store.Task) bool { return store.CompareByDeadline(a, b) < 0 }

// idLess compares task IDs numerically part by part, so 4.1.10 sorts after 4.1.9.
func idLess(a, b string) bool { return store.CompareIDs(a, b) < 0 }

// taskIDs shows a message's task references (store keys, space-separated)
// as task IDs.
func taskIDs(keys string) []string {
	ids := strings.Fields(keys)
	for i, k := range ids {
		ids[i] = store.IDOf(k)
	}
	return ids
}
