package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/web"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// benchDepts are the 20 departments of the store's own 100k benchmarks.
var benchDepts = []string{
	"办公室", "综合处", "法规与标准处", "行政审批办公室", "大气环境与应对气候变化处",
	"水生态环境处", "海洋生态环境处", "固体废物与土壤生态环境处", "自然生态保护处", "核与辐射安全监管处",
	"环境影响评价与排放管理处", "生态环境监测处", "宣传教育处", "人事处", "机关党委",
	"执法局", "科技与财务处", "督察办公室", "应急中心", "信息中心",
}

var big struct {
	once sync.Once
	dir  string
	db   *store.DB
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if big.db != nil {
		big.db.Close()
	}
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
	os.Exit(code)
}

// bigDB is 100,000 generated tasks (storetest.Task, deadlines over 2021,
// ~60% finished) of one plan, as the store's benchmarks use.
func bigDB(b *testing.B) *store.DB {
	b.Helper()
	big.once.Do(func() {
		if big.dir, big.err = os.MkdirTemp("", "duban-web-bench-*"); big.err != nil {
			return
		}
		if big.db, big.err = store.Open(filepath.Join(big.dir, "duban.db"), store.Options{NoSync: true, Now: func() time.Time { return t0 }}); big.err != nil {
			return
		}
		r := rand.New(rand.NewPCG(1, 2))
		const n, perTx = 100_000, 10_000
		for start := 0; start < n && big.err == nil; start += perTx {
			big.err = big.db.Update(func(tx *store.Tx) error {
				if start == 0 {
					for _, d := range benchDepts {
						if err := tx.AddDepartment(d); err != nil {
							return err
						}
					}
					if err := tx.PutPlan(&store.Plan{ID: "2021", Title: "2021年工作要点", Year: 2021}); err != nil {
						return err
					}
				}
				for i := start; i < start+perTx; i++ {
					if err := tx.PutTask(storetest.Task(i, r, benchDepts, 2021)); err != nil {
						return err
					}
				}
				return nil
			})
		}
	})
	if big.err != nil {
		b.Fatalf("generate: %v", big.err)
	}
	return big.db
}

// cpuTime is the CPU time this process has used (user + system, GC
// included). On the shared, loaded machine wall time per op swings several
// times; CPU time per op is what a page costs (as store's benchmarks).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchLink signs a link for db valid at t0.
func benchLink(b *testing.B, db *store.DB, scope string) string {
	b.Helper()
	var u string
	err := db.Update(func(tx *store.Tx) error {
		var err error
		u, _, err = web.Links{BaseURL: ""}.Link(tx, scope, t0)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return u
}

// benchPages measures whole requests (routing, token check, the read
// transaction, the scan, the template) on paths; memory handback (serve's
// AfterScan) is not included.
func benchPages(b *testing.B, db *store.DB, paths map[string]string) {
	srv := &web.Server{DB: db, Words: bot.Lang("zh"), Lang: "zh", Loc: cst, Now: func() time.Time { return t0 }}
	h := srv.Handler()
	for name, path := range paths {
		b.Run(name, func(b *testing.B) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="n-tasks"`) && !strings.Contains(name, "Task") {
				b.Fatalf("%s: status %d", path, rec.Code)
			}
			b.SetBytes(int64(rec.Body.Len()))
			b.ReportAllocs()
			b.ResetTimer()
			start := cpuTime()
			for range b.N {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkLedger100k is the page over 100,000 tasks: the whole ledger
// (first page and a deep one), a filter, a department's link and a task.
func BenchmarkLedger100k(b *testing.B) {
	db := bigDB(b)
	all := benchLink(b, db, "")
	benchPages(b, db, map[string]string{
		"All":        all,
		"AllPage500": all + "?page=500",
		"FilterRed":  all + "?light=red&dept=%E6%89%A7%E6%B3%95%E5%B1%80",
		"DeptLink":   benchLink(b, db, "执法局"),
		"Task":       all + "/t/50.10.25",
	})
}

// BenchmarkLedgerBundled is the page of the bundled plan (86 tasks).
func BenchmarkLedgerBundled(b *testing.B) {
	db := bundledDB(b, func() time.Time { return t0 })
	benchPages(b, db, map[string]string{"All": benchLink(b, db, ""), "Task": benchLink(b, db, "") + "/t/4.1.3"})
}
