package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// statusOverdue is the status filter for overdue tasks: overdue is not a
// store status but a reading of the deadline (store.Task.Overdue).
const statusOverdue = "overdue"

// query is what the page shows, from the URL's query parameters: the plan
// (all when empty), the table's filters and its page.
type query struct {
	Plan, Dept, Status, Light string
	Page                      int
}

// parseQuery reads the query parameters; a value it does not know is an
// error naming the parameter, so a mistyped link does not silently show
// everything.
func parseQuery(v url.Values) (query, *badParam) {
	q := query{Plan: v.Get("plan"), Dept: v.Get("dept"), Status: v.Get("status"), Light: v.Get("light"), Page: 1}
	if q.Status != "" && q.Status != statusOverdue && !store.Status(q.Status).Valid() {
		return q, &badParam{"status", q.Status}
	}
	switch store.Light(q.Light) {
	case "", store.LightRed, store.LightYellow, store.LightGreen:
	default:
		return q, &badParam{"light", q.Light}
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return q, &badParam{"page", p}
		}
		q.Page = n
	}
	return q, nil
}

// badParam is a query parameter with a value the page does not know.
type badParam struct{ Name, Value string }

// encode writes q back as a query string ("" when it is the default view).
func (q query) encode() string {
	v := url.Values{}
	for _, kv := range [][2]string{{"plan", q.Plan}, {"dept", q.Dept}, {"status", q.Status}, {"light", q.Light}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// matches reports whether t passes the table's filters.
func (q query) matches(t *store.Task, light store.Light, today store.Date) bool {
	if q.Dept != "" && !t.InDept(q.Dept) {
		return false
	}
	switch {
	case q.Status == statusOverdue:
		if !t.Overdue(today) {
			return false
		}
	case q.Status != "" && string(t.Status) != q.Status:
		return false
	}
	return q.Light == "" || string(light) == q.Light
}

// headline are the numbers at the top of the page. Tasks, Done, DonePct and
// Overdue are the digest's (schedule.BuildDigest), so they equal /stats.
type headline struct {
	Tasks, Done, DonePct, Overdue, Blocked int
	// Due counts tasks whose deadline has passed; OnTimePct is the share
	// of them that is done or closed (-1 when none is due yet).
	Due, OnTimePct     int
	Red, Yellow, Green int
}

// scanned is one pass over the tasks in scope: what the headline, the
// chart and the table need, computed without keeping anything but the
// tasks of the table.
type scanned struct {
	head    headline
	depts   []schedule.DeptRow // the digest's rows, laggards first
	matched []match            // the table's tasks, in no order (see pageOf)
}

// match is a task of the table: its ID (the page decodes the few it
// shows in full) and its light.
type match struct {
	key   idKey
	id    string
	light store.Light
}

// scan reads the tasks of scope (a department: the tasks it leads or
// co-owns) and plan in one pass over their brief records
// (store.Tx.EachTaskBrief: no texts decoded). The headline and the department rows
// count exactly as schedule.BuildDigest does (TestLedger_CountsAsDigest
// holds them to it): calling it here would build and sort the digest's
// lists of 100,000 tasks for numbers a loop gives in a few milliseconds.
func scan(tx *store.Tx, scope string, q query, today store.Date, starts schedule.Starts, lights schedule.Lights) (scanned, error) {
	var out scanned
	h := &out.head
	rows := map[string]*schedule.DeptRow{}
	total := &schedule.DeptRow{}
	visit := func(t *store.Task) error {
		if q.Plan != "" && t.PlanID != q.Plan || scope != "" && !t.InDept(scope) {
			return nil
		}
		r := rows[t.Lead]
		if r == nil {
			r = &schedule.DeptRow{Dept: t.Lead}
			rows[t.Lead] = r
		}
		r.Count(t, today)
		total.Count(t, today)
		if t.Status == store.StatusBlocked {
			h.Blocked++
		}
		if !t.Deadline.IsZero() && t.Deadline < today {
			h.Due++
		}
		light := lights.Light(t, today, starts.Of(t))
		switch light {
		case store.LightRed:
			h.Red++
		case store.LightYellow:
			h.Yellow++
		default:
			h.Green++
		}
		if q.matches(t, light, today) {
			out.matched = append(out.matched, match{key: keyOf(t.ID), id: t.Key(), light: light})
		}
		return nil
	}
	if err := tx.EachTaskBrief(visit); err != nil {
		return out, err
	}
	for _, r := range rows {
		r.Pct = percent(r.Done, r.Tasks)
		out.depts = append(out.depts, *r)
	}
	// The digest's order: most overdue first, then lowest completion.
	slices.SortFunc(out.depts, func(a, b schedule.DeptRow) int {
		if a.Overdue != b.Overdue {
			return b.Overdue - a.Overdue
		}
		if a.Pct != b.Pct {
			return a.Pct - b.Pct
		}
		return strings.Compare(a.Dept, b.Dept)
	})
	h.Tasks, h.Done, h.DonePct, h.Overdue = total.Tasks, total.Done, percent(total.Done, total.Tasks), total.Overdue
	h.OnTimePct = -1
	if h.Due > 0 {
		// Tasks past their deadline are either overdue (open) or finished.
		h.OnTimePct = percent(h.Due-h.Overdue, h.Due)
	}
	return out, nil
}

// pageOf returns the matches of rank [lo, hi) in ID order. It selects them
// before sorting, so the first page of 100,000 tasks sorts 100 of them.
func pageOf(ms []match, lo, hi int) []match {
	hi = min(hi, len(ms))
	if lo >= hi {
		return nil
	}
	cmp := func(a, b match) int { return compareKeys(a.key, b.key, a.id, b.id) }
	selectK(ms, hi, cmp)      // ms[:hi] holds the hi smallest
	selectK(ms[:hi], lo, cmp) // ms[lo:hi] holds ranks lo..hi-1
	out := ms[lo:hi]
	slices.SortFunc(out, cmp)
	return out
}

// selectK reorders xs so that xs[:k] are its k smallest (in no order):
// quickselect with a median-of-three pivot, linear on average.
func selectK[T any](xs []T, k int, cmp func(a, b T) int) {
	lo, hi := 0, len(xs)
	for hi-lo > 16 && k > lo && k < hi {
		m := lo + (hi-lo)/2
		// Median of three to xs[m].
		if cmp(xs[m], xs[lo]) < 0 {
			xs[m], xs[lo] = xs[lo], xs[m]
		}
		if cmp(xs[hi-1], xs[m]) < 0 {
			xs[hi-1], xs[m] = xs[m], xs[hi-1]
			if cmp(xs[m], xs[lo]) < 0 {
				xs[m], xs[lo] = xs[lo], xs[m]
			}
		}
		pivot := xs[m]
		// Three-way partition: < pivot, == pivot, > pivot.
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch c := cmp(xs[i], pivot); {
			case c < 0:
				xs[lt], xs[i] = xs[i], xs[lt]
				lt++
				i++
			case c > 0:
				gt--
				xs[i], xs[gt] = xs[gt], xs[i]
			default:
				i++
			}
		}
		switch {
		case k <= lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return // the k-th falls among the equals
		}
	}
	if k > lo && k < hi {
		slices.SortFunc(xs[lo:hi], cmp)
	}
}

// percent rounds half up, as the digest's completion rate does.
func percent(n, total int) int {
	if total == 0 {
		return 0
	}
	return (200*n + total) / (2 * total)
}

// idKey packs a dotted numeric task ID (up to four parts below 65,535)
// into one integer that sorts as store.CompareIDs does, so ordering
// 100,000 tasks compares integers; ok is false for other IDs, which fall
// back to CompareIDs.
type idKey struct {
	n  uint64
	ok bool
}

func keyOf(id string) idKey {
	var n uint64
	parts := 0
	for id != "" {
		p, rest, _ := strings.Cut(id, ".")
		v, err := strconv.ParseUint(p, 10, 16)
		if err != nil || v == 0xFFFF || parts == 4 || p == "" || p[0] == '+' {
			return idKey{}
		}
		n |= (v + 1) << (48 - 16*parts)
		parts++
		id = rest
	}
	return idKey{n: n, ok: parts > 0}
}

func compareKeys(a, b idKey, ida, idb string) int {
	if a.ok && b.ok {
		switch {
		case a.n < b.n:
			return -1
		case a.n > b.n:
			return 1
		}
		return strings.Compare(ida, idb) // 4.01 and 4.1: equal numbers, a fixed order
	}
	return store.CompareIDs(ida, idb)
}
