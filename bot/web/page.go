package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// lightColor fills a light's dot; the word beside it says the same for
// readers who cannot tell the colours apart (and for print in grey).
var lightColor = map[store.Light]string{store.LightRed: "#d93025", store.LightYellow: "#f29900", store.LightGreen: "#188038"}

// link is one filter or page link.
type link struct {
	Label  string
	Href   string
	Active bool
	Color  string // a light's dot, if any
}

// filterGroup is one row of filter links (department, status, light).
type filterGroup struct {
	Key, Label string // Key: the query parameter
	Links      []link
}

// row is one task of the table (and the head of its own page).
type row struct {
	ID, Href, Text     string
	Status, StatusKey  string
	Light, LightWord   string
	LightColor         string
	Progress           int
	Target             string // "3/85家" when the task counts against a target
	Deadline           string
	Late               bool
	Lead, Co, Latest   string
	Section, Suggested string
}

// pager is the table's position.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

// ledgerPage is what the ledger template shows.
type ledgerPage struct {
	Root, Lang, Self string
	Title, Scope     string
	AsOf, Expires    string
	Head             headline
	OnTime           string
	Chart            chart
	Lights           []link
	Filters          []filterGroup
	Rows             []row
	Pager            pager
}

func (s *Server) ledger(w http.ResponseWriter, r *http.Request) {
	scanned := false
	defer func() {
		if scanned && s.AfterScan != nil {
			s.AfterScan()
		}
	}()
	s.page(w, r, func(tx *store.Tx, scope string, exp time.Time, buf *bytes.Buffer) (int, string) {
		q, bad := parseQuery(r.URL.Query())
		if bad != nil {
			return http.StatusBadRequest, s.Words.T("web_bad_param", bad.Name, bad.Value)
		}
		scanned = true
		p, err := s.buildLedger(tx, r.PathValue("token"), scope, exp, q)
		if err != nil {
			return http.StatusInternalServerError, s.Words.T("internal_error")
		}
		if err := s.tmpl.ExecuteTemplate(buf, "ledger", p); err != nil {
			s.log().Error("web ledger template", "err", err)
			return http.StatusInternalServerError, s.Words.T("internal_error")
		}
		return http.StatusOK, ""
	})
}

