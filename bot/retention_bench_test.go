package bot_test

import (
	"context"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// BenchmarkRetention_Year runs a simulated year of duban serve on the
// bundled plan (2021), one contact per department and a coordinator: the
// runner ticks three times a day with store.DefaultRetention (so it prunes
// once a day), every queued message is delivered through the sent log and
// folded, and 50 updates a day come in (/my and /list from the contacts and
// the coordinator, each answered). It reports the database file's size
// after the first week and after 365 days and their ratio (the issue's
// limit is 2), the same for the part of the file bbolt uses (the file
// itself grows in powers of two), and the largest the sent log grew
// between folds.
//
// Run: go test -run '^$' -bench Retention_Year -benchtime 1x -count 3 ./bot/
func BenchmarkRetention_Year(b *testing.B) {
	for range b.N {
		week, year, sentMax, delivered := simulateYear(b)
		b.ReportMetric(float64(week.file), "week_file_bytes")
		b.ReportMetric(float64(year.file), "year_file_bytes")
		b.ReportMetric(float64(year.file)/float64(week.file), "file_ratio")
		b.ReportMetric(float64(week.used), "week_used_bytes")
		b.ReportMetric(float64(year.used), "year_used_bytes")
		b.ReportMetric(float64(year.used)/float64(week.used), "used_ratio")
		b.ReportMetric(float64(sentMax), "sentlog_max_bytes")
		b.ReportMetric(float64(delivered), "delivered")
	}
}

// sizes is the database file's size and the part bbolt has used (its
// high-water mark: the file grows in powers of two up to 16 MB).
type sizes struct{ file, used int64 }

func simulateYear(b *testing.B) (week, year sizes, sentMax int64, delivered int) {
	b.Helper()
	clk := storetest.NewClock(time.Date(2021, 1, 4, 0, 0, 0, 0, shanghai))
	path := filepath.Join(b.TempDir(), "duban.db")
	db, err := store.Open(path, store.Options{Now: clk.Now, NoSync: true, MaxBatchDelay: time.Microsecond})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var users []int64
	err = db.Update(func(tx *store.Tx) error {
		for _, d := range seeds.Departments() {
			if err := tx.AddDepartment(d); err != nil {
				return err
			}
		}
		im, err := intake.Read(tx, seeds.BundledName, seeds.Bundled(), intake.Options{})
		if err != nil {
			return err
		}
		if _, err := im.Apply(tx, intake.ApplyOptions{By: store.Actor{Via: "system", Name: "bench"}}); err != nil {
			return err
		}
		for i, d := range tx.DepartmentNames() {
			id := int64(800_000_001 + i)
			users = append(users, id)
			if err := tx.PutContact(&store.Contact{UserID: id, ChatID: id, Name: "联络员", Dept: d, Role: store.RoleContact}); err != nil {
				return err
			}
		}
		users = append(users, 800_000_000)
		return tx.PutContact(&store.Contact{UserID: 800_000_000, ChatID: 800_000_000, Name: "督办员", Role: store.RoleCoordinator})
	})
	if err != nil {
		b.Fatal(err)
	}
	sent, err := store.OpenSentLog(db)
	if err != nil {
		b.Fatal(err)
	}
	defer sent.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	policy, cal := schedule.DefaultPolicy(), schedule.NewCalendar()
	runner := &schedule.Runner{DB: db, Policy: policy, Cal: cal, Loc: shanghai, Lang: "zh", Admins: []int64{adminU.ID},
		Now: clk.Now, Logger: logger, Retention: store.DefaultRetention}
	app := &bot.App{DB: db, Admins: store.Admins{adminU.ID}, Lang: "zh", Loc: shanghai, BotName: "duban_bot", BotID: 1,
		Logger:   logger,
		Reporter: &schedule.Reporter{Policy: policy, Cal: cal, Loc: shanghai, Lang: "zh", Admins: []int64{adminU.ID}}}
	msgID := 0
	deliver := func() {
		var keys []string
		db.View(func(tx *store.Tx) error {
			ms, err := tx.Pending(math.MaxInt)
			for _, m := range ms {
				keys = append(keys, m.Key)
			}
			return err
		})
		for _, k := range keys {
			msgID++
			if err := sent.Record(k, msgID); err != nil {
				b.Fatal(err)
			}
		}
		if fi, err := os.Stat(path + ".sent"); err == nil && fi.Size() > sentMax {
			sentMax = fi.Size()
		}
		if err := sent.Flush(); err != nil {
			b.Fatal(err)
		}
		delivered += len(keys)
	}
	size := func() sizes {
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		return sizes{file: fi.Size(), used: db.Size()}
	}
	ctx := context.Background()
	update := int64(1)
	start := clk.Now()
	for d := range 365 {
		for _, hm := range []time.Duration{30 * time.Minute, 9*time.Hour + 5*time.Minute, 18*time.Hour + 5*time.Minute} {
			clk.Set(start.AddDate(0, 0, d).Add(hm))
			if err := runner.Tick(ctx); err != nil {
				b.Fatal(err)
			}
			deliver()
		}
		for i := range 50 {
			clk.Set(start.AddDate(0, 0, d).Add(10*time.Hour + time.Duration(i)*time.Minute))
			u := users[i%len(users)]
			text := "/my"
			if i%2 == 1 {
				text = "/list"
			}
			msgID++
			res := app.Handle(ctx, bot.Request{UpdateID: update, UserID: u, ChatID: u, MessageID: msgID, Name: "联络员", Text: text})
			if res.Outcome != "ok" {
				b.Fatalf("day %d update %d (%s): %+v", d, update, text, res)
			}
			update++
		}
		deliver()
		if d == 6 {
			week = size()
		}
	}
	if err := db.Check(); err != nil {
		b.Fatal(err)
	}
	return week, size(), sentMax, delivered
}
