package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

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
	matched []match            // the table's tasks, in ID order
}

// match is a task of the table with its light.
type match struct {
	key   idKey
	task  *store.Task
	light store.Light
}

// scan reads the tasks of scope (a department: the tasks it leads or
// co-owns) and plan, and sorts those passing q into ID order.
func scan(tx *store.Tx, scope string, q query, today store.Date, planStart store.Date, loc *time.Location, now time.Time) (scanned, error) {
	var out scanned
	var tasks []*store.Task
	visit := func(t *store.Task) error {
		if q.Plan != "" && t.PlanID != q.Plan {
			return nil
		}
		tasks = append(tasks, t)
		if t.Status == store.StatusBlocked {
			out.head.Blocked++
		}
		if !t.Deadline.IsZero() && t.Deadline < today {
			out.head.Due++
		}
		light := t.LightOn(today, planStart)
		if q.matches(t, light, today) {
			out.matched = append(out.matched, match{key: keyOf(t.ID), task: t, light: light})
		}
		return nil
	}
	if scope == "" {
		if err := tx.EachTask(visit); err != nil {
			return out, err
		}
	} else {
		ts, err := tx.TasksByDept(scope, true)
		if err != nil {
			return out, err
		}
		for _, t := range ts {
			visit(t)
		}
	}
	// The digest's own computation: the same rows, totals and lights as
	// /stats and the weekly digest, with no history (the page needs none).
	d := schedule.BuildDigest(schedule.Snapshot{Tasks: tasks, PlanStart: planStart, Loc: loc}, nil, nil, now)
	out.depts = d.Depts
	h := &out.head
	h.Tasks, h.Done, h.DonePct, h.Overdue = d.Total.Tasks, d.Total.Done, d.Total.Pct, d.Total.Overdue
	h.Red, h.Yellow, h.Green = d.Red, d.Yellow, d.Green
	h.OnTimePct = -1
	if h.Due > 0 {
		// Tasks past their deadline are either overdue (open) or finished.
		h.OnTimePct = percent(h.Due-h.Overdue, h.Due)
	}
	slices.SortFunc(out.matched, func(a, b match) int { return compareKeys(a.key, b.key, a.task.ID, b.task.ID) })
	return out, nil
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