// buildLedger reads the ledger of scope as of the transaction's instant.
func (s *Server) buildLedger(tx *store.Tx, token, scope string, exp time.Time, q query) (*ledgerPage, error) {
	now := s.now().In(s.loc())
	today := store.DateOf(now)
	starts, err := schedule.PlanStarts(tx)
	if err != nil {
		return nil, err
	}
	if scope != "" {
		q.Dept = "" // a department's link shows that department only
	}
	sc, err := scan(tx, scope, q, today, starts, s.Lights)
	if err != nil {
		return nil, err
	}
	w := s.Words
	p := &ledgerPage{Root: "../", Lang: string(s.Lang), Self: token, Head: sc.head, Scope: w.T("web_scope_all"),
		AsOf: w.T("web_as_of", now.Format("2006-01-02 15:04")), Expires: w.T("web_expires", exp.In(s.loc()).Format("2006-01-02 15:04"))}
	if scope != "" {
		p.Scope = w.T("web_scope_dept", scope)
	}
	p.Title = w.T("web_title")
	plans, err := tx.Plans()
	if err != nil {
		return nil, err
	}
	for _, pl := range plans {
		if pl.ID == q.Plan || len(plans) == 1 && q.Plan == "" {
			p.Title = pl.Title
		}
	}
	p.OnTime = "—"
	if sc.head.OnTimePct >= 0 {
		p.OnTime = strconv.Itoa(sc.head.OnTimePct) + "%"
	}
	href := func(q query) string { return token + q.encode() }
	p.Chart = s.buildChart(sc.depts, func(dept string) string { x := q; x.Dept, x.Page = dept, 1; return href(x) }, scope == "")
	for _, l := range []store.Light{store.LightRed, store.LightYellow, store.LightGreen} {
		n := map[store.Light]int{store.LightRed: sc.head.Red, store.LightYellow: sc.head.Yellow, store.LightGreen: sc.head.Green}[l]
		x := q
		x.Light, x.Page = string(l), 1
		p.Lights = append(p.Lights, link{Label: w.T("web_light_"+string(l)) + " " + strconv.Itoa(n), Href: href(x), Active: q.Light == string(l), Color: lightColor[l]})
	}
	if len(plans) > 1 {
		g := filterGroup{Key: "plan", Label: w.T("web_filter_plan")}
		for _, pl := range append([]*store.Plan{{}}, plans...) {
			x := q
			x.Plan, x.Page = pl.ID, 1
			label := pl.Title
			if pl.ID == "" {
				label = w.T("web_all")
			}
			g.Links = append(g.Links, link{Label: label, Href: href(x), Active: q.Plan == pl.ID})
		}
		p.Filters = append(p.Filters, g)
	}
	if scope == "" {
		g := filterGroup{Key: "dept", Label: w.T("web_filter_dept")}
		for _, d := range append([]string{""}, tx.DepartmentNames()...) {
			x := q
			x.Dept, x.Page = d, 1
			label := d
			if d == "" {
				label = w.T("web_all")
			}
			g.Links = append(g.Links, link{Label: label, Href: href(x), Active: q.Dept == d})
		}
		p.Filters = append(p.Filters, g)
	}
	g := filterGroup{Key: "status", Label: w.T("web_filter_status")}
	for _, st := range append([]string{""}, append(statusKeys(), statusOverdue)...) {
		x := q
		x.Status, x.Page = st, 1
		g.Links = append(g.Links, link{Label: s.statusWord(st), Href: href(x), Active: q.Status == st})
	}
	p.Filters = append(p.Filters, g)
	g = filterGroup{Key: "light", Label: w.T("web_filter_light")}
	for _, l := range []string{"", "red", "yellow", "green"} {
		x := q
		x.Light, x.Page = l, 1
		label := w.T("web_all")
		if l != "" {
			label = w.T("web_light_" + l)
		}
		g.Links = append(g.Links, link{Label: label, Href: href(x), Active: q.Light == l, Color: lightColor[store.Light(l)]})
	}
	p.Filters = append(p.Filters, g)

	size := s.pageSize()
	total := len(sc.matched)
	pages := max(1, (total+size-1)/size)
	if q.Page > pages {
		q.Page = pages
	}
	p.Pager = pager{Page: q.Page, Pages: pages, Total: total}
	if q.Page > 1 {
		x := q
		x.Page--
		p.Pager.Prev = href(x)
	}
	if q.Page < pages {
		x := q
		x.Page++
		p.Pager.Next = href(x)
	}
	lo := (q.Page - 1) * size
	for _, m := range pageOf(sc.matched, lo, lo+size) {
		t, err := tx.Task(m.id)
		if err != nil {
			return nil, err
		}
		p.Rows = append(p.Rows, s.row(t, m.light, today, token+"/t/"+url.PathEscape(t.Key())))
	}
	return p, nil
}

func statusKeys() []string {
	var out []string
	for _, st := range store.Statuses {
		out = append(out, string(st))
	}
	return out
}

// statusWord labels a status filter: the digest's status labels, and the
// chat's word for overdue.
func (s *Server) statusWord(st string) string {
	switch st {
	case "":
		return s.Words.T("web_all")
	case statusOverdue:
		return s.Words.T("web_overdue")
	}
	return schedule.StatusLabel(store.Status(st), s.Lang)
}

