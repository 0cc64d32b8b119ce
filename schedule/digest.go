package schedule

import (
	"sort"
	"strings"
	"time"

	"github.com/duban-bureau/duban/schedule/lang"
	"github.com/duban-bureau/duban/store"
)

// StaleDays is how long without an update puts an open task on the
// digest's "no update" list.
const StaleDays = 30

// DueSoonDays is the look-ahead of the digest's "due soon" list.
const DueSoonDays = 14

// DigestStats are a digest's headline numbers. The runner stores them with
// the digest so next week's can say what changed (完成率 +5 个百分点).
type DigestStats struct {
	Date       store.Date
	Tasks      int
	Done       int // done or closed
	Overdue    int
	Completion int // percent of tasks done or closed, rounded
}

// DeptRow is one line of the per-department table. InProgress counts
// in_progress and blocked tasks; Overdue overlaps it (a task can be both).
type DeptRow struct {
	Dept                                           string
	Tasks, Done, InProgress, Blocked, Overdue, Pct int
}

// Count adds t to the row as the digest counts it on day today: done and
// closed are done; in progress and blocked are in progress (blocked also
// counted apart); overdue besides. The web 台账 counts with it too, so the numbers agree.
func (r *DeptRow) Count(t *store.Task, today store.Date) {
	r.Tasks++
	switch {
	case t.Status.Finished():
		r.Done++
	case t.Status == store.StatusInProgress || t.Status == store.StatusBlocked:
		r.InProgress++
	}
	if t.Status == store.StatusBlocked {
		r.Blocked++ // of InProgress: the 受阻 column
	}
	if t.Overdue(today) {
		r.Overdue++
	}
}

// DigestItem is one task in a digest list. Days is days overdue, days
// left, or days since the last update, depending on the list; Date is the
// deadline, the completion day, or the last update.
type DigestItem struct {
	ID, Text, Dept string
	Note           string // the blocked list: the problem reported (最新进展)
	Status         store.Status
	Light          store.Light
	Days           int
	Date           store.Date
}

// Digest is the weekly 督办周报 as data, so the bot, `duban digest --at`
// and the tests share one computation and differ only in rendering. Each
// list keeps at most Lines items (the most pressing); Count says how many
// there were, so the text can say how many more the attached 台账 holds.
type Digest struct {
	Bureau    string // the bureau's short name, in the title ("" = none set)
	Date      store.Date
	Year      int // ISO year and week of Date
	Week      int
	Depts     []DeptRow // laggards first: most overdue, then lowest completion
	Total     DeptRow
	Overdue   []DigestItem // most days overdue first
	Blocked   []DigestItem // 受阻, longest blocked first (by last update)
	DueSoon   []DigestItem // due within DueSoonDays, soonest first
	Completed []DigestItem // done or closed in the last 7 days
	Stale     []DigestItem // open, no update for StaleDays
	Count     DigestCounts // the lists' full lengths
	Lines     int          // the cap on each list
	Red       int
	Yellow    int
	Green     int
	Stats     DigestStats  // this week's numbers, to store for next week
	Prev      *DigestStats // last week's, if any
}

// The words a cut list ends with (catalogue entry dg_cut_mark, zh and
// en); DigestWasCut looks for them.
var (
	cutMarkZh = lang.Lang("zh").T("dg_cut_mark")
	cutMarkEn = lang.Lang("en").T("dg_cut_mark")
)

// DigestWasCut reports whether a digest's text (Digest.Text) cut a list,
// so whoever sends it attaches the 台账 (the chat's /digest has the text only).
func DigestWasCut(text string) bool {
	return strings.Contains(text, cutMarkZh) || strings.Contains(text, cutMarkEn)
}

// DigestCounts are the full lengths of the digest's lists.
type DigestCounts struct {
	Overdue, Blocked, DueSoon, Completed, Stale int
}

