package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

// BenchmarkImportSeed parses the bundled plan, suggests the leads and
// imports it into an empty (already opened) database in one fsynced
// transaction: what duban serve does on its first start with --plan bundled.
func BenchmarkImportSeed(b *testing.B) {
	doc := seeds.Bundled()
	depts := seeds.Departments()
	dir := b.TempDir()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	tasks := 0
	for b.Loop() {
		b.StopTimer() // opening and migrating the empty file is not the import
		path := filepath.Join(dir, "import.db")
		db, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		err = db.Update(func(tx *store.Tx) error {
			for _, d := range depts {
				if err := tx.AddDepartment(d); err != nil {
					return err
				}
			}
			plan, ts, err := seeds.Parse(doc, seeds.BundledName)
			if err != nil {
				return err
			}
			seeds.SuggestOwners(ts)
			if err := tx.PutPlan(plan); err != nil {
				return err
			}
			res, err := tx.ImportTasks(ts, nil, store.Actor{Via: "import", Name: "bench"}, "bench")
			tasks = res.Created
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		os.Remove(path)
		b.StartTimer()
	}
	b.ReportMetric(float64(tasks), "tasks")
}
