package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/web"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// taskTexts are every task text of the fixture: none may appear on a 403.
var taskTexts = []string{"挥发性有机物", "入海排污口", "执法大练兵", "饮用水水源地", "农村生活污水", "危险废物"}

func TestLedger_Page(t *testing.T) {
	f := newFixture(t)
	code, h, body := f.get(f.link("", 0))
	if code != http.StatusOK {
		t.Fatalf("status %d, want 200:\n%s", code, body)
	}
	for _, want := range []string{
		`id="n-tasks">6<`, `id="n-done">1<`, `id="n-overdue">1<`, `id="n-blocked">1<`, `id="n-ontime">50%<`,
		"2021年生态环境工作要点", "红灯 3", "黄灯 1", "绿灯 2",
		"2021-06-01（已逾期14天）", "持续推进（每月报送）", "3/85家", "配合：水生态环境处",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if got, want := rowIDs(body), []string{"4.1.1", "4.1.2", "4.1.10", "5.1.1", "5.2.1", "6.1.1"}; !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v (ID order, 4.1.2 before 4.1.10)", got, want)
	}
	// The status words are the digest's.
	if !strings.Contains(body, ">"+schedule.StatusLabel(store.StatusBlocked, "zh")+"<") {
		t.Errorf("page lacks the digest's label for blocked")
	}
	if strings.Contains(body, "<script") {
		t.Errorf("page has a script")
	}
	checkHeaders(t, h)
	if ct := h.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestLedger_ChartGroups(t *testing.T) {
	f := newFixture(t)
	_, _, body := f.get(f.link("", 0))
	groups := regexp.MustCompile(`<g class="dept" data-dept="([^"]*)">`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, g := range groups {
		got = append(got, g[1])
	}
	// The digest's order: most overdue first, then lowest completion.
	want := []string{"水生态环境处", "执法局", "大气环境与应对气候变化处"}
	if !slices.Equal(got, want) {
		t.Fatalf("bar groups %v, want %v", got, want)
	}
	if n := strings.Count(body, `<rect class="bar `); n != 3*len(want) {
		t.Errorf("%d bars, want 3 per department (%d)", n, 3*len(want))
	}
}

func checkHeaders(t *testing.T, h http.Header) {
	t.Helper()
	for k, want := range map[string]string{
		"Cache-Control":   "no-store",
		"X-Frame-Options": "DENY",
		"Referrer-Policy": "no-referrer",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") || strings.Contains(csp, "script-src") {
		t.Errorf("Content-Security-Policy %q allows scripts or inline code", csp)
	}
}

func TestLedger_Forbidden(t *testing.T) {
	f := newFixture(t)
	good := f.link("", time.Hour)
	token := strings.TrimPrefix(good, "/l/")
	altered := []byte(token)
	altered[3] ^= 1 // a bit of the expiry: the signature no longer holds
	cases := map[string]struct {
		path string
		want string
		prep func()
	}{
		"Expired":   {good, "已过期", func() { f.clk.Add(time.Hour) }},
		"Altered":   {"/l/" + string(altered), "无效", nil},
		"Forged":    {"/l/" + web.Sign([]byte("0123456789abcdef0123456789abcdef"), "", t0.Add(time.Hour)), "无效", nil},
		"Garbage":   {"/l/hello", "无效", nil},
		"TaskPage":  {good + "/t/4.1.2", "已过期", func() {}},
		"Rotated":   {good, "无效", func() { f.db.Update(func(tx *store.Tx) error { _, err := tx.RotateWebKey(); return err }) }},
		"EmptyPath": {"/l/", "没有这个页面", nil},
	}
	// Expired must run with the clock moved; the others before it.
	for _, name := range []string{"Altered", "Forged", "Garbage", "EmptyPath", "Expired", "TaskPage", "Rotated"} {
		c := cases[name]
		t.Run(name, func(t *testing.T) {
			if c.prep != nil {
				c.prep()
			}
			code, h, body := f.get(c.path)
			want := http.StatusForbidden
			if name == "EmptyPath" {
				want = http.StatusNotFound
			}
			if code != want {
				t.Fatalf("status %d, want %d:\n%s", code, want, body)
			}
			if !strings.Contains(body, c.want) {
				t.Errorf("body lacks %q:\n%s", c.want, body)
			}
			for _, text := range taskTexts {
				if strings.Contains(body, text) {
					t.Errorf("403 page shows task text %q", text)
				}
			}
			if strings.Count(body, "<p") != 1 {
				t.Errorf("want one line, got:\n%s", body)
			}
			checkHeaders(t, h)
		})
	}
	t.Run("NotBeforeExpiry", func(t *testing.T) {
		f := newFixture(t)
		link := f.link("", time.Hour)
		f.clk.Add(time.Hour - time.Second)
		if code, _, _ := f.get(link); code != http.StatusOK {
			t.Errorf("status %d one second before expiry, want 200", code)
		}
	})
}

func TestLedger_Filters(t *testing.T) {
	f := newFixture(t)
	link := f.link("", 0)
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"?dept=%E6%B0%B4%E7%94%9F%E6%80%81%E7%8E%AF%E5%A2%83%E5%A4%84", []string{"4.1.2", "5.1.1", "5.2.1", "6.1.1"}}, // lead or co
		{"?status=blocked", []string{"4.1.10"}},
		{"?status=overdue", []string{"4.1.2"}},
		{"?status=done", []string{"4.1.1"}},
		{"?light=red", []string{"4.1.2", "4.1.10", "6.1.1"}},
		{"?light=red&dept=%E6%89%A7%E6%B3%95%E5%B1%80", []string{"4.1.10", "6.1.1"}},
		{"?light=yellow", []string{"5.1.1"}},
		{"?light=green&status=closed", nil},
	} {
		code, _, body := f.get(link + c.query)
		if code != http.StatusOK {
			t.Errorf("%s: status %d", c.query, code)
			continue
		}
		if got := rowIDs(body); !slices.Equal(got, c.want) {
			t.Errorf("%s: rows %v, want %v", c.query, got, c.want)
		}
		// Filters narrow the table, never the headline.
		if !strings.Contains(body, `id="n-tasks">6<`) {
			t.Errorf("%s: the headline changed with the filter", c.query)
		}
	}
	// The filter links are on the page and lead to the filtered table.
	_, _, body := f.get(link)
	token := strings.TrimPrefix(link, "/l/")
	if !strings.Contains(body, `href="`+token+`?status=blocked"`) {
		t.Errorf("page lacks the status filter link")
	}
	for _, bad := range []string{"?status=finished", "?light=blue", "?page=0", "?page=x"} {
		code, h, body := f.get(link + bad)
		if code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, code)
		}
		name := strings.TrimPrefix(strings.SplitN(bad, "=", 2)[0], "?")
		if !strings.Contains(body, "参数“"+name) {
			t.Errorf("%s: the error does not name the parameter:\n%s", bad, body)
		}
		checkHeaders(t, h)
	}
}

