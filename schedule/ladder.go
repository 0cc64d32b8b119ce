package schedule

import (
	"encoding/json"
	"fmt"
	"github.com/duban-bureau/duban/schedule/lang"
	"sort"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// NoticePlaceholder stands in a 催办单's text for its number until the
// runner gives it one (numbers are sequential per year, so they cannot
// come from a pure function of time).
const NoticePlaceholder = "{{催办单编号}}"

// ladderDays are the working days the two ladder steps fire for a task
// due on d: HeadAfter working days after its first overdue reminder, then
// CoordinatorsAfter more.
func ladderDays(p Policy, cal *Calendar, d store.Date) (first, head, coord store.Date) {
	o := 1
	if os := offsets(p.Overdue); len(os) > 0 {
		o = os[0]
	}
	first = cal.OnOrAfter(d.AddDays(o))
	head = cal.AddWorkdays(first, p.Ladder.HeadAfter)
	coord = cal.AddWorkdays(head, p.Ladder.CoordinatorsAfter)
	return first, head, coord
}

// ladderEvents are the ladder steps of a task due on D that may fire in [lo, hi].
func ladderEvents(p Policy, cal *Calendar, t *store.Task, lo, hi store.Date) []event {
	var out []event
	if p.Ladder.HeadAfter == 0 && p.Ladder.CoordinatorsAfter == 0 {
		return nil
	}
	D := t.Deadline
	first, head, coord := ladderDays(p, cal, D)
	// nominal is the first overdue reminder: what was ignored since when.
	if p.Ladder.HeadAfter > 0 && head >= lo && head <= hi {
		out = append(out, event{kind: "head", msgKind: store.KindHead, task: t, nominal: first, fire: head, offset: p.Ladder.HeadAfter, period: D.String()})
	}
	if p.Ladder.CoordinatorsAfter > 0 && coord >= lo && coord <= hi {
		out = append(out, event{kind: "ladder", msgKind: store.KindLadder, task: t, nominal: first, fire: coord,
			offset: p.Ladder.HeadAfter + p.Ladder.CoordinatorsAfter, period: D.String()})
	}
	return out
}

// ladderDue reports whether a ladder step still applies: the task's
// overdue reminders got neither a 收到 nor an update since the first one.
func ladderDue(p Policy, cal *Calendar, s Snapshot, e event) bool {
	first, _, _ := ladderDays(p, cal, e.task.Deadline)
	since := first.In(s.loc())
	if e.task.UpdatedAt.After(since) {
		return false
	}
	if a, ok := s.Acks[e.task.Key()]; ok && a.After(since) {
		return false
	}
	return true
}

// ladderMessages batches ladder steps: one message per department head
// and day, one per coordinator chat and day, each a 催办单 naming what was
// ignored since when.
func ladderMessages(p Policy, s Snapshot, events []event) []Reminder {
	loc, lang := s.loc(), s.Lang
	heads := map[string][]recipient{}
	for _, c := range s.Contacts {
		if c != nil && c.IsHead() && !c.Unreachable {
			for _, d := range c.Departments() {
				heads[d] = append(heads[d], recipient{chatOf(c), contactLabel(c)})
			}
		}
	}
	type group struct {
		kind  store.MessageKind
		dept  string
		day   store.Date
		tasks []*store.Task
		since map[string]store.Date // task → its first overdue reminder
	}
	groups := map[string]*group{}
	var order []string
	for _, e := range events {
		dept := "*"
		if e.msgKind == store.KindHead {
			dept = e.task.Lead
			if len(heads[dept]) == 0 {
				continue // no head registered: the coordinators' step still comes
			}
		}
		k := string(e.msgKind) + "|" + dept + "|" + e.fire.String()
		g := groups[k]
		if g == nil {
			g = &group{kind: e.msgKind, dept: dept, day: e.fire, since: map[string]store.Date{}}
			groups[k] = g
			order = append(order, k)
		}
		g.tasks = append(g.tasks, e.task)
		g.since[e.task.ID] = e.nominal
	}
	sort.Strings(order)
	var out []Reminder
	for _, k := range order {
		g := groups[k]
		sort.Slice(g.tasks, func(i, j int) bool { return taskLess(g.tasks[i], g.tasks[j]) })
		var rcpts []recipient
		var who, why string
		if g.kind == store.KindHead {
			rcpts = heads[g.dept]
			who = say(lang, "ladder_department_head")
			why = say(lang, "ladder_why_head", itoa(p.Ladder.HeadAfter), g.dept)
		} else {
			rcpts = coordinatorChats(s)
			who = say(lang, "ladder_coordinators")
			why = say(lang, "ladder_why_coord", itoa(p.Ladder.CoordinatorsAfter))
		}
		text := noticeText(s, g.kind, who, g.day, g.tasks, g.since)
		var ids []string
		for _, t := range g.tasks {
			ids = append(ids, t.Key())
		}
		for _, r := range rcpts {
			out = append(out, Reminder{
				Message: store.Message{
					Key:    Key(string(g.kind), g.dept, g.day.String(), r.chat),
					ChatID: r.chat,
					Kind:   g.kind,
					TaskID: strings.Join(ids, " "),
					Text:   text,
					DueAt:  At(g.day, p.At, loc),
				},
				Recipient: r.label,
				Why:       why + say(lang, "colon") + strings.Join(taskIDs(strings.Join(ids, " ")), say(lang, "list_sep")),
				Tasks:     taskIDs(strings.Join(ids, " ")),
				Notice:    k,
			})
		}
	}
	return out
}

// noticeText is a 催办单: its number, to whom, and one line per task with
// what was ignored since when.
func noticeText(s Snapshot, kind store.MessageKind, who string, day store.Date, tasks []*store.Task, since map[string]store.Date) string {
	lang := s.Lang
	var b strings.Builder
	b.WriteString(say(lang, "ladder_head", NoticePlaceholder, day.String(), who) + "\n")
	b.WriteString(say(lang, "ladder_count", itoa(len(tasks))) + "\n")
	for _, t := range tasks {
		from := mmdd(since[t.ID])
		b.WriteString("🔴 <b>" + esc(t.ID) + "</b> " + esc(shorten(t.Text, 30)) + " — " + esc(deptName(t.Lead, lang)) +
			say(lang, "ladder_line", t.Deadline.String(), itoa(t.DaysOverdue(day)), from) + "\n")
	}
	if kind == store.KindHead {
		b.WriteString(say(lang, "ladder_hint_head"))
	} else {
		b.WriteString(say(lang, "ladder_hint_coord"))
	}
	return b.String()
}

// Notice is a numbered 催办单 as stored: the text as sent and the tasks it named.
type Notice struct {
	Number string            `json:"number"` // 2026-017
	Group  string            `json:"group"`
	Kind   store.MessageKind `json:"kind"`
	Day    string            `json:"day"`
	Tasks  []string          `json:"tasks"`
	Text   string            `json:"text"`
	At     time.Time         `json:"at"`
}

func noticeNumber(year, n int) string { return fmt.Sprintf("%d-%03d", year, n) }

// issueNotice gives a 催办单 group its number (once: a second call returns
// the same), stores the notice and writes a history entry on each task.
// fresh reports whether the number was new.
func issueNotice(tx *store.Tx, r Reminder, lang lang.Lang) (number string, fresh bool, err error) {
	gk := "notice.group/" + r.Notice
	if v := tx.JobState(gk); v != nil {
		return string(v), false, nil
	}
	year := r.DueAt.Year()
	seqKey := "notice.seq/" + itoa(year)
	n := 0
	if v := tx.JobState(seqKey); v != nil {
		fmt.Sscan(string(v), &n)
	}
	n++
	number = noticeNumber(year, n)
	text := strings.ReplaceAll(r.Text, NoticePlaceholder, number)
	rec, err := json.Marshal(Notice{Number: number, Group: r.Notice, Kind: r.Kind, Day: store.DateOf(r.DueAt).String(),
		Tasks: r.Tasks, Text: text, At: tx.Now()})
	if err != nil {
		return "", false, err
	}
	for k, v := range map[string][]byte{seqKey: []byte(itoa(n)), gk: []byte(number), "notice/" + number: rec} {
		if err := tx.SetJobState(k, v); err != nil {
			return "", false, err
		}
	}
	step := say(lang, "ladder_sent_department_head")
	kind := "escalate_head"
	if r.Kind == store.KindLadder {
		step, kind = say(lang, "ladder_sent_coordinators"), "escalate_coord"
	}
	for _, id := range strings.Fields(r.TaskID) { // the tasks' keys
		u := &store.HistoryEntry{TaskID: id, By: store.Actor{Name: say(lang, "ladder_actor"), Via: "system"}, Kind: kind,
			Note: say(lang, "ladder_notice") + number + say(lang, "ladder_note") + step}
		if err := tx.AppendHistory(u); err != nil {
			return "", false, err
		}
	}
	return number, true, nil
}

// FindNotice returns a stored 催办单 by its number ("2026-017", or "17"
// for this year's, given year); ok is false when there is none. A stored
// one that does not read is an error.
func FindNotice(tx *store.Tx, arg string, year int) (n *Notice, ok bool, err error) {
	arg = strings.TrimSpace(arg)
	if !strings.Contains(arg, "-") {
		var n int
		if _, err := fmt.Sscan(arg, &n); err != nil || n < 1 {
			return nil, false, nil
		}
		arg = noticeNumber(year, n)
	} else {
		var y, n int
		if _, err := fmt.Sscanf(arg, "%d-%d", &y, &n); err != nil || n < 1 {
			return nil, false, nil
		}
		arg = noticeNumber(y, n)
	}
	v := tx.JobState("notice/" + arg)
	if v == nil {
		return nil, false, nil
	}
	var nt Notice
	if err := json.Unmarshal(v, &nt); err != nil {
		return nil, false, fmt.Errorf("notice %s: %w", arg, err)
	}
	return &nt, true, nil
}

// acksJob holds task ID → last 收到, for the ladder.
const acksJob = "acks"

// Acknowledge records a 收到 for the tasks at `at` (the ladder then stops
// for them) and writes a history entry on each.
func Acknowledge(tx *store.Tx, ids []string, by store.Actor, at time.Time) error {
	acks, err := loadPresses(tx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		acks[id] = at
		if err := tx.AppendHistory(&store.HistoryEntry{TaskID: id, At: at, By: by, Kind: "ack", Note: say("", "k_ack")}); err != nil {
			return err
		}
	}
	v, err := json.Marshal(acks)
	if err != nil {
		return err
	}
	return tx.SetJobState(acksJob, v)
}

// LoadAcks reads when each task's reminders were last answered without
// an update to the task: a 收到 press, or an extension request still
// waiting for the coordinators (the contact has answered; escalating to
// the head while the coordinators decide would say the reminder was
// ignored). A refused or approved request no longer counts.
func LoadAcks(tx *store.Tx) (map[string]time.Time, error) {
	out, err := loadPresses(tx)
	if err != nil {
		return nil, err
	}
	pending, err := tx.PendingExtensions()
	if err != nil {
		return nil, err
	}
	for _, e := range pending {
		if e.At.After(out[e.TaskID]) {
			out[e.TaskID] = e.At
		}
	}
	return out, nil
}

// loadPresses reads the stored 收到 times. A state that does not read is
// an error: read as none, the ladder would escalate what was answered and
// the next 收到 would overwrite them all.
func loadPresses(tx *store.Tx) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if v := tx.JobState(acksJob); v != nil {
		if err := json.Unmarshal(v, &out); err != nil {
			return nil, fmt.Errorf("job %s state: %w", acksJob, err)
		}
	}
	return out, nil
}

// QuietUntil returns when a message decided at t may go out: zero when
// at once, else the end of the quiet hours (on a working day).
func QuietUntil(p Policy, cal *Calendar, t time.Time) time.Time {
	q := p.Budget.Quiet
	if cal == nil || (!q.In(t) && cal.IsWorkday(store.DateOf(t))) {
		return time.Time{}
	}
	d := store.DateOf(t)
	end := q.To
	if q.From == q.To {
		end = TimeOfDay{}
	}
	for i := 0; i < maxScan; i++ {
		if cal.IsWorkday(d) {
			c := At(d, end, t.Location())
			if c.After(t) && !q.In(c) {
				return c
			}
		}
		d = d.AddDays(1)
	}
	return time.Time{}
}
