package intake_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
	"github.com/duban-bureau/duban/store/storetest"
)

// BenchmarkPreview_OldExport times what the chat does with an old export
// of n tasks every one of which changed since (the worst case of the
// conflict check: each row's history is read): intake.Read + Preview.
func BenchmarkPreview_OldExport(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			now := t0
			db, err := store.Open(filepath.Join(b.TempDir(), "d.db"), store.Options{NoSync: true, Now: func() time.Time { return now }})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			r := rand.New(rand.NewPCG(1, 2))
			var export bytes.Buffer
			err = db.Update(func(tx *store.Tx) error {
				for _, d := range seeds.Departments() {
					if err := tx.AddDepartment(d); err != nil {
						return err
					}
				}
				tasks := make([]*store.Task, n)
				for i := range tasks {
					tasks[i] = storetest.Task(i, r, seeds.Departments(), 2026)
					tasks[i].ID = fmt.Sprintf("%d.%d.%d", i/10000+1, i/100%100+1, i%100+1)
				}
				if _, err := tx.ImportTasks(tasks, nil, store.Actor{Via: "bench"}, "bench"); err != nil {
					return err
				}
				stored, err := tx.Tasks()
				if err != nil {
					return err
				}
				for _, t := range stored {
					t.UpdatedAt = t.UpdatedAt.In(cst)
				}
				return listfile.WriteCSV(&export, stored)
			})
			if err != nil {
				b.Fatal(err)
			}
			now = t0.Add(time.Hour)
			err = db.Update(func(tx *store.Tx) error {
				stored, err := tx.Tasks()
				for _, t := range stored {
					t.Progress = (t.Progress + 1) % 101
					if _, err := tx.SaveTask(t, store.Actor{Via: "telegram", Name: "联络员"}, "progress", ""); err != nil {
						return err
					}
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				err := db.View(func(tx *store.Tx) error {
					im, err := intake.Read(tx, "旧清单.csv", export.Bytes(), intake.Options{Loc: cst})
					if err != nil {
						return err
					}
					rep, err := im.Preview(tx)
					if err == nil && len(rep.Conflicts) != n {
						b.Fatalf("%d conflicts, want %d", len(rep.Conflicts), n)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/row")
		})
	}
}
