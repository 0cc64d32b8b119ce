package bot_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
	"github.com/duban-bureau/duban/store/storetest"
)

// listCSV is a generated responsibility list of n rows as a CSV export.
func listCSV(tb testing.TB, n int) []byte {
	tb.Helper()
	r := rand.New(rand.NewPCG(9, 9))
	depts := seeds.Departments()
	tasks := make([]*store.Task, n)
	for i := range tasks {
		tasks[i] = storetest.Task(i, r, depts, 2021)
		tasks[i].ID = fmt.Sprintf("%d.%d.%d", i/10000+1, i/100%100+1, i%100+1)
	}
	var b bytes.Buffer
	if err := listfile.WriteCSV(&b, tasks); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// cnNum writes 1..99 in Chinese numerals, as plan headings do.
func cnNum(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return d[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + d[n%10]
	}
	return d[n/10] + "十" + d[n%10]
}

// planText is a generated 工作要点 of n task sentences: sections of
// subsections of 100 sentences each, in the bundled plan's style.
func planText(n int) []byte {
	var b strings.Builder
	b.WriteString("2021年生态环境工作要点\n\n")
	objects := []string{"挥发性有机物综合治理", "入海排污口排查整治", "饮用水水源地规范化建设", "农村生活污水治理"}
	for i := 0; i < n; i++ {
		if i%5000 == 0 {
			fmt.Fprintf(&b, "%s、深入打好污染防治攻坚战\n", cnNum(i/5000+1))
		}
		if i%100 == 0 {
			fmt.Fprintf(&b, "（%s）精准推进污染防治\n", cnNum(i/100%50+1))
		}
		fmt.Fprintf(&b, "年底前完成%d家企业%s。", i%90+10, objects[i%len(objects)])
		if i%100 == 99 {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

// cpuTime is the process's user + system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImportRows measures what `duban import` and a confirmed chat
// import do: read the file, validate every row, write every task with its
// history and indexes in one transaction, commit. ns/row should stay flat
// from 1k to 100k rows.
func BenchmarkImportRows(b *testing.B) {
	for _, kind := range []string{"csv", "plan"} {
		for _, n := range []int{1000, 10000, 100000} {
			var data []byte
			name := "list.csv"
			if kind == "csv" {
				data = listCSV(b, n)
			} else {
				data, name = planText(n), "plan.txt"
			}
			b.Run(fmt.Sprintf("%s/%dk", kind, n/1000), func(b *testing.B) {
				dir := b.TempDir()
				rows := 0
				var cpu time.Duration
				for b.Loop() {
					b.StopTimer()
					path := filepath.Join(dir, "import.db")
					db, err := store.Open(path, store.Options{})
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					c0 := cpuTime()
					err = db.Update(func(tx *store.Tx) error {
						for _, d := range seeds.Departments() {
							if err := tx.AddDepartment(d); err != nil {
								return err
							}
						}
						im, err := intake.Load(name, data, 2021, tx.DepartmentNames(), "", intake.Options{})
						if err != nil {
							return err
						}
						res, err := im.Apply(tx, intake.ApplyOptions{By: store.Actor{Via: "bench"}})
						if err == nil {
							rows = len(res.Created)
						}
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
					cpu += cpuTime() - c0
					b.StopTimer()
					db.Close()
					os.Remove(path)
					b.StartTimer()
				}
				if rows != n {
					b.Fatalf("imported %d rows, want %d", rows, n)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
				// CPU time is what the shared 2-core machine measures reliably.
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/row")
			})
		}
	}
}
