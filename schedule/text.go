package schedule

import (
	"html"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// tr picks the English text when lang is "en" and Chinese otherwise: the
// bureau reads Chinese, --lang en exists for visitors and tests.
func tr(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

func itoa(n int) string        { return strconv.Itoa(n) }
func i64toa(n int64) string    { return strconv.FormatInt(n, 10) }
func num(f float64) string     { return strconv.FormatFloat(f, 'f', -1, 64) }
func esc(s string) string      { return html.EscapeString(s) }
func mmdd(d store.Date) string { return d.String()[5:] }

// StatusLabel names a status in the reader's language.
func StatusLabel(s store.Status, lang string) string {
	if lang == "en" {
		return strings.ReplaceAll(string(s), "_", " ")
	}
	return s.Zh()
}

// deptName shows a department, or a placeholder for unassigned tasks.
func deptName(d, lang string) string {
	if d == "" {
		return tr(lang, "（未指定牵头单位）", "(no lead department)")
	}
	return d
}

// TaskCard renders a task's state as on day `on` (Telegram HTML): what a
// contact needs to answer a reminder without opening /task. The bot may use
// it for /task too.
func TaskCard(t *store.Task, on, planStart store.Date, lang string) string {
	return taskCard(t, on, planStart, lang, DefaultLights())
}

// TaskCardLit is TaskCard lit with the policy's thresholds (the chat's
// cards light tasks as the digest and the reminders do).
func TaskCardLit(t *store.Task, on, planStart store.Date, lang string, lights Lights) string {
	return taskCard(t, on, planStart, lang, lights)
}

// taskCard is TaskCard with the policy's light thresholds.
func taskCard(t *store.Task, on, planStart store.Date, lang string, lights Lights) string {
	var b strings.Builder
	b.WriteString("<b>" + esc(t.ID) + "</b> " + esc(t.Text) + "\n")
	b.WriteString(tr(lang, "牵头单位：", "Lead: ") + esc(deptName(t.Lead, lang)))
	if t.Lead != "" && t.LeadSuggested {
		b.WriteString(tr(lang, "（建议，待督办员确认）", " (suggested, unconfirmed)"))
	}
	if len(t.CoDepts) > 0 {
		b.WriteString(tr(lang, "（配合：", " (with ") + esc(strings.Join(t.CoDepts, tr(lang, "、", ", "))) + tr(lang, "）", ")"))
	}
	b.WriteString("\n" + tr(lang, "完成时限：", "Deadline: "))
	switch {
	case t.Cadence == store.CadenceMonthly || t.Deadline.IsZero():
		b.WriteString(tr(lang, "持续推进（每月报送进展）", "continuous (monthly report)"))
	default:
		b.WriteString(t.Deadline.String() + daysText(t, on, lang))
	}
	b.WriteString("\n" + tr(lang, "状态：", "Status: ") + StatusLabel(t.Status, lang) +
		tr(lang, " · 进度 ", " · ") + itoa(t.Progress) + "%")
	if t.HasTarget() {
		b.WriteString(" · " + num(t.Current) + "/" + num(t.Target) + esc(t.Unit))
	}
	l := lights.Light(t, on, planStart)
	b.WriteString(" · " + l.Emoji() + "\n")
	if t.Latest != "" {
		b.WriteString(tr(lang, "最新进展：", "Latest: ") + esc(t.Latest) + "\n")
	}
	return b.String()
}

// daysText says how far the deadline is from `on`: （还剩 7 天）, （今天到期）
// or （已逾期 3 天）.
func daysText(t *store.Task, on store.Date, lang string) string {
	n := on.DaysUntil(t.Deadline)
	switch {
	case !t.Open():
		return ""
	case n > 0:
		return tr(lang, "（还剩 "+itoa(n)+" 天）", " ("+itoa(n)+" days left)")
	case n == 0:
		return tr(lang, "（今天到期）", " (due today)")
	}
	return tr(lang, "（已逾期 "+itoa(-n)+" 天）", " ("+itoa(-n)+" days overdue)")
}

// reminderText is the text of a task reminder sent on e.fire: a headline
// saying why it came, the task card, and how to answer.
func reminderText(e event, s Snapshot) string {
	lang, t := s.Lang, e.task
	var head string
	switch e.msgKind {
	case store.KindReminder:
		if n := e.fire.DaysUntil(t.Deadline); n > 0 {
			head = tr(lang, "⏰ <b>督办提醒</b>：距完成时限还有 "+itoa(n)+" 天", "⏰ <b>Reminder</b>: "+itoa(n)+" days to the deadline")
		} else {
			head = tr(lang, "⏰ <b>督办提醒</b>：今天是完成时限", "⏰ <b>Reminder</b>: the deadline is today")
		}
	case store.KindOverdue:
		n := t.DaysOverdue(e.fire)
		head = tr(lang, "⚠️ <b>逾期提醒</b>：已超过完成时限 "+itoa(n)+" 天", "⚠️ <b>Overdue</b>: "+itoa(n)+" days past the deadline")
	case store.KindAsk:
		month := e.nominal.String()[:7]
		if e.kind == "ask2" {
			head = tr(lang, "📋 <b>月度进展（再次提醒）</b>：尚未收到 "+month+" 的进展", "📋 <b>Monthly progress (second ask)</b>: nothing received yet for "+month)
		} else {
			head = tr(lang, "📋 <b>月度进展</b>：请报送 "+month+" 的工作进展", "📋 <b>Monthly progress</b>: please report on "+month)
		}
	}
	return head + "\n\n" + taskCard(t, e.fire, s.PlanStart, lang, s.Lights) + "\n" +
		tr(lang, "点下方按钮，或直接回复本消息：60%、40/85、完成，或一句进展说明。",
			"Tap a button below, or reply to this message: 60%, 40/85, done, or a note.")
}

// coordinatorText is the one message coordinators get on a day: every
// newly overdue task, then departments whose reminders reached nobody.
func coordinatorText(day store.Date, overdue []*store.Task, orphan map[string][]string, s Snapshot) string {
	lang := s.Lang
	var b strings.Builder
	if len(overdue) > 0 {
		b.WriteString(tr(lang, "🚨 <b>逾期通报</b> · ", "🚨 <b>Newly overdue</b> · ") + day.String() + "\n")
		b.WriteString(tr(lang, "以下 "+itoa(len(overdue))+" 项任务已超过完成时限：", itoa(len(overdue))+" tasks passed their deadline:") + "\n")
		for _, t := range overdue {
			b.WriteString("🔴 <b>" + esc(t.ID) + "</b> " + esc(shorten(t.Text, 40)) + " — " +
				esc(deptName(t.Lead, lang)) + tr(lang, " · 时限 ", " · due ") + t.Deadline.String() +
				tr(lang, " · 逾期 "+itoa(t.DaysOverdue(day))+" 天", " · "+itoa(t.DaysOverdue(day))+" days overdue") + "\n")
		}
	} else {
		b.WriteString(tr(lang, "📵 <b>联络员缺失</b> · ", "📵 <b>No contact</b> · ") + day.String() + "\n")
	}
	if len(orphan) > 0 {
		if len(overdue) > 0 {
			b.WriteString("\n")
		}
		b.WriteString(tr(lang, "以下部门今天有提醒，但没有可送达的联络员：", "Reminders today reached nobody in these departments:") + "\n")
		depts := make([]string, 0, len(orphan))
		for d := range orphan {
			depts = append(depts, d)
		}
		sort.Strings(depts)
		for _, d := range depts {
			ids := append([]string(nil), orphan[d]...)
			sort.Slice(ids, func(i, j int) bool { return idLess(ids[i], ids[j]) })
			b.WriteString("• " + esc(deptName(d, lang)) + tr(lang, "：", ": ") + esc(strings.Join(ids, tr(lang, "、", ", "))) + "\n")
		}
		b.WriteString(tr(lang, "请用 /invite 部门 生成联络员邀请链接，或用 /assign 指定牵头单位。",
			"Use /invite DEPT to invite a contact, or /assign to set a lead department.") + "\n")
	}
	return b.String()
}

// catchUpPrefix marks a message sent late, with the time it was meant for.
func catchUpPrefix(due time.Time, lang string) string {
	return tr(lang, "【补发】原定 ", "[Late] meant for ") + due.Format("2006-01-02 15:04") + "\n"
}

// missedText summarises reminders older than the catch-up window for one
// chat: one line each, oldest first, instead of a burst of stale messages.
func missedText(rs []Reminder, lang string) string {
	var b strings.Builder
	b.WriteString(tr(lang, "【补发】<b>停机期间错过的 "+itoa(len(rs))+" 条提醒</b>", "[Late] <b>"+itoa(len(rs))+" reminders missed while the bot was down</b>") + "\n")
	for _, r := range rs {
		b.WriteString("• " + r.DueAt.Format("01-02") + " " + kindLabel(keyKind(r.Key), lang))
		if r.TaskID != "" {
			b.WriteString(" · <b>" + esc(strings.Join(taskIDs(r.TaskID), tr(lang, "、", ", "))) + "</b>")
		}
		b.WriteString("\n")
	}
	b.WriteString(tr(lang, "最新情况请用 /my 或 /task 编号 查看。", "See /my or /task ID for the current state."))
	return b.String()
}

func keyKind(key string) string { k, _, _ := strings.Cut(key, "|"); return k }

// kindLabel names a rule (the first field of a key) for people.
func kindLabel(kind, lang string) string {
	switch {
	case kind == "before0":
		return tr(lang, "到期当天提醒", "due-today reminder")
	case strings.HasPrefix(kind, "before"):
		n := strings.TrimPrefix(kind, "before")
		return tr(lang, "到期前 "+n+" 天提醒", n+"-day reminder")
	case strings.HasPrefix(kind, "overdue"):
		n := strings.TrimPrefix(kind, "overdue")
		return tr(lang, "逾期 "+n+" 天提醒", n+" days overdue reminder")
	case kind == "ask1":
		return tr(lang, "月度进展询问", "monthly progress request")
	case kind == "ask2":
		return tr(lang, "月度进展再次询问", "monthly second ask")
	case kind == "escalate":
		return tr(lang, "逾期通报", "overdue escalation")
	case kind == "nocontact":
		return tr(lang, "联络员缺失通报", "no-contact notice")
	}
	return kind
}

// eventWhy explains which rule produced a task message, and any holiday shift.
func eventWhy(e event, lang string) string {
	t := e.task
	var why string
	switch e.msgKind {
	case store.KindAsk:
		why = tr(lang, "持续推进任务 "+t.ID+"：每月第 "+itoa(e.offset)+" 个工作日"+kindLabel(e.kind, lang)+"（"+e.period+"）",
			"continuous task "+t.ID+": "+kindLabel(e.kind, lang)+" on working day "+itoa(e.offset)+" of "+e.period)
		if e.kind == "ask2" {
			why += tr(lang, "，首次询问后未收到更新", ", no update since the first ask")
		}
		return why
	case store.KindReminder:
		why = tr(lang, "任务 "+t.ID+" 完成时限 "+t.Deadline.String()+"："+kindLabel(e.kind, lang)+"（D-"+itoa(e.offset)+" = "+e.nominal.String()+"）",
			"task "+t.ID+" due "+t.Deadline.String()+": "+kindLabel(e.kind, lang)+" (D-"+itoa(e.offset)+" = "+e.nominal.String()+")")
	default:
		why = tr(lang, "任务 "+t.ID+" 完成时限 "+t.Deadline.String()+"："+kindLabel(e.kind, lang)+"（D+"+itoa(e.offset)+" = "+e.nominal.String()+"）",
			"task "+t.ID+" due "+t.Deadline.String()+": "+kindLabel(e.kind, lang)+" (D+"+itoa(e.offset)+" = "+e.nominal.String()+")")
	}
	if e.nominal != e.fire {
		why += tr(lang, "，"+e.nominal.String()+" 非工作日，改在 "+e.fire.String(),
			", "+e.nominal.String()+" is not a working day, moved to "+e.fire.String())
	}
	return why
}

// coordinatorWhy explains a coordinator message.
func coordinatorWhy(day store.Date, overdue, orphans int, lang string) string {
	var parts []string
	if overdue > 0 {
		parts = append(parts, tr(lang, itoa(overdue)+" 项任务新逾期（D+1 通报）", itoa(overdue)+" tasks newly overdue (D+1)"))
	}
	if orphans > 0 {
		parts = append(parts, tr(lang, itoa(orphans)+" 个部门无可送达的联络员", itoa(orphans)+" departments with no reachable contact"))
	}
	return day.String() + tr(lang, "：", ": ") + strings.Join(parts, tr(lang, "，", ", "))
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

// taskLess orders tasks by deadline, then by ID.
func taskLess(a, b *store.Task) bool {
	if a.Deadline != b.Deadline {
		return a.Deadline < b.Deadline
	}
	return idLess(a.ID, b.ID)
}

// idLess compares task IDs numerically part by part, so 4.1.10 sorts after 4.1.9.
func idLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] == bs[i] {
			continue
		}
		x, errx := strconv.Atoi(as[i])
		y, erry := strconv.Atoi(bs[i])
		if errx == nil && erry == nil {
			return x < y
		}
		return as[i] < bs[i]
	}
	return len(as) < len(bs)
}

// taskIDs shows a message's task references (store keys, space-separated)
// as task IDs.
func taskIDs(keys string) []string {
	ids := strings.Fields(keys)
	for i, k := range ids {
		ids[i] = store.IDOf(k)
	}
	return ids
}
