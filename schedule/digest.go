package schedule

import (
	"sort"
	"strings"
	"time"

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

// The words a cut list ends with; DigestWasCut looks for them.
const (
	cutMarkZh = "，见附件《督办台账》"
	cutMarkEn = " in the attached ledger"
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
func completedThisWeek(history []store.Update, byID map[string]*store.Task, now time.Time, loc *time.Location) []DigestItem {
	since := now.Add(-7 * 24 * time.Hour)
	latest := map[string]store.Update{}
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
func finishes(u store.Update) bool {
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
// the sender splits it with SplitMessage.
func (d Digest) Text(lang string) string {
	var b strings.Builder
	b.WriteString(tr(lang, "📊 <b>督办周报</b> · "+d.Date.String()+"（"+itoa(d.Year)+"年第"+itoa(d.Week)+"周）",
		"📊 <b>Weekly digest</b> · "+d.Date.String()+" (week "+itoa(d.Week)+" of "+itoa(d.Year)+")") + "\n\n")
	b.WriteString(d.summary(lang))
	section := func(title string, items []DigestItem, count int, line func(DigestItem) string) {
		if count < len(items) {
			count = len(items)
		}
		b.WriteString("\n<b>" + title + tr(lang, "（"+itoa(count)+"）", " ("+itoa(count)+")") + "</b>\n")
		if len(items) == 0 {
			b.WriteString(tr(lang, "无", "none") + "\n")
		}
		for _, it := range items {
			b.WriteString(it.Light.Emoji() + " <b>" + esc(it.ID) + "</b> " + esc(shorten(it.Text, 40)) +
				" — " + esc(deptName(it.Dept, lang)) + " · " + line(it) + "\n")
		}
		if more := count - len(items); more > 0 {
			b.WriteString(tr(lang, "……另有 "+itoa(more)+" 项"+cutMarkZh, "… "+itoa(more)+" more"+cutMarkEn) + "\n")
		}
	}
	section(tr(lang, "逾期任务", "Overdue"), d.Overdue, d.Count.Overdue, func(it DigestItem) string {
		return tr(lang, "时限 "+mmdd(it.Date)+" · 逾期 "+itoa(it.Days)+" 天", "due "+mmdd(it.Date)+" · "+itoa(it.Days)+" days overdue")
	})
	section(tr(lang, "受阻任务", "Blocked"), d.Blocked, d.Count.Blocked, func(it DigestItem) string {
		var s string
		if it.Note != "" {
			s = tr(lang, "困难："+esc(it.Note)+" · ", "problem: "+esc(it.Note)+" · ")
		}
		if it.Days < 0 {
			return s + tr(lang, "从未更新", "never updated")
		}
		return s + tr(lang, "自 "+it.Date.String()+" 起（"+itoa(it.Days)+" 天）", "since "+it.Date.String()+" ("+itoa(it.Days)+" days)")
	})
	section(tr(lang, "未来 "+itoa(DueSoonDays)+" 天到期", "Due in "+itoa(DueSoonDays)+" days"), d.DueSoon, d.Count.DueSoon, func(it DigestItem) string {
		if it.Days == 0 {
			return tr(lang, mmdd(it.Date)+" 今天到期", mmdd(it.Date)+" due today")
		}
		return tr(lang, mmdd(it.Date)+" 还剩 "+itoa(it.Days)+" 天", mmdd(it.Date)+" "+itoa(it.Days)+" days left")
	})
	section(tr(lang, "本周完成", "Completed this week"), d.Completed, d.Count.Completed, func(it DigestItem) string {
		return mmdd(it.Date) + " " + StatusLabel(it.Status, lang)
	})
	section(tr(lang, "超过 "+itoa(StaleDays)+" 天未更新", "No update for "+itoa(StaleDays)+" days"), d.Stale, d.Count.Stale, func(it DigestItem) string {
		if it.Days < 0 {
			return tr(lang, "从未更新", "never updated")
		}
		return tr(lang, "最后更新 "+it.Date.String()+"（"+itoa(it.Days)+" 天前）", "last update "+it.Date.String()+" ("+itoa(it.Days)+" days ago)")
	})
	return strings.TrimRight(b.String(), "\n")
}

// summary is the totals, the lights, the change since last week and the
// department table: the top of the digest.
func (d Digest) summary(lang string) string {
	var b strings.Builder
	b.WriteString(tr(lang, "共 "+itoa(d.Total.Tasks)+" 项任务，已完成 "+itoa(d.Total.Done)+" 项（"+itoa(d.Total.Pct)+"%），逾期 "+itoa(d.Total.Overdue)+" 项",
		itoa(d.Total.Tasks)+" tasks, "+itoa(d.Total.Done)+" done ("+itoa(d.Total.Pct)+"%), "+itoa(d.Total.Overdue)+" overdue") + "\n")
	b.WriteString("🔴 " + itoa(d.Red) + "  🟡 " + itoa(d.Yellow) + "  🟢 " + itoa(d.Green) + "\n")
	if d.Prev == nil {
		b.WriteString(tr(lang, "较上周：首期周报，暂无对比", "Since last week: first digest, nothing to compare") + "\n")
	} else {
		b.WriteString(tr(lang, "较上周：完成率 "+signed(d.Stats.Completion-d.Prev.Completion)+" 个百分点，逾期 "+signed(d.Stats.Overdue-d.Prev.Overdue)+" 项",
			"Since last week: completion "+signed(d.Stats.Completion-d.Prev.Completion)+" points, overdue "+signed(d.Stats.Overdue-d.Prev.Overdue)) + "\n")
	}
	b.WriteString("\n<b>" + tr(lang, "各单位进展", "By department") + "</b>\n" + d.table(lang))
	return b.String()
}

// table renders the per-department table in a <pre> block, padding by
// display width so CJK names (two columns a character) line up.
func (d Digest) table(lang string) string {
	head := []string{tr(lang, "单位", "Department"), tr(lang, "任务", "Tasks"), tr(lang, "完成", "Done"),
		tr(lang, "推进中", "Active"), tr(lang, "受阻", "Blocked"), tr(lang, "逾期", "Late"), tr(lang, "完成率", "Done%")}
	rows := [][]string{head}
	cells := func(name string, r DeptRow) []string {
		return []string{name, itoa(r.Tasks), itoa(r.Done), itoa(r.InProgress), itoa(r.Blocked), itoa(r.Overdue), itoa(r.Pct) + "%"}
	}
	for _, r := range d.Depts {
		rows = append(rows, cells(deptName(r.Dept, lang), r))
	}
	rows = append(rows, cells(tr(lang, "合计", "Total"), d.Total))
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
