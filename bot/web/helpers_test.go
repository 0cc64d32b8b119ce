package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/web"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// cst is the bureau's zone; t0 is 2021-06-15 09:00 there.
var (
	cst = time.FixedZone("CST", 8*60*60)
	t0  = time.Date(2021, 6, 15, 9, 0, 0, 0, cst)
)

// fixture is a small ledger behind a web server, with its clock.
type fixture struct {
	t   *testing.T
	db  *store.DB
	clk *storetest.Clock
	srv *web.Server
	h   http.Handler
}

// tasks of the fixture on 2021-06-15: 4.1.1 done, 4.1.2 overdue, 4.1.10
// blocked (red), 5.1.1 due in 5 days (yellow), 5.2.1 continuous, 6.1.1
// far off but 42 points behind 序时进度 (red) with a co-department.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := storetest.NewClock(t0)
	db := storetest.OpenDB(t, store.Options{Now: clk.Now})
	err := db.Update(func(tx *store.Tx) error {
		for _, d := range []string{"水生态环境处", "大气环境与应对气候变化处", "执法局"} {
			if err := tx.AddDepartment(d); err != nil {
				return err
			}
		}
		if err := tx.PutPlan(&store.Plan{ID: "p2021", Title: "2021年生态环境工作要点", Year: 2021}); err != nil {
			return err
		}
		d := func(m time.Month, day int) store.Date { return store.NewDate(2021, m, day) }
		for _, task := range []*store.Task{
			{ID: "4.1.1", Text: "完成85家挥发性有机物重点行业企业深度整治", Lead: "大气环境与应对气候变化处", Deadline: d(5, 31), Status: store.StatusDone, Progress: 100, Latest: "已完成验收"},
			{ID: "4.1.2", Text: "推进入海排污口排查整治", Lead: "水生态环境处", Deadline: d(6, 1), Status: store.StatusInProgress, Progress: 40, Latest: "正在排查"},
			{ID: "4.1.10", Text: "开展生态环境执法大练兵", Lead: "执法局", Deadline: d(9, 30), Status: store.StatusBlocked, Latest: "资金尚未到位"},
			{ID: "5.1.1", Text: "饮用水水源地规范化建设", Lead: "水生态环境处", Deadline: d(6, 20), Status: store.StatusInProgress, Progress: 80},
			{ID: "5.2.1", Text: "每月报送农村生活污水治理进展", Lead: "水生态环境处", Cadence: store.CadenceMonthly},
			{ID: "6.1.1", Text: "修订危险废物规范化环境管理评估办法", Lead: "执法局", CoDepts: []string{"水生态环境处"}, Deadline: d(12, 31), Target: 85, Unit: "家", Current: 3},
		} {
			task.PlanID = "p2021"
			if task.Status == "" {
				task.Status = store.StatusNotStarted
			}
			if err := tx.PutTask(task); err != nil {
				return err
			}
		}
		return tx.AppendHistory(&store.HistoryEntry{TaskID: "4.1.2", By: store.Actor{Name: "张三", Via: "telegram"}, Kind: "progress",
			Changes: []store.Change{{Field: "progress", Old: "20", New: "40"}, {Field: "status", Old: "not_started", New: "in_progress"}}, Note: "正在排查"})
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := &web.Server{DB: db, Words: bot.Lang("zh"), Lang: "zh", Loc: cst, Now: clk.Now}
	return &fixture{t: t, db: db, clk: clk, srv: srv, h: srv.Handler()}
}

// link makes a /ledger link the way the chat does, valid for ttl from now.
func (f *fixture) link(scope string, ttl time.Duration) string {
	f.t.Helper()
	var u string
	err := f.db.Update(func(tx *store.Tx) error {
		var err error
		u, _, err = web.Links{BaseURL: "http://ledger.example/", TTL: ttl}.Link(tx, scope, f.clk.Now())
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return strings.TrimPrefix(u, "http://ledger.example")
}

// get requests path and returns the status, headers and body.
func (f *fixture) get(path string) (int, http.Header, string) {
	f.t.Helper()
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, rec.Result().Header, string(b)
}

// rowIDs are the task IDs of the table, in order.
func rowIDs(body string) []string {
	var out []string
	for _, part := range strings.Split(body, `<tr class="task `)[1:] {
		_, rest, _ := strings.Cut(part, `data-id="`)
		id, _, _ := strings.Cut(rest, `"`)
		out = append(out, id)
	}
	return out
}

// bundledDB is the bundled 2021 plan, imported as serve does, with a
// spread of statuses (every fifth task done, closed, in progress, blocked)
// so every light and bar has something to count.
func bundledDB(tb testing.TB, now func() time.Time) *store.DB {
	tb.Helper()
	db := storetest.OpenDB(tb, store.Options{Now: now})
	err := db.Update(func(tx *store.Tx) error {
		for _, d := range seeds.Departments() {
			if err := tx.AddDepartment(d); err != nil {
				return err
			}
		}
		l, err := intake.Read(tx, seeds.BundledName, seeds.Bundled(), intake.Options{})
		if err != nil {
			return err
		}
		if _, err = l.Apply(tx, intake.ApplyOptions{By: store.Actor{Via: "import"}, Note: "test"}); err != nil {
			return err
		}
		for i, t := range l.Tasks {
			t, err := tx.Task(t.ID)
			if err != nil {
				return err
			}
			switch i % 5 {
			case 1:
				t.Status, t.Progress = store.StatusDone, 100
			case 2:
				t.Status = store.StatusClosed
			case 3:
				t.Status, t.Progress = store.StatusInProgress, 10*(i%10)
			case 4:
				t.Status = store.StatusBlocked
			}
			if err := tx.PutTask(t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return db
}