// Truncated reports whether any list holds fewer items than it counts:
// the runner then attaches the 台账.
func (d Digest) Truncated() bool {
	c := d.Count
	return c.Overdue > len(d.Overdue) || c.Blocked > len(d.Blocked) || c.DueSoon > len(d.DueSoon) ||
		c.Completed > len(d.Completed) || c.Stale > len(d.Stale)
}

// completedThisWeek lists tasks that history shows done or closed in the
// 7 days up to now and that are still finished (a reopened task is not).
func completedThisWeek(history []store.HistoryEntry, byID map[string]*store.Task, now time.Time, loc *time.Location) []DigestItem {
	since := now.Add(-7 * 24 * time.Hour)
	latest := map[string]store.HistoryEntry{}
	for _, u := range history {
		if u.At.After(now) || !u.At.After(since) || !finishes(u) {
			continue
		}
		if prev, ok := latest[u.Key()]; !ok || u.At.After(prev.At) {
			latest[u.Key()] = u
		}
	}
	var out []DigestItem
	for id, u := range latest {
		t := byID[id]
		if t == nil || t.Open() {
			continue
		}
		out = append(out, DigestItem{ID: t.ID, Text: t.Text, Dept: t.Lead, Status: t.Status,
			Light: store.LightGreen, Date: store.DateOf(u.At.In(loc))})
	}
	sortItems(out, func(a, b DigestItem) bool { return a.Date < b.Date })
	return out
}

// finishes reports whether a history entry marks a task done or closed.
func finishes(u store.HistoryEntry) bool {
	if u.Kind == "done" || u.Kind == "close" {
		return true
	}
	for _, c := range u.Changes {
		if c.Field == "status" {
			if st, ok := store.ParseStatus(c.New); ok && st.Finished() {
				return true
			}
		}
	}
	return false
}

// sortItems sorts by less, then by task ID, so equal keys keep a fixed order.
func sortItems(xs []DigestItem, less func(a, b DigestItem) bool) {
	sort.SliceStable(xs, func(i, j int) bool {
		if less(xs[i], xs[j]) {
			return true
		}
		if less(xs[j], xs[i]) {
			return false
		}
		return idLess(xs[i].ID, xs[j].ID)
	})
}

// staleness orders the stale list: never updated first, then the longest silent.
func staleness(it DigestItem) int {
	if it.Days < 0 {
		return 1 << 30
	}
	return it.Days
}

func pct(n, total int) int {
	if total == 0 {
		return 0
	}
	return (200*n + total) / (2 * total) // rounded half up
}

