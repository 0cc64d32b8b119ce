package schedule

import (
	"github.com/duban-bureau/duban/schedule/lang"
	"sort"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// Snapshot is the data Due and BuildDigest read: a consistent copy taken by
// the caller in one read transaction, so the schedule never touches bbolt.
type Snapshot struct {
	// Tasks may hold any tasks; LoadSnapshot puts only the open ones here
	// (reminders and the digest's lists concern open work) and counts the
	// finished ones in Finished, so 100,000 tasks of a finished year are
	// never decoded into memory.
	Tasks []*store.Task
	// Finished counts done and closed tasks per lead department that are
	// not in Tasks, for the digest's table and headline. Nil when Tasks
	// holds them (snapshots built by hand).
	Finished map[string]int
	// Completed are finished tasks outside Tasks that the week's history
	// names, for the digest's "completed this week" list only (Finished
	// already counts them). BuildDigestTx looks them up.
	Completed []*store.Task
	Contacts  []*store.Contact // RoleContact with Dept get task reminders; RoleCoordinator get escalations

	Coordinators []int64 // admin chats, beside the coordinators in Contacts (escalations when DigestChat is 0)
	DigestChat   int64   // the group set by /digestchat: escalations and digests go here if set

	Lights      Lights               // light thresholds (zero: DefaultLights)
	DigestLines int                  // cap on each digest list (0: DefaultDigestLines)
	Acks        map[string]time.Time // task ID → last 收到 press, for the escalation ladder

	Lang      lang.Lang      // "" or "zh": Chinese; "en": English
	PlanStart store.Date     // the newest plan's start (Starts.Newest), for snapshots built by hand
	Starts    Starts         // each task's plan start: no reminder fires before it; its light starts there
	Bureau    string         // the bureau's short name, for the digest's title
	Loc       *time.Location // the bureau's zone (--tz); nil means UTC

	streamTasks bool // Tasks is empty: BuildDigestTx reads the open tasks from the store (LoadDigestSnapshot)
}

func (s Snapshot) loc() *time.Location {
	if s.Loc == nil {
		return time.UTC
	}
	return s.Loc
}

// Reminder is one message Due plans, with the explanation `duban reminders
// --at DATE` prints: Recipient names who gets it, Why says which rule fired.
type Reminder struct {
	store.Message
	Recipient string
	Why       string
	Lines     []string // a combined message: why each task is on it
	Tasks     []string // the tasks the message is about
	Notice    string   // a 催办单's group (kind|dept|day): one number per group, given by the runner
}

// Agenda is what Due returns. Reminders go into the outbox (idempotent by
// Key). Folded are reminders older than the catch-up window: they are not
// sent one by one but listed in a store.KindCatchUp summary among Reminders; the
// runner may record their keys as store.MessageFolded for the audit trail.
type Agenda struct {
	Reminders []Reminder
	Folded    []Reminder
	// Held are reminders the noise budget kept back (Preview shows them;
	// nothing is sent). Why says which rule held each.
	Held []Reminder
}

// Messages returns the outbox entries of the plan, in DueAt order.
func (pl Agenda) Messages() []store.Message {
	out := make([]store.Message, len(pl.Reminders))
	for i, r := range pl.Reminders {
		out[i] = r.Message
	}
	return out
}

// maxLookBack bounds how far back Due looks, so a zero `from` (first run)
// does not enumerate centuries; a plan is a year.
const maxLookBack = 400

// Due returns every message whose fire instant lies in (from, to]. It is a
// pure function of its arguments: calling it again over an overlapping
// window yields the same keys, so the outbox can take both results and send
// each message once. Messages more than p.Grace late (to - DueAt) are marked
// CatchUp (补发); those older than p.CatchUpWindow before `to` are folded
// into one summary per recipient.
func Due(p Policy, cal *Calendar, s Snapshot, from, to time.Time) Agenda {
	return plan(p, cal, s, from, to, true)
}

// Preview returns what the policy sends on day `on` (the dry run of `duban
// reminders --at DATE`), as if the runner fired on time: no 补发, no folding.
func Preview(p Policy, cal *Calendar, s Snapshot, on store.Date) Agenda {
	loc := s.loc()
	from := on.In(loc).Add(-time.Nanosecond)
	to := on.AddDays(1).In(loc).Add(-time.Nanosecond)
	pl := plan(p, cal, s, from, to, false)
	for i := range pl.Reminders {
		if pl.Reminders[i].Notice != "" {
			pl.Reminders[i].Text = strings.ReplaceAll(pl.Reminders[i].Text, NoticePlaceholder, say(s.Lang, "plan_numbered_when_sent"))
		}
	}
	return pl
}

// event is one rule firing for one task on one day, before it is addressed.
type event struct {
	kind    string // key kind: before7, overdue14, ask1, …
	msgKind store.MessageKind
	task    *store.Task
	nominal store.Date // the day the rule names (D-7), before holiday shifting
	fire    store.Date
	offset  int
	period  string // key date: the deadline, or the month of a monthly ask
	held    string // why the budget holds it back ("" = it goes)
}

// plan is Due with catch-up handling switchable, for Preview.
func plan(p Policy, cal *Calendar, s Snapshot, from, to time.Time, catchUp bool) Agenda {
	loc := s.loc()
	from, to = from.In(loc), to.In(loc)
	if !to.After(from) {
		return Agenda{}
	}
	lo, hi := days(from, to)
	start := budgetStart(p, lo)
	inWindow := func(d store.Date) bool {
		t := At(d, p.At, loc)
		return t.After(from) && !t.After(to)
	}
	counts := func(d store.Date) bool { return inWindow(d) || (d >= start && !At(d, p.At, loc).After(from)) }
	var events []event
	for _, t := range s.Tasks {
		if t == nil || !t.Open() {
			continue
		}
		for _, e := range taskEvents(p, cal, t, start, hi) {
			fireAt := At(e.fire, p.At, loc)
			if !counts(e.fire) || (!s.startOf(t).IsZero() && e.fire < s.startOf(t)) ||
				(!t.CreatedAt.IsZero() && fireAt.Before(t.CreatedAt)) {
				continue
			}
			if e.kind == "ask2" && t.UpdatedAt.After(At(cal.NthWorkday(e.nominal.Year(), e.nominal.Month(), p.MonthlyAsk), p.At, loc)) {
				continue // an update came after the first ask
			}
			if e.msgKind == store.KindHead || e.msgKind == store.KindLadder {
				if !ladderDue(p, cal, s, e) {
					continue
				}
			} else if e.msgKind == store.KindReminder && e.offset > 0 && recentlyUpdated(p, cal, t, e.fire, loc) {
				e.held = say(s.Lang, "plan_quiet_after_update", itoa(p.Budget.QuietAfterUpdate))
			}
			events = append(events, e)
		}
	}
	rs, held := address(p, s, events, inWindow)
	sort.Slice(rs, func(i, j int) bool {
		if !rs[i].DueAt.Equal(rs[j].DueAt) {
			return rs[i].DueAt.Before(rs[j].DueAt)
		}
		return rs[i].Key < rs[j].Key
	})
	sort.SliceStable(held, func(i, j int) bool { return held[i].DueAt.Before(held[j].DueAt) })
	for _, list := range [][]Reminder{rs, held} {
		for i := range list {
			if y := list[i].DueAt.In(loc).Year(); !cal.HasData(y) {
				list[i].Why += noDataNote(y, s.Lang)
			}
		}
	}
	if !catchUp {
		return Agenda{Reminders: rs, Held: held}
	}
	pl := catchUpPlan(p, cal, s, rs, store.DateOf(from), to)
	pl.Held = held
	return pl
}

// recentlyUpdated reports whether t was updated (not merely created) on
// or after the QuietAfterUpdate-th working day before fire: a
// before-deadline reminder then is noise.
func recentlyUpdated(p Policy, cal *Calendar, t *store.Task, fire store.Date, loc *time.Location) bool {
	n := p.Budget.QuietAfterUpdate
	if n <= 0 || t.UpdatedAt.IsZero() || (!t.CreatedAt.IsZero() && !t.UpdatedAt.After(t.CreatedAt)) {
		return false
	}
	since := fire
	for i := 0; i < n; i++ {
		since = cal.OnOrBefore(since.AddDays(-1))
	}
	return store.DateOf(t.UpdatedAt.In(loc)) >= since && t.UpdatedAt.Before(At(fire, p.At, loc))
}

// days is the range of fire days plan looks at for (from, to], both in the
// bureau's zone.
func days(from, to time.Time) (lo, hi store.Date) {
	lo, hi = store.DateOf(from), store.DateOf(to)
	if floor := hi.AddDays(-maxLookBack); lo < floor {
		lo = floor
	}
	return lo, hi
}

// mayFire reports whether a task that follows its deadline d has a rule
// firing on a day in [lo, hi]. It asks taskEvents itself, so the reminder
// scan can skip a task by its deadline in the index with no risk of
// missing one.
func mayFire(p Policy, cal *Calendar, d store.Date, lo, hi store.Date) bool {
	return len(taskEvents(p, cal, &store.Task{Deadline: d}, lo, hi)) > 0
}

// taskEvents lists the rule firings of one open task whose fire day may
// fall in [lo, hi]. Rules landing on the same working day collapse into
// one: the one closest to the deadline before it, the latest after it.
func taskEvents(p Policy, cal *Calendar, t *store.Task, lo, hi store.Date) []event {
	var out []event
	if t.Cadence == store.CadenceMonthly {
		for m := store.NewDate(lo.Year(), lo.Month(), 1); m <= hi; m = store.NewDate(m.Year(), m.Month()+1, 1) {
			period := m.String()[:7]
			out = append(out, event{kind: "ask1", msgKind: store.KindAsk, task: t, nominal: m,
				fire: cal.NthWorkday(m.Year(), m.Month(), p.MonthlyAsk), offset: p.MonthlyAsk, period: period})
			if p.MonthlySecondAsk > 0 {
				out = append(out, event{kind: "ask2", msgKind: store.KindAsk, task: t, nominal: m,
					fire: cal.NthWorkday(m.Year(), m.Month(), p.MonthlySecondAsk), offset: p.MonthlySecondAsk, period: period})
			}
		}
		return out
	}
	D := t.Deadline
	if D.IsZero() {
		return nil
	}
	near := func(d store.Date) bool { return d >= lo && d <= hi }
	before := map[store.Date]int{}
	for _, o := range offsets(p.Before) {
		f := cal.OnOrBefore(D.AddDays(-o))
		if cur, ok := before[f]; near(f) && (!ok || o < cur) {
			before[f] = o
		}
	}
	for f, o := range before {
		out = append(out, event{kind: "before" + itoa(o), msgKind: store.KindReminder, task: t,
			nominal: D.AddDays(-o), fire: f, offset: o, period: D.String()})
	}
	after := map[store.Date]int{}
	add := func(o int) {
		f := cal.OnOrAfter(D.AddDays(o))
		if cur, ok := after[f]; near(f) && (!ok || o > cur) {
			after[f] = o
		}
	}
	last := 0
	for _, o := range offsets(p.Overdue) {
		add(o)
		last = o
	}
	if p.OverdueEvery > 0 {
		k := 1
		if gap := D.AddDays(last).DaysUntil(lo) - maxScan; gap > 0 {
			k = (gap + p.OverdueEvery - 1) / p.OverdueEvery // skip weeks that cannot reach the window
		}
		for o := last + k*p.OverdueEvery; D.AddDays(o) <= hi; o += p.OverdueEvery {
			add(o)
		}
	}
	for f, o := range after {
		out = append(out, event{kind: "overdue" + itoa(o), msgKind: store.KindOverdue, task: t,
			nominal: D.AddDays(o), fire: f, offset: o, period: D.String()})
	}
	esc := p.EscalateAfter
	if esc < 1 {
		esc = 1
	}
	if f := cal.OnOrAfter(D.AddDays(esc)); near(f) {
		out = append(out, event{kind: "escalate", msgKind: store.KindEscalation, task: t,
			nominal: D.AddDays(esc), fire: f, offset: esc, period: D.String()})
	}
	return append(out, ladderEvents(p, cal, t, lo, hi)...)
}

// recipient is a chat a message is addressed to, with a label for Preview.
type recipient struct {
	chat  int64
	label string
}

// address turns events into messages. A contact's task events of one day
// become one message (the task's card when there is one task), within the
// noise budget; escalations, and departments with nobody to reach, are
// gathered per day into one message per coordinator chat, so ten tasks
// falling overdue on one day make one message, not ten. Events on days
// outside the window (show false) only count against the budget.
func address(p Policy, s Snapshot, events []event, show func(store.Date) bool) (out, held []Reminder) {
	loc := s.loc()
	contacts := deptContacts(s.Contacts)
	type day struct {
		esc    []*store.Task
		orphan map[string][]string // department → task IDs nobody received
	}
	days := map[store.Date]*day{}
	dayOf := func(d store.Date) *day {
		if days[d] == nil {
			days[d] = &day{orphan: map[string][]string{}}
		}
		return days[d]
	}
	type chatKey struct {
		chat int64
		day  store.Date
	}
	groups := map[chatKey]*chatDay{}
	byChat := map[int64][]*chatDay{}
	var ladder []event
	for _, e := range events {
		switch e.msgKind {
		case store.KindEscalation:
			if show(e.fire) {
				d := dayOf(e.fire)
				d.esc = append(d.esc, e.task)
			}
			continue
		case store.KindHead, store.KindLadder:
			if show(e.fire) {
				ladder = append(ladder, e)
			}
			continue
		}
		rcpts := contacts[e.task.Lead]
		if len(rcpts) == 0 {
			if show(e.fire) && e.held == "" {
				d := dayOf(e.fire)
				d.orphan[e.task.Lead] = append(d.orphan[e.task.Lead], e.task.ID)
			}
			continue
		}
		for _, r := range rcpts {
			if e.held != "" {
				if show(e.fire) {
					held = append(held, heldReminder(p, s, e, r, e.held))
				}
				continue
			}
			k := chatKey{r.chat, e.fire}
			g := groups[k]
			if g == nil {
				g = &chatDay{rcpt: r, day: e.fire}
				groups[k] = g
				byChat[r.chat] = append(byChat[r.chat], g)
			}
			g.events = append(g.events, e)
		}
	}
	for _, gs := range byChat {
		sort.Slice(gs, func(i, j int) bool { return gs[i].day < gs[j].day })
		for _, g := range gs {
			sort.Slice(g.events, func(i, j int) bool { return idLess(g.events[i].task.ID, g.events[j].task.ID) })
		}
		o, h := contactMessages(p, s, gs, show)
		out = append(out, o...)
		held = append(held, h...)
	}
	out = append(out, ladderMessages(p, s, ladder)...)
	coords := coordinatorChats(s)
	for date, d := range days {
		kind, keyKind := store.KindEscalation, "escalate"
		if len(d.esc) == 0 {
			kind, keyKind = store.KindNotice, "nocontact"
		}
		sort.Slice(d.esc, func(i, j int) bool { return taskLess(d.esc[i], d.esc[j]) })
		text := coordinatorText(date, d.esc, d.orphan, s)
		why := coordinatorWhy(date, len(d.esc), len(d.orphan), s.Lang)
		for _, r := range coords {
			out = append(out, Reminder{
				Message: store.Message{
					Key:    Key(keyKind, "*", date.String(), r.chat),
					ChatID: r.chat,
					Kind:   kind,
					Text:   text,
					DueAt:  At(date, p.At, loc),
				},
				Recipient: r.label,
				Why:       why,
			})
		}
	}
	return out, held
}

// Key builds an outbox idempotency key: kind|task|date|chat, e.g.
// before7|4.1.3|2021-06-30|1001. The date is the task's deadline (so a moved
// deadline gets fresh reminders), the month of a monthly ask, or the day of
// a coordinator message; task is "*" for messages about many tasks.
func Key(kind, taskID, date string, chat int64) string {
	return store.MessageKey(kind, taskID, date, chat)
}

// deptContacts maps each department to its reachable contacts, sorted by
// chat so messages come out in a stable order.
func deptContacts(cs []*store.Contact) map[string][]recipient {
	out := map[string][]recipient{}
	seen := map[string]bool{}
	for _, c := range cs {
		if c == nil || c.Unreachable || c.IsHead() {
			// Roles are a set: a coordinator who is a contact gets reminders
			// too. A department's head hears only the escalation ladder.
			continue
		}
		chat := chatOf(c)
		for _, d := range c.Departments() {
			if k := d + "|" + i64toa(chat); !seen[k] {
				seen[k] = true
				out[d] = append(out[d], recipient{chat, contactLabel(c)})
			}
		}
	}
	for _, rs := range out {
		sort.Slice(rs, func(i, j int) bool { return rs[i].chat < rs[j].chat })
	}
	return out
}

// coordinatorChats returns where coordinator messages go (store.Audience:
// the digest group when one is set, else every reachable coordinator and
// admin), with the label a preview shows.
func coordinatorChats(s Snapshot) []recipient {
	var out []recipient
	for _, r := range s.Audience() {
		label := say(s.Lang, "plan_coordinator_chat") + i64toa(r.ChatID)
		switch {
		case r.Group:
			label = say(s.Lang, "plan_coordinators_group")
		case r.Contact != nil:
			label = contactLabel(r.Contact)
		}
		out = append(out, recipient{r.ChatID, label})
	}
	return out
}

// Audience is who hears the coordinators' work in this snapshot
// (store.Audience).
func (s Snapshot) Audience() []store.Recipient {
	return store.Audience(store.AboutWork, s.DigestChat, s.Contacts, s.Coordinators)
}

func chatOf(c *store.Contact) int64 {
	if c.ChatID != 0 {
		return c.ChatID
	}
	return c.UserID
}

// catchUpPlan marks late messages 补发 and folds those older than the
// catch-up window into one summary per chat. The summary key carries the
// window's start day, which stays fixed until the runner records a
// successful scan, so a retried catch-up yields the same summary key.
func catchUpPlan(p Policy, cal *Calendar, s Snapshot, rs []Reminder, fromDay store.Date, to time.Time) Agenda {
	cutoff := to.Add(-p.CatchUpWindow)
	notBefore := QuietUntil(p, cal, to)
	var pl Agenda
	folded := map[int64][]Reminder{}
	var chats []int64
	for _, r := range rs {
		if r.DueAt.Before(cutoff) {
			if folded[r.ChatID] == nil {
				chats = append(chats, r.ChatID)
			}
			folded[r.ChatID] = append(folded[r.ChatID], r)
			pl.Folded = append(pl.Folded, r)
			continue
		}
		if to.Sub(r.DueAt) > p.Grace {
			r.CatchUp = true
			r.Text = catchUpPrefix(r.DueAt, s.Lang) + r.Text
			r.Why += say(s.Lang, "plan_why_late")
			r.NotBefore = notBefore
		}
		pl.Reminders = append(pl.Reminders, r)
	}
	for _, chat := range chats {
		fs := folded[chat]
		pl.Reminders = append(pl.Reminders, Reminder{
			Message: store.Message{
				Key:       Key("missed", "*", fromDay.String(), chat),
				ChatID:    chat,
				Kind:      store.KindCatchUp,
				Text:      missedText(fs, s.Lang),
				CatchUp:   true,
				DueAt:     fs[len(fs)-1].DueAt,
				NotBefore: notBefore,
			},
			Recipient: fs[0].Recipient,
			Why:       say(s.Lang, "plan_why_missed", itoa(len(fs))),
		})
	}
	sort.SliceStable(pl.Reminders, func(i, j int) bool { return pl.Reminders[i].DueAt.Before(pl.Reminders[j].DueAt) })
	return pl
}

// startOf is t's plan start: its plan's from Starts, else PlanStart (a
// snapshot built by hand sets only that).
func (s Snapshot) startOf(t *store.Task) store.Date {
	if d, ok := s.Starts.ByPlan[t.PlanID]; ok {
		return d
	}
	return s.PlanStart
}