func TestLedger_Pages(t *testing.T) {
	f := newFixture(t)
	f.srv.PageSize = 4
	f.h = f.srv.Handler()
	link := f.link("", 0)
	_, _, body := f.get(link)
	if got := rowIDs(body); !slices.Equal(got, []string{"4.1.1", "4.1.2", "4.1.10", "5.1.1"}) {
		t.Errorf("page 1 rows %v", got)
	}
	if !strings.Contains(body, "第1/2页，共6项") || !strings.Contains(body, `rel="next"`) {
		t.Errorf("page 1 lacks its position or the next link")
	}
	_, _, body = f.get(link + "?page=2")
	if got := rowIDs(body); !slices.Equal(got, []string{"5.2.1", "6.1.1"}) {
		t.Errorf("page 2 rows %v", got)
	}
	if !strings.Contains(body, `rel="prev"`) || strings.Contains(body, `rel="next"`) {
		t.Errorf("page 2: want a previous link and no next")
	}
	_, _, body = f.get(link + "?page=9") // past the end: the last page
	if got := rowIDs(body); !slices.Equal(got, []string{"5.2.1", "6.1.1"}) {
		t.Errorf("page 9 rows %v, want the last page", got)
	}
}

func TestLedger_DepartmentScope(t *testing.T) {
	f := newFixture(t)
	link := f.link("执法局", 0)
	code, _, body := f.get(link + "?dept=%E6%B0%B4%E7%94%9F%E6%80%81%E7%8E%AF%E5%A2%83%E5%A4%84")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if got, want := rowIDs(body), []string{"4.1.10", "6.1.1"}; !slices.Equal(got, want) {
		t.Errorf("rows %v, want the department's own %v (a dept parameter cannot widen it)", got, want)
	}
	if !strings.Contains(body, `id="n-tasks">2<`) {
		t.Errorf("headline is not the department's")
	}
	for _, text := range []string{"入海排污口", "挥发性有机物"} {
		if strings.Contains(body, text) {
			t.Errorf("department page shows another department's task %q", text)
		}
	}
	if strings.Contains(body, "单位</span>") {
		t.Errorf("department page offers the department filter")
	}
	code, _, body = f.get(link + "/t/4.1.2")
	if code != http.StatusNotFound || strings.Contains(body, "入海排污口") {
		t.Errorf("another department's task page: status %d, body %q", code, body)
	}
	if code, _, body = f.get(link + "/t/6.1.1"); code != http.StatusOK || !strings.Contains(body, "危险废物") {
		t.Errorf("co-owned task page: status %d", code)
	}
}

