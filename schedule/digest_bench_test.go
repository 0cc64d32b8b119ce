package schedule_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// BenchmarkDigest_100k builds the weekly digest over 100,000 generated
// tasks (storetest, as dubanbench gen writes them). "stream" is what the
// runner, /digest and `duban digest` do (LoadDigestSnapshot: the open
// tasks are decoded one at a time); "snapshot" decodes every open task
// first (LoadSnapshot), as the digest did before. peak_heap_MB is the
// largest live-object heap seen during a build (runtime/metrics, sampled
// every 200 µs, the collector on as in production) above the heap before
// it; alloc_MB/op is every byte one build allocated; text_KB is the
// digest's size.
// Set DUBAN_BENCH_DB to a database from `dubanbench gen` to skip the
// generation (about 30 s).
//
// Run: go test -run '^$' -bench Digest_100k -benchtime 5x -count 5 ./schedule/
func BenchmarkDigest_100k(b *testing.B) {
	path := os.Getenv("DUBAN_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "duban.db")
		genTasks(b, path, 100_000)
	}
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(time.Now().Year(), 12, 2, 9, 0, 0, 0, loc)
	p := schedule.DefaultPolicy()
	for _, mode := range []string{"stream", "snapshot"} {
		b.Run(mode, func(b *testing.B) { benchDigest(b, db, p, now, loc, mode == "stream") })
	}
}

func benchDigest(b *testing.B, db *store.DB, p schedule.Policy, now time.Time, loc *time.Location, stream bool) {
	var alloc, textKB, peak float64
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	read := func() (live, allocs uint64) {
		metrics.Read(sample)
		return sample[0].Value.Uint64(), sample[1].Value.Uint64()
	}
	for range b.N {
		runtime.GC()
		base, allocBefore := read()
		stop, done := make(chan struct{}), make(chan uint64)
		go func() {
			var max uint64
			t := time.NewTicker(200 * time.Microsecond)
			defer t.Stop()
			for {
				if live, _ := read(); live > max {
					max = live
				}
				select {
				case <-stop:
					done <- max
					return
				case <-t.C:
				}
			}
		}()
		db.View(func(tx *store.Tx) error {
			load := func() (schedule.Snapshot, error) { return schedule.LoadDigestSnapshot(tx, p, nil, "zh", loc) }
			if !stream {
				load = func() (schedule.Snapshot, error) { return schedule.LoadSnapshot(tx, nil, "zh", loc) }
			}
			s, err := load()
			if err != nil {
				b.Fatal(err)
			}
			d, err := schedule.BuildDigestTx(tx, s, nil, now)
			if err != nil {
				b.Fatal(err)
			}
			textKB = float64(len(d.Text("zh"))) / 1024
			return nil
		})
		close(stop)
		max := <-done
		_, allocAfter := read()
		alloc += float64(allocAfter-allocBefore) / (1 << 20)
		if m := float64(max-min(max, base)) / (1 << 20); m > peak {
			peak = m
		}
	}
	b.ReportMetric(alloc/float64(b.N), "alloc_MB/op")
	b.ReportMetric(peak, "peak_heap_MB")
	b.ReportMetric(textKB, "text_KB")
}

// genTasks writes n generated tasks (20 departments) in transactions of 10,000.
func genTasks(b *testing.B, path string, n int) {
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	depts := seeds.Departments() // all 17: slicing to 20 read past the list
	year := time.Now().Year()
	r := rand.New(rand.NewPCG(1, 2))
	for from := 0; from < n; from += 10_000 {
		err := db.Update(func(tx *store.Tx) error {
			var ts []*store.Task
			for i := from; i < min(from+10_000, n); i++ {
				ts = append(ts, storetest.Task(i, r, depts, year))
			}
			_, err := tx.ImportTasks(ts, nil, store.Actor{Via: "import"}, "generated")
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