// row is a task as the table and its page show it, in the chat's words.
func (s *Server) row(t *store.Task, light store.Light, today store.Date, href string) row {
	w := s.Words
	r := row{ID: t.ID, Href: href, Text: t.Text, Status: schedule.StatusLabel(t.Status, s.Lang), StatusKey: string(t.Status),
		Light: string(light), LightWord: w.T("web_light_" + string(light)), LightColor: lightColor[light],
		Progress: t.Progress, Lead: t.Lead, Co: strings.Join(t.CoDepts, "、"), Latest: t.Latest, Section: t.Section,
		Late: t.Overdue(today)}
	if r.Lead == "" {
		r.Lead = w.T("unassigned")
	} else if t.LeadSuggested {
		r.Suggested = w.T("suggested")
	}
	if t.HasTarget() {
		r.Target = store.FormatNumber(t.Current) + "/" + store.FormatNumber(t.Target) + t.Unit
	}
	// The deadline in the chat's words (bot.DeadlinePhrase).
	switch {
	case t.Cadence != "":
		r.Deadline = w.T("continuous")
	case t.Deadline.IsZero():
		r.Deadline = "—"
	case t.Overdue(today):
		r.Deadline = w.T("overdue_days", t.Deadline.String(), t.DaysOverdue(today))
	case !t.Open():
		r.Deadline = t.Deadline.String()
	default:
		r.Deadline = w.T("days_left", t.Deadline.String(), today.DaysUntil(t.Deadline))
	}
	return r
}

// taskPage is what the task template shows.
type taskPage struct {
	Root, Lang, Back string
	Title, Scope     string
	AsOf, Expires    string
	Task             row
	History          []entry
}

// entry is one line of a task's history.
type entry struct {
	At, Who, Kind string
	Changes       []string
	Note          string
}

func (s *Server) task(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, func(tx *store.Tx, scope string, exp time.Time, buf *bytes.Buffer) (int, string) {
		id := r.PathValue("id")
		t, err := tx.Task(id)
		if store.ErrorCode(err) == store.ENOTFOUND || err == nil && scope != "" && !t.InDept(scope) {
			// Outside a department's link is the same as absent: the
			// link says nothing about other departments' tasks.
			return http.StatusNotFound, s.Words.T("web_no_task", id)
		}
		if err != nil {
			return http.StatusInternalServerError, s.Words.T("internal_error")
		}
		hist, err := tx.History(t.Key())
		if err != nil {
			return http.StatusInternalServerError, s.Words.T("internal_error")
		}
		starts, err := schedule.PlanStarts(tx)
		if err != nil {
			s.log().Error("web task: read plans", "err", err)
			return http.StatusInternalServerError, s.Words.T("internal_error")
		}
		now := s.now().In(s.loc())
		today := store.DateOf(now)
		words := s.Words
		p := &taskPage{Root: "../../../", Lang: string(s.Lang), Back: "../../" + r.PathValue("token"), Title: t.ID + " " + t.Text,
			Scope: words.T("web_scope_all"), AsOf: words.T("web_as_of", now.Format("2006-01-02 15:04")),
			Expires: words.T("web_expires", exp.In(s.loc()).Format("2006-01-02 15:04")),
			Task:    s.row(t, s.Lights.Light(t, today, starts.Of(t)), today, "")}
		if scope != "" {
			p.Scope = words.T("web_scope_dept", scope)
		}
		for i := len(hist) - 1; i >= 0; i-- { // newest first
			p.History = append(p.History, s.entry(hist[i]))
		}
		if err := s.tmpl.ExecuteTemplate(buf, "task", p); err != nil {
			s.log().Error("web task template", "err", err)
			return http.StatusInternalServerError, s.Words.T("internal_error")
		}
		return http.StatusOK, ""
	})
}

// entry renders a history entry as the chat's /task does (bot's
// historyLine), with status values in the digest's labels.
func (s *Server) entry(u store.HistoryEntry) entry {
	e := entry{At: u.At.In(s.loc()).Format("2006-01-02 15:04"), Who: u.By.Name, Kind: s.Words.Kind(u.Kind), Note: u.Note}
	if e.Who == "" {
		e.Who = u.By.Via
	}
	for _, ch := range u.Changes {
		if ch.Field == "lead_suggested" {
			continue
		}
		old, nw := ch.Old, ch.New
		if ch.Field == "status" {
			old, nw = s.statusValue(old), s.statusValue(nw)
		}
		e.Changes = append(e.Changes, s.Words.Field(ch.Field)+"："+orDash(old)+" → "+orDash(nw))
	}
	return e
}

func (s *Server) statusValue(v string) string {
	if st, ok := store.ParseStatus(v); ok && v != "" {
		return schedule.StatusLabel(st, s.Lang)
	}
	return v
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