func TestTaskPage_History(t *testing.T) {
	f := newFixture(t)
	link := f.link("", 0)
	code, h, body := f.get(link + "/t/4.1.2")
	if code != http.StatusOK {
		t.Fatalf("status %d:\n%s", code, body)
	}
	for _, want := range []string{"推进入海排污口排查整治", "张三", "更新进度", "进度：20 → 40", "状态：未开始 → 推进中", "正在排查",
		`href="../../` + strings.TrimPrefix(link, "/l/") + `"`, `href="../../../assets/ledger.css"`} {
		if !strings.Contains(body, want) {
			t.Errorf("task page lacks %q", want)
		}
	}
	checkHeaders(t, h)
	if code, _, body := f.get(link + "/t/9.9.9"); code != http.StatusNotFound || !strings.Contains(body, "9.9.9") {
		t.Errorf("missing task: status %d, body %q", code, body)
	}
}

func TestLedger_Stylesheet(t *testing.T) {
	f := newFixture(t)
	code, h, css := f.get("/assets/ledger.css")
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: status %d, type %q", code, h.Get("Content-Type"))
	}
	for _, want := range []string{"tabular-nums", "size: A4 landscape", "Noto Sans CJK SC", "PingFang SC", "@media print", "max-width: 720px"} {
		if !strings.Contains(css, want) {
			t.Errorf("stylesheet lacks %q", want)
		}
	}
	if strings.Contains(css, "http") || strings.Contains(css, "@import") {
		t.Errorf("stylesheet loads from elsewhere")
	}
}

// TestLedger_ReadsOnly: showing pages changes nothing in the file.
func TestLedger_ReadsOnly(t *testing.T) {
	f := newFixture(t)
	link := f.link("", 0)
	var before, after bytes.Buffer
	if _, err := f.db.WriteTo(&before); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{link, link + "?light=red", link + "/t/4.1.2", "/l/forged", link + "?page=x"} {
		f.get(p)
	}
	if _, err := f.db.WriteTo(&after); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Errorf("the database changed while pages were shown")
	}
}

func TestLinks_KeyMadeOnce(t *testing.T) {
	f := newFixture(t)
	a, b := f.link("", 0), f.link("执法局", 0)
	var key []byte
	f.db.View(func(tx *store.Tx) error { key = tx.WebKey(); return nil })
	for _, l := range []string{a, b} {
		scope, exp, err := web.Verify(key, strings.TrimPrefix(l, "/l/"), t0)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if !exp.Equal(t0.Add(web.DefaultTTL)) {
			t.Errorf("expiry %v, want %v", exp, t0.Add(web.DefaultTTL))
		}
		if l == b && scope != "执法局" {
			t.Errorf("scope %q", scope)
		}
	}
}

func TestVerify(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := web.Sign(key, "水生态环境处", t0.Add(time.Minute))
	if s, _, err := web.Verify(key, tok, t0); err != nil || s != "水生态环境处" {
		t.Errorf("Verify = %q, %v", s, err)
	}
	if _, _, err := web.Verify(key, tok, t0.Add(time.Minute)); err != web.ErrExpired {
		t.Errorf("at expiry: %v, want ErrExpired", err)
	}
	// Changing the scope (a department's link made into the whole ledger)
	// breaks the signature.
	other := web.Sign(key, "", t0.Add(time.Minute))
	if len(other) >= len(tok) {
		t.Fatal("scope not in the token")
	}
	for i := range tok {
		b := []byte(tok)
		b[i] ^= 0x20
		if _, _, err := web.Verify(key, string(b), t0); err == nil {
			t.Errorf("token with byte %d changed verified", i)
		}
	}
	if _, _, err := web.Verify(nil, tok, t0); err != web.ErrInvalid {
		t.Errorf("no key: %v", err)
	}
}

