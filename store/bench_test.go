package store_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// bigTasks is the size of the generated store the read benchmarks run on.
const bigTasks = 100_000

var big struct {
	once sync.Once
	dir  string
	db   *store.DB
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if big.db != nil {
		// The shared store gets the same tx.Check as every MustOpenDB.
		if err := big.db.Check(); err != nil {
			fmt.Fprintf(os.Stderr, "check of the %d-task store: %v\n", bigTasks, err)
			code = 1
		}
		big.db.Close()
	}
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
	os.Exit(code)
}

// benchDepts are the 20 departments the generated tasks are spread over.
var benchDepts = []string{
	"办公室", "综合处", "法规与标准处", "行政审批办公室", "大气环境与应对气候变化处",
	"水生态环境处", "海洋生态环境处", "固体废物与土壤生态环境处", "自然生态保护处", "核与辐射安全监管处",
	"环境影响评价与排放管理处", "生态环境监测处", "宣传教育处", "人事处", "机关党委",
	"执法局", "科技与财务处", "督察办公室", "应急中心", "信息中心",
}

// benchTask returns the i-th generated task (storetest.Task), deadlines
// over 2021.
func benchTask(i int, r *rand.Rand) *store.Task { return storetest.Task(i, r, benchDepts, 2021) }

// bigDB returns the shared store of bigTasks generated tasks, each with one
// import history entry, loaded in transactions of 10,000 tasks.
func bigDB(b *testing.B) *store.DB {
	b.Helper()
	big.once.Do(func() {
		if big.dir, big.err = os.MkdirTemp("", "duban-bench-*"); big.err != nil {
			return
		}
		clk := storetest.NewClock(t0)
		if big.db, big.err = store.Open(filepath.Join(big.dir, "duban.db"), store.Options{Now: clk.Now}); big.err != nil {
			return
		}
		r := rand.New(rand.NewPCG(1, 2))
		const perTx = 10_000
		for start := 0; start < bigTasks && big.err == nil; start += perTx {
			big.err = big.db.Update(func(tx *store.Tx) error {
				if start == 0 {
					for _, d := range benchDepts {
						if err := tx.AddDepartment(d); err != nil {
							return err
						}
					}
				}
				for i := start; i < start+perTx; i++ {
					t := benchTask(i, r)
					if err := tx.PutTask(t); err != nil {
						return err
					}
					if err := tx.AppendHistory(&store.HistoryEntry{TaskID: t.ID, By: store.Actor{Via: "import"}, Kind: "import"}); err != nil {
						return err
					}
				}
				return nil
			})
		}
	})
	if big.err != nil {
		b.Fatalf("generate %d tasks: %v", bigTasks, big.err)
	}
	return big.db
}

func BenchmarkOverdue100k(b *testing.B) {
	db := bigDB(b)
	on := store.NewDate(2021, 7, 1)
	n := 0
	cpu := cpuTime()
	for b.Loop() {
		if err := db.View(func(tx *store.Tx) error {
			tasks, err := tx.OverdueTasks(on)
			n = len(tasks)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(n), "tasks/op")
}

func BenchmarkDeptTasks100k(b *testing.B) {
	db := bigDB(b)
	for _, co := range []bool{false, true} {
		name := "lead"
		if co {
			name = "lead+co"
		}
		b.Run(name, func(b *testing.B) {
			n := 0
			cpu := cpuTime()
			for b.Loop() {
				if err := db.View(func(tx *store.Tx) error {
					tasks, err := tx.TasksByDept(benchDepts[5], co)
					n = len(tasks)
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(n), "tasks/op")
		})
	}
}

// BenchmarkDBSize100k reports the file size per task of the generated store
// (target: under 2 KB per task).
func BenchmarkDBSize100k(b *testing.B) {
	db := bigDB(b)
	var size int64
	for b.Loop() {
		size = db.Size()
	}
	b.ReportMetric(float64(size)/bigTasks, "bytes/task")
}

// benchSaveDB returns a fresh store of 1,000 tasks for the write benchmarks.
func benchSaveDB(b *testing.B) *store.DB {
	b.Helper()
	db := MustOpenDB(b)
	r := rand.New(rand.NewPCG(3, 4))
	mustUpdate(b, db, func(tx *store.Tx) error {
		for i := 0; i < 1000; i++ {
			if err := tx.PutTask(benchTask(i, r)); err != nil {
				return err
			}
		}
		return nil
	})
	return db
}

// saveOne changes task i%1000 and saves it with a history entry. It only
// reads and writes inside tx, so Batch may run it twice.
func saveOne(tx *store.Tx, i int) error {
	id := fmt.Sprintf("%d.%d.%d", 1, i%1000/50%20+1, i%50+1)
	t, err := tx.Task(id)
	if err != nil {
		return err
	}
	t.Latest = "第" + strconv.Itoa(i) + "次更新：" + strings.Repeat("进展", 10)
	t.Progress = i % 101
	_, err = tx.SaveTask(t, alice, "progress", "")
	return err
}

// BenchmarkSaveTask is one Update (two fsyncs) per saved task: the raw
// bbolt write rate duban's one-writer design lives with.
func BenchmarkSaveTask(b *testing.B) {
	db := benchSaveDB(b)
	i := 0
	for b.Loop() {
		i++
		if err := db.Update(func(tx *store.Tx) error { return saveOne(tx, i) }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
}

// BenchmarkBatchSave saves through DB.Batch from 100 goroutines, which
// bbolt coalesces into shared commits.
func BenchmarkBatchSave(b *testing.B) {
	db := benchSaveDB(b)
	var n atomic.Int64
	b.SetParallelism((100 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			if err := db.Batch(func(tx *store.Tx) error { return saveOne(tx, i) }); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
}

// BenchmarkOverduePage100k is what /overdue does: the count of all overdue
// tasks and the 100 oldest, decoded.
func BenchmarkOverduePage100k(b *testing.B) {
	db := bigDB(b)
	on := store.NewDate(2021, 7, 1)
	n, total := 0, 0
	cpu := cpuTime()
	for b.Loop() {
		if err := db.View(func(tx *store.Tx) error {
			tasks, all, err := tx.OpenTasksDuePage(1, on.AddDays(-1), 100)
			n, total = len(tasks), all
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(n), "tasks/op")
	b.ReportMetric(float64(total), "overdue")
}

// BenchmarkDeptOpenPage100k is what /my does: one department's open tasks
// by deadline, the first 100 decoded, and their count.
func BenchmarkDeptOpenPage100k(b *testing.B) {
	db := bigDB(b)
	n, total := 0, 0
	cpu := cpuTime()
	for b.Loop() {
		if err := db.View(func(tx *store.Tx) error {
			tasks, all, err := tx.DeptOpenPage(benchDepts[5], 100)
			n, total = len(tasks), all
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(n), "tasks/op")
	b.ReportMetric(float64(total), "open")
}

// BenchmarkOverdueList100k is the list build of `duban tasks --overdue`:
// every overdue task's row (18,767 of 100k) from the summaries in the
// deadline index, without a record lookup each.
func BenchmarkOverdueList100k(b *testing.B) {
	db := bigDB(b)
	on := store.NewDate(2021, 7, 1)
	n := 0
	cpu := cpuTime()
	for b.Loop() {
		if err := db.View(func(tx *store.Tx) error {
			tasks, err := tx.OverdueRows(on)
			n = len(tasks)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(n), "tasks/op")
}