// Text renders the digest as Telegram HTML. It can exceed one message:
// the sender splits it with outbox.SplitMessage.
func (d Digest) Text(lang lang.Lang) string {
	var b strings.Builder
	if d.Bureau != "" {
		b.WriteString(say(lang, "dg_head_bureau", d.Date.String(), itoa(d.Year), itoa(d.Week), esc(d.Bureau)) + "\n\n")
	} else {
		b.WriteString(say(lang, "dg_head", d.Date.String(), itoa(d.Year), itoa(d.Week)) + "\n\n")
	}
	b.WriteString(d.summary(lang))
	section := func(title string, items []DigestItem, count int, line func(DigestItem) string) {
		if count < len(items) {
			count = len(items)
		}
		b.WriteString("\n<b>" + title + say(lang, "count_paren", itoa(count)) + "</b>\n")
		if len(items) == 0 {
			b.WriteString(say(lang, "dg_none") + "\n")
		}
		for _, it := range items {
			b.WriteString(it.Light.Emoji() + " <b>" + esc(it.ID) + "</b> " + esc(shorten(it.Text, 40)) +
				" — " + esc(deptName(it.Dept, lang)) + " · " + line(it) + "\n")
		}
		if more := count - len(items); more > 0 {
			b.WriteString(say(lang, "dg_more", itoa(more), say(lang, "dg_cut_mark")) + "\n")
		}
	}
	section(say(lang, "dg_title_overdue"), d.Overdue, d.Count.Overdue, func(it DigestItem) string {
		return say(lang, "dg_line_overdue", mmdd(it.Date), itoa(it.Days))
	})
	section(say(lang, "dg_title_blocked"), d.Blocked, d.Count.Blocked, func(it DigestItem) string {
		var s string
		if it.Note != "" {
			s = say(lang, "dg_line_problem", esc(it.Note))
		}
		if it.Days < 0 {
			return s + say(lang, "dg_never_updated")
		}
		return s + say(lang, "dg_line_blocked_since", it.Date.String(), itoa(it.Days))
	})
	section(say(lang, "dg_title_due", itoa(DueSoonDays)), d.DueSoon, d.Count.DueSoon, func(it DigestItem) string {
		if it.Days == 0 {
			return say(lang, "dg_line_today", mmdd(it.Date))
		}
		return say(lang, "dg_line_left", mmdd(it.Date), itoa(it.Days))
	})
	section(say(lang, "dg_title_completed"), d.Completed, d.Count.Completed, func(it DigestItem) string {
		return mmdd(it.Date) + " " + StatusLabel(it.Status, lang)
	})
	section(say(lang, "dg_title_stale", itoa(StaleDays)), d.Stale, d.Count.Stale, func(it DigestItem) string {
		if it.Days < 0 {
			return say(lang, "dg_never_updated")
		}
		return say(lang, "dg_line_stale", it.Date.String(), itoa(it.Days))
	})
	return strings.TrimRight(b.String(), "\n")
}

// summary is the totals, the lights, the change since last week and the
// department table: the top of the digest.
func (d Digest) summary(lang lang.Lang) string {
	var b strings.Builder
	b.WriteString(say(lang, "dg_totals", itoa(d.Total.Tasks), itoa(d.Total.Done), itoa(d.Total.Pct), itoa(d.Total.Overdue)) + "\n")
	b.WriteString("🔴 " + itoa(d.Red) + "  🟡 " + itoa(d.Yellow) + "  🟢 " + itoa(d.Green) + "\n")
	if d.Prev == nil {
		b.WriteString(say(lang, "dg_change_first") + "\n")
	} else {
		b.WriteString(say(lang, "dg_change", signed(d.Stats.Completion-d.Prev.Completion), signed(d.Stats.Overdue-d.Prev.Overdue)) + "\n")
	}
	b.WriteString("\n<b>" + say(lang, "dg_by_dept") + "</b>\n" + d.table(lang))
	return b.String()
}

// table renders the per-department table in a <pre> block, padding by
// display width so CJK names (two columns a character) line up.
func (d Digest) table(lang lang.Lang) string {
	head := []string{say(lang, "col_dept"), say(lang, "dg_col_tasks"), say(lang, "dg_col_done"),
		say(lang, "dg_col_active"), say(lang, "dg_col_blocked"), say(lang, "dg_col_late"), say(lang, "dg_col_rate")}
	rows := [][]string{head}
	cells := func(name string, r DeptRow) []string {
		return []string{name, itoa(r.Tasks), itoa(r.Done), itoa(r.InProgress), itoa(r.Blocked), itoa(r.Overdue), itoa(r.Pct) + "%"}
	}
	for _, r := range d.Depts {
		rows = append(rows, cells(deptName(r.Dept, lang), r))
	}
	rows = append(rows, cells(say(lang, "col_total"), d.Total))
	var b strings.Builder
	b.WriteString("<pre>")
	for _, line := range Columns(rows, 1) {
		b.WriteString(esc(line) + "\n")
	}
	b.WriteString("</pre>\n")
	return b.String()
}

// signed formats a change with its sign: +5, -1, 0.
func signed(n int) string {
	if n > 0 {
		return "+" + itoa(n)
	}
	return itoa(n)
}