// TestLedger_CountsAsDigest: the headline, the lights and the chart's
// rows (numbers and order) are the digest's, as /stats shows them, for
// the bundled plan on several days of its year.
func TestLedger_CountsAsDigest(t *testing.T) {
	groupRE := regexp.MustCompile(`(?s)data-dept="([^"]*)">.*?<tspan class="done"[^>]*>(\d+)</tspan>.*?<tspan class="active"[^>]*>(\d+)</tspan>.*?<tspan class="overdue"[^>]*>(\d+)</tspan>`)
	for _, day := range []time.Time{t0.AddDate(0, -4, 0), t0, t0.AddDate(0, 6, 15)} {
		clk := storetest.NewClock(day)
		db := bundledDB(t, clk.Now)
		srv := &web.Server{DB: db, Words: bot.Lang("zh"), Lang: "zh", Loc: cst, Now: clk.Now}
		f := &fixture{t: t, db: db, clk: clk, srv: srv, h: srv.Handler()}
		_, _, body := f.get(f.link("", 0))
		var d schedule.Digest
		db.View(func(tx *store.Tx) error {
			s, err := schedule.LoadSnapshot(tx, nil, "zh", cst)
			d = schedule.BuildDigest(s, nil, nil, day)
			return err
		})
		for _, want := range []string{
			fmt.Sprintf(`id="n-tasks">%d<`, d.Total.Tasks), fmt.Sprintf(`id="n-done">%d<`, d.Total.Done),
			fmt.Sprintf(`（%d%%）`, d.Total.Pct), fmt.Sprintf(`id="n-overdue">%d<`, d.Total.Overdue),
			fmt.Sprintf("红灯 %d", d.Red), fmt.Sprintf("黄灯 %d", d.Yellow), fmt.Sprintf("绿灯 %d", d.Green),
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks the digest's %q", day.Format("2006-01-02"), want)
			}
		}
		var got, want []string
		for _, m := range groupRE.FindAllStringSubmatch(body, -1) {
			got = append(got, strings.Join(m[1:], " "))
		}
		for _, r := range d.Depts {
			want = append(want, fmt.Sprintf("%s %d %d %d", r.Dept, r.Done, r.InProgress, r.Overdue))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: chart rows\n%v\nwant the digest's\n%v", day.Format("2006-01-02"), got, want)
		}
	}
}

// TestLedger_AfterScan: the memory hand-back runs after a ledger page, not
// after a refused link or a task page.
func TestLedger_AfterScan(t *testing.T) {
	f := newFixture(t)
	n := 0
	f.srv.AfterScan = func() { n++ }
	link := f.link("", 0)
	for _, p := range []string{"/l/forged", link + "/t/4.1.2", link + "?light=blue"} {
		f.get(p)
	}
	if n != 0 {
		t.Errorf("AfterScan ran %d times without a ledger page", n)
	}
	f.get(link)
	if n != 1 {
		t.Errorf("AfterScan ran %d times after one ledger page, want 1", n)
	}
}

// TestLedger_Plans: with two plans the page offers a plan filter, and a
// plan's view counts that plan only.
func TestLedger_Plans(t *testing.T) {
	f := newFixture(t)
	err := f.db.Update(func(tx *store.Tx) error {
		if err := tx.PutPlan(&store.Plan{ID: "p2022", Title: "2022年生态环境工作要点", Year: 2022}); err != nil {
			return err
		}
		return tx.PutTask(&store.Task{ID: "1.1.1", PlanID: "p2022", Text: "建成全市碳排放监测网络", Lead: "执法局",
			Status: store.StatusNotStarted, Deadline: store.NewDate(2022, 6, 30)})
	})
	if err != nil {
		t.Fatal(err)
	}
	link := f.link("", 0)
	_, _, body := f.get(link)
	if !strings.Contains(body, `id="n-tasks">7<`) || !strings.Contains(body, `data-filter="plan"`) || !strings.Contains(body, "督办台账") {
		t.Errorf("all plans: want 7 tasks, a plan filter and the generic title")
	}
	_, _, body = f.get(link + "?plan=p2022")
	if !strings.Contains(body, `id="n-tasks">1<`) || !strings.Contains(body, "<title>2022年生态环境工作要点</title>") {
		t.Errorf("plan p2022: want its one task and its title")
	}
	if got := rowIDs(body); !slices.Equal(got, []string{"1.1.1"}) {
		t.Errorf("plan p2022 rows %v", got)
	}
}

// TestLedger_English: --lang en speaks the chat's English words.
func TestLedger_English(t *testing.T) {
	f := newFixture(t)
	f.srv.Words, f.srv.Lang = bot.Lang("en"), "en"
	f.h = f.srv.Handler()
	_, _, body := f.get(f.link("", 0))
	for _, want := range []string{`<html lang="en">`, "Tasks", "On-time rate", "By department", ">in progress<", ">blocked<", "2021-06-01 (14 days overdue)", "continuous (monthly report)"} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	code, _, body := f.get("/l/forged")
	if code != http.StatusForbidden || !strings.Contains(body, "not valid") {
		t.Errorf("English 403: %d %q", code, body)
	}
}
