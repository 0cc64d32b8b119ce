package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/bot/web"
	"github.com/duban-bureau/duban/store"
)

// chromium finds Debian's chromium (or DUBAN_CHROMIUM), skipping the test
// with the way to get it when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DUBAN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("the browser test needs chromium: apt-get install -y chromium fonts-noto-cjk (.ci/run installs it), or set DUBAN_CHROMIUM")
	return ""
}

// browser starts headless chromium with a fresh profile, flags fit for root
// in a container, and no network of its own.
func browser(t *testing.T, exe string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.UserDataDir(t.TempDir()),
		// The page must work with JavaScript off: the page's own scripts are
		// off (DevTools' reads still run).
		chromedp.Flag("blink-settings", "scriptEnabled=false"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancel() })
	return bctx
}

var (
	statsRE  = regexp.MustCompile(`共 (\d+) 项，已完成 (\d+) 项（(\d+)%），逾期 (\d+) 项`)
	ledgerRE = regexp.MustCompile(`http://[^\s"<]+/l/([A-Za-z0-9_-]+)`)
)

// TestWeb_Browser: the real binary with --web, a link from /ledger through
// the fake Bot API, and the page in headless Chromium: the headline equals
// /stats, one bar group per department of /stats, a filter link narrows
// the table, an expired link shows the 403 page. Screenshots at phone and
// desktop widths go to the test's temp dir (and to DUBAN_SCREENSHOTS when
// set, which is how docs/ledger.png is made).
func TestWeb_Browser(t *testing.T) {
	exe := chromium(t)
	fake := telegramtest.NewServer()
	defer fake.Close()
	db := dbPath(t)
	// The key is made before the start, so the test can sign an expired
	// link with it: the server's clock is the real one, and an expiry in
	// the past is how the test moves it, without sleeping.
	var key []byte
	{
		d, err := store.Open(db, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		d.Update(func(tx *store.Tx) error { key, err = tx.EnsureWebKey(); return err })
		d.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	addr := freePort(t)
	p := serve(t, fake, db, nil, "--web", addr, "--web-url", "http://"+addr)
	admin := telegramtest.User{ID: 1, FirstName: "管理员"}
	ask := func(text, want string) string {
		t.Helper()
		n := repliesTo(fake, 1, want)
		fake.SendText(admin, telegramtest.Chat{}, text)
		waitFake(t, fake, p, 30*time.Second, "the answer to "+text, func(s *telegramtest.Server) bool { return repliesTo(s, 1, want) > n })
		var last string
		for _, m := range fake.Sent(1) {
			if strings.Contains(m.Text, want) {
				last = m.Text
			}
		}
		return last
	}
	// Some work done, so every bar and light has something to show.
	for _, id := range []string{"4.1.3", "3.1.2", "3.2.1", "3.2.2", "4.1.1", "4.4.1", "5.1.1", "6.1.1", "6.2.1", "6.4.1", "7.1.1"} {
		ask("/done "+id, id)
	}
	for _, id := range []string{"4.2.1", "3.2.3", "4.3.1", "5.3.1", "6.4.2", "7.2.1"} {
		ask("/progress "+id+" 60%", id)
	}
	ask("/blocked 4.2.2 资金尚未到位", "4.2.2")
	stats := ask("/stats", "各单位进展")
	link := ledgerRE.FindString(ask("/ledger", "网页台账"))
	if link == "" {
		t.Fatalf("no link in the /ledger answer")
	}
	m := statsRE.FindStringSubmatch(stats)
	if m == nil {
		t.Fatalf("no totals in /stats:\n%s", stats)
	}
	// The department table: the lines between its header and 合计.
	deptRows, inTable := 0, false
	for _, line := range strings.Split(stats, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) > 0 && f[0] == "单位":
			inTable = true
		case len(f) > 0 && f[0] == "合计":
			inTable = false
		case inTable && len(f) > 1:
			deptRows++
		}
	}
	if deptRows == 0 {
		t.Fatalf("no department rows in /stats:\n%s", stats)
	}

	// The headers, from the binary itself.
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for k, want := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}

	ctx := browser(t, exe)
	dir := t.TempDir()
	shoot := func(name string, width, height int64) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("tasks"))); err != nil {
			t.Fatal(err)
		}
		// The first screen as a user sees it, and the whole page.
		for _, shot := range []struct {
			file string
			take chromedp.Action[[]byte]
		}{{name + ".png", chromedp.CaptureScreenshot()}, {name + "-full.png", chromedp.FullScreenshot(100)}} {
			png, err := chromedp.Run(ctx, shot.take)
			if err != nil {
				t.Fatal(err)
			}
			if len(png) < 10_000 || string(png[1:4]) != "PNG" {
				t.Errorf("%s: %d bytes, not a page's PNG", shot.file, len(png))
			}
			for _, d := range []string{dir, os.Getenv("DUBAN_SCREENSHOTS")} {
				if d != "" {
					if err := os.WriteFile(filepath.Join(d, shot.file), png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	shoot("ledger-phone", 390, 844)
	shoot("ledger-desktop", 1280, 900)

	text := func(id string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
		if err != nil {
			t.Fatalf("#%s: %v", id, err)
		}
		return strings.TrimSpace(s)
	}
	count := func(sel string) int {
		t.Helper()
		nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return len(nodes)
	}
	t.Run("HeadlineIsStats", func(t *testing.T) {
		for id, want := range map[string]string{"n-tasks": m[1], "n-done": m[2], "n-overdue": m[4]} {
			if got := text(id); got != want {
				t.Errorf("#%s = %q, /stats says %s", id, got, want)
			}
		}
		if n := count("script, iframe, object, embed"); n != 0 {
			t.Errorf("the page has %d script or embedded elements; it must work without", n)
		}
		if n, _ := strconv.Atoi(m[2]); n < 1 {
			t.Errorf("/done 4.1.3 did not count: %s", stats)
		}
	})
	t.Run("OneBarGroupPerDepartment", func(t *testing.T) {
		if got := count("#chart g.dept"); got != deptRows || got == 0 {
			t.Errorf("%d bar groups, /stats has %d departments", got, deptRows)
		}
		if got := count("#chart g.dept rect.bar"); got != 3*deptRows {
			t.Errorf("%d bars, want 3 per department", got)
		}
	})
	t.Run("FilterNarrows", func(t *testing.T) {
		before := count("#tasks tr.task")
		// A department's filter link, as a user taps it.
		const sel = `a[data-filter="dept"][href*="dept="]`
		dept := text2(t, ctx, sel)
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS(`a[data-filter="dept"].active[href*="dept="]`))); err != nil {
			t.Fatal(err)
		}
		after := count("#tasks tr.task")
		if after == 0 || after >= before {
			t.Errorf("the filter for %s left %d of %d rows", dept, after, before)
		}
		owners, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#tasks td.owners')].map(td => td.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range owners {
			if !strings.Contains(o, dept) {
				t.Errorf("row of %q under the filter for %s", o, dept)
			}
		}
		if got := text("n-tasks"); got != m[1] {
			t.Errorf("the filter changed the headline to %s", got)
		}
	})
	t.Run("ExpiredLink", func(t *testing.T) {
		base := link[:strings.Index(link, "/l/")]
		expired := base + "/l/" + web.Sign(key, "", time.Now().Add(-time.Minute))
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(expired))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != http.StatusForbidden {
			t.Errorf("status %d, want 403", resp.Status)
		}
		if got := text("message"); !strings.Contains(got, "已过期") || !strings.Contains(got, "/ledger") {
			t.Errorf("403 page says %q", got)
		}
		if n := count("#tasks, #chart, td"); n != 0 {
			t.Errorf("the 403 page shows %d task elements", n)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err == nil {
			os.WriteFile(filepath.Join(dir, "ledger-403.png"), png, 0o644)
		}
	})
	t.Logf("screenshots in %s", dir)
	p.stop(20 * time.Second)
}

// text2 reads the text of the first element matching a CSS selector.
func text2(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("%s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}
