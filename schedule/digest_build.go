package schedule

import (
	"sort"
	"time"

	"github.com/duban-bureau/duban/store"
)

// DefaultDigestLines is the cap on each digest list when the snapshot names none.
const DefaultDigestLines = 20

// topN keeps the n least items by less (ties by task ID) as they stream
// in, so a list of 100,000 costs n items of memory.
type topN struct {
	n     int
	less  func(a, b DigestItem) bool
	items []DigestItem
	count int
}

func (t *topN) before(a, b DigestItem) bool {
	if t.less(a, b) {
		return true
	}
	if t.less(b, a) {
		return false
	}
	return idLess(a.ID, b.ID)
}

func (t *topN) add(it DigestItem) {
	t.count++
	if len(t.items) == t.n && !t.before(it, t.items[len(t.items)-1]) {
		return
	}
	i := sort.Search(len(t.items), func(i int) bool { return t.before(it, t.items[i]) })
	it.Text = shorten(it.Text, 40) // the digest shows 40 runes: keep no more
	if len(t.items) < t.n {
		t.items = append(t.items, DigestItem{})
	}
	copy(t.items[i+1:], t.items[i:len(t.items)-1])
	t.items[i] = it
}

// digestBuilder accumulates the digest one open task at a time.
type digestBuilder struct {
	s                             Snapshot
	today                         store.Date
	d                             Digest
	rows                          map[string]*DeptRow
	overdue, blocked, soon, stale topN
}

func newDigestBuilder(s Snapshot, now time.Time, prev *DigestStats) *digestBuilder {
	now = now.In(s.loc())
	n := s.DigestLines
	if n <= 0 {
		n = DefaultDigestLines
	}
	b := &digestBuilder{s: s, today: store.DateOf(now), rows: map[string]*DeptRow{},
		overdue: topN{n: n, less: func(a, b DigestItem) bool { return a.Days > b.Days }},
		blocked: topN{n: n, less: func(a, b DigestItem) bool { return staleness(a) > staleness(b) }},
		soon:    topN{n: n, less: func(a, b DigestItem) bool { return a.Days < b.Days }},
		stale:   topN{n: n, less: func(a, b DigestItem) bool { return staleness(a) > staleness(b) }},
	}
	b.d = Digest{Bureau: s.Bureau, Date: b.today, Prev: prev, Lines: n}
	b.d.Year, b.d.Week = now.ISOWeek()
	return b
}

// add counts one task (open or, for snapshots built by hand, finished).
func (b *digestBuilder) add(t *store.Task) error {
	if t == nil {
		return nil
	}
	s, today, d := b.s, b.today, &b.d
	r := b.rows[t.Lead]
	if r == nil {
		r = &DeptRow{Dept: t.Lead}
		b.rows[t.Lead] = r
	}
	light := s.Lights.Light(t, today, s.startOf(t))
	switch light {
	case store.LightRed:
		d.Red++
	case store.LightYellow:
		d.Yellow++
	default:
		d.Green++
	}
	item := DigestItem{ID: t.ID, Text: t.Text, Dept: t.Lead, Status: t.Status, Light: light, Date: t.Deadline}
	r.Count(t, today)
	d.Total.Count(t, today)
	if !t.Open() {
		return nil
	}
	if t.Overdue(today) {
		item.Days = t.DaysOverdue(today)
		b.overdue.add(item)
	} else if !t.Deadline.IsZero() && today.DaysUntil(t.Deadline) <= DueSoonDays {
		item.Days = today.DaysUntil(t.Deadline)
		b.soon.add(item)
	}
	last := t.UpdatedAt
	if last.IsZero() {
		last = t.CreatedAt
	}
	since := item
	since.Date, since.Days = 0, -1 // never updated
	if !last.IsZero() {
		since.Date = store.DateOf(last.In(s.loc()))
		since.Days = since.Date.DaysUntil(today)
	}
	if t.Status == store.StatusBlocked {
		bl := since
		bl.Note = shorten(t.Latest, 40)
		b.blocked.add(bl)
	}
	if last.IsZero() || since.Days >= StaleDays {
		b.stale.add(since)
	}
	return nil
}

// finish adds the finished counts, this week's completions (from
// history and the snapshot) and the order.
func (b *digestBuilder) finish(history []store.HistoryEntry, now time.Time) Digest {
	completed := completedThisWeek(history, b.s.byID(), now.In(b.s.loc()), b.s.loc())
	return b.finishWith(completed, len(completed))
}

// finishWith is finish with this week's completions already chosen
// (completed, sorted by date, of count in all).
func (b *digestBuilder) finishWith(completed []DigestItem, count int) Digest {
	s, d := b.s, &b.d
	for lead, n := range s.Finished {
		r := b.rows[lead]
		if r == nil {
			r = &DeptRow{Dept: lead}
			b.rows[lead] = r
		}
		for _, x := range []*DeptRow{r, &d.Total} {
			x.Tasks += n
			x.Done += n
		}
		d.Green += n // a finished task is never overdue, blocked or due soon
	}
	d.Count = DigestCounts{Overdue: b.overdue.count, Blocked: b.blocked.count, DueSoon: b.soon.count,
		Completed: count, Stale: b.stale.count}
	if len(completed) > d.Lines {
		completed = completed[len(completed)-d.Lines:] // the latest
	}
	d.Completed = completed
	d.Overdue, d.Blocked, d.DueSoon, d.Stale = b.overdue.items, b.blocked.items, b.soon.items, b.stale.items
	for _, r := range b.rows {
		r.Pct = pct(r.Done, r.Tasks)
		d.Depts = append(d.Depts, *r)
	}
	d.Total.Pct = pct(d.Total.Done, d.Total.Tasks)
	sort.Slice(d.Depts, func(i, j int) bool {
		a, b := d.Depts[i], d.Depts[j]
		if a.Overdue != b.Overdue {
			return a.Overdue > b.Overdue
		}
		if a.Pct != b.Pct {
			return a.Pct < b.Pct
		}
		return a.Dept < b.Dept
	})
	d.Stats = DigestStats{Date: d.Date, Tasks: d.Total.Tasks, Done: d.Total.Done, Overdue: d.Total.Overdue, Completion: d.Total.Pct}
	return *d
}

// byID indexes the snapshot's tasks and Completed for completedThisWeek.
func (s Snapshot) byID() map[string]*store.Task {
	m := make(map[string]*store.Task, len(s.Tasks)+len(s.Completed))
	for _, t := range s.Tasks {
		if t != nil {
			m[t.Key()] = t
		}
	}
	for _, t := range s.Completed {
		if t != nil && m[t.Key()] == nil {
			m[t.Key()] = t
		}
	}
	return m
}

// BuildDigest computes the digest as of now. history holds the updates of
// at least the last 7 days (older entries are ignored); prev is last
// week's stats or nil.
func BuildDigest(s Snapshot, history []store.HistoryEntry, prev *DigestStats, now time.Time) Digest {
	b := newDigestBuilder(s, now, prev)
	for _, t := range s.Tasks {
		b.add(t)
	}
	return b.finish(history, now)
}
