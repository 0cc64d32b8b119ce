// Command dubanbench is the harness for the benchmarks that need a whole
// duban process (docs/BENCHMARKS.md):
//
//	dubanbench gen -db FILE [-tasks 100000] [-tick=true]
//	    writes a database of generated tasks with the store package:
//	    20 departments, a plan, every task with its import history entry
//	    and a third of them with a progress entry. With -tick (default) it
//	    also leaves the schedule state of a bot that last ticked just before
//	    the latest working day's reminder time, so the first tick of duban
//	    serve decides that day's reminders from a snapshot (without it a
//	    fresh database skips the first scan and "RSS while polling" never
//	    sees the schedule); coordinator messages go to a group, not to the
//	    admin whose answers startup counts.
//	dubanbench startup -duban BIN -db FILE [-runs 5] [-settle 3s]
//	    starts `BIN serve` on a copy of FILE against the fake Bot API
//	    (bot/telegramtest) and reports the time from exec to the first
//	    getUpdates the fake answered, and VmRSS after polling for -settle
//	    and again after /overdue, /stats and /digest were handled.
//
// It owns only the harness: the databases it writes and the process it
// measures. It may import store, store/storetest, seeds, schedule and
// bot/telegramtest; it runs duban as a separate binary, so it imports no
// chat or Telegram code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dubanbench gen|startup [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = runGen(os.Args[2:])
	case "startup":
		err = runStartup(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dubanbench:", err)
		os.Exit(1)
	}
}

func runGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	path := fs.String("db", "", "database file to create (under os.TempDir(), never in the repository)")
	n := fs.Int("tasks", 100_000, "number of tasks")
	tick := fs.Bool("tick", true, "leave schedule state so that serve's first tick decides a day of reminders")
	fs.Parse(args)
	if *path == "" {
		return errors.New("gen: -db is required")
	}
	if _, err := os.Stat(*path); err == nil {
		return fmt.Errorf("gen: %s exists", *path)
	}
	start := time.Now()
	db, err := store.Open(*path, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	depts := seeds.Departments() // every bundled department (17; slicing to 20 read past the list into empty names)
	year := time.Now().Year()
	r := rand.New(rand.NewPCG(1, 2))
	const perTx = 10_000
	for from := 0; from < *n; from += perTx {
		err := db.Update(func(tx *store.Tx) error {
			if from == 0 {
				for _, d := range seeds.Departments() {
					if err := tx.AddDepartment(d); err != nil {
						return err
					}
				}
				if err := tx.PutPlan(&store.Plan{ID: strconv.Itoa(year), Title: fmt.Sprintf("%d年全市生态环境保护工作要点（生成）", year),
					Year: year, Source: "dubanbench"}); err != nil {
					return err
				}
			}
			var ts []*store.Task
			for i := from; i < min(from+perTx, *n); i++ {
				ts = append(ts, storetest.Task(i, r, depts, year))
			}
			if _, err := tx.ImportTasks(ts, nil, store.Actor{Via: "import", Name: "dubanbench"}, "generated"); err != nil {
				return err
			}
			for _, t := range ts {
				if r.IntN(3) != 0 || !t.Open() {
					continue
				}
				t.Progress, t.Status, t.Latest = min(100, t.Progress+10), store.StatusInProgress, "已完成阶段性工作，正在推进。"
				if _, err := tx.SaveTask(t, store.Actor{Via: "telegram", Name: "联络员", UserID: 100}, "progress", ""); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if *tick {
		if err := tickBefore(db); err != nil {
			return err
		}
	}
	fmt.Printf("gen: %d tasks in %s, %.1f s\n", *n, *path, time.Since(start).Seconds())
	return nil
}

// tickBefore runs the schedule once, a minute before the latest working
// day's reminder time that has passed (duban serve's default policy and
// zone), so the served bot's first tick catches up on that day. Coordinator
// messages go to a group, keeping the admin's chat for the answers startup
// waits for.
func tickBefore(db *store.DB) error {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	p, cal, now := schedule.DefaultPolicy(), schedule.NewCalendar(), time.Now().In(loc)
	d := cal.OnOrBefore(store.DateOf(now))
	if schedule.At(d, p.At, loc).After(now) {
		d = cal.OnOrBefore(d.AddDays(-1))
	}
	at := schedule.At(d, p.At, loc).Add(-time.Minute)
	if err := db.Update(func(tx *store.Tx) error { return tx.SetDigestChat(int64(groupID)) }); err != nil {
		return err
	}
	r := &schedule.Runner{DB: db, Policy: p, Cal: cal, Loc: loc, Lang: "zh", Now: func() time.Time { return at }}
	return r.Tick(context.Background())
}

const (
	adminID = 42
	groupID = -100 // the digest chat gen sets: coordinator messages go there
)

func runStartup(args []string) error {
	fs := flag.NewFlagSet("startup", flag.ExitOnError)
	bin := fs.String("duban", "", "duban binary (go build -o /tmp/duban ./cmd/duban)")
	path := fs.String("db", "", "database made by dubanbench gen (copied for each run)")
	runs := fs.Int("runs", 5, "number of runs")
	settle := fs.Duration("settle", 3*time.Second, "polling time before each VmRSS reading")
	latency := fs.Duration("latency", 0, "round trip of the fake Bot API (telegramtest.SetLatency), e.g. 150ms")
	fs.Parse(args)
	if *bin == "" || *path == "" {
		return errors.New("startup: -duban and -db are required")
	}
	var firsts, idle, busy, hwm []float64
	for i := range *runs {
		r, err := startupRun(*bin, *path, *settle, *latency)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		fmt.Printf("run %d: getMe %.1f ms, first getUpdates %.1f ms, VmRSS polling %.1f MB, after updates %.1f MB (anon %.1f, file %.1f), VmHWM %.1f MB\n",
			i+1, r.getMe, r.first, r.idle, r.busy, r.anon, r.file, r.hwm)
		firsts, idle, busy, hwm = append(firsts, r.first), append(idle, r.idle), append(busy, r.busy), append(hwm, r.hwm)
	}
	fmt.Printf("median of %d: first getUpdates %.1f ms, VmRSS polling %.1f MB, after updates %.1f MB, VmHWM %.1f MB\n",
		*runs, median(firsts), median(idle), median(busy), median(hwm))
	return nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

type startupResult struct{ getMe, first, idle, busy, hwm, anon, file float64 }

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// Flush the copy now: otherwise duban's first commit pays for writing
	// the whole file back (measured: +300 ms on 180 MB), which a real
	// restart on a settled file does not.
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func startupRun(bin, path string, settle, latency time.Duration) (startupResult, error) {
	var res startupResult
	dir, err := os.MkdirTemp("", "dubanbench-startup-*")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	db := filepath.Join(dir, "duban.db")
	if err := copyFile(db, path); err != nil {
		return res, err
	}
	srv := telegramtest.NewServer()
	defer srv.Close()
	srv.SetLatency(latency)
	admin := telegramtest.User{ID: adminID, FirstName: "督办员"}
	// A queued update makes the first getUpdates return at once, so the
	// fake records it when it arrived rather than when a long poll ended.
	srv.SendText(admin, telegramtest.Chat{}, "/help")

	cmd := exec.Command(bin, "serve", "--token", srv.Token, "--api-url", srv.URL, "--db", db,
		"--http", "", "--plan", "none", "--admin", strconv.Itoa(adminID), "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	if err := srv.WaitFor(ctx, func(s *telegramtest.Server) bool { return len(s.Calls("getUpdates")) > 0 }); err != nil {
		return res, fmt.Errorf("no getUpdates: %w", err)
	}
	res.first = float64(srv.Calls("getUpdates")[0].Time.Sub(t0)) / float64(time.Millisecond)
	if c := srv.Calls("getMe"); len(c) > 0 {
		res.getMe = float64(c[0].Time.Sub(t0)) / float64(time.Millisecond)
	}
	if err := srv.WaitFor(ctx, func(s *telegramtest.Server) bool { return s.SentCount(adminID) >= 1 }); err != nil {
		return res, fmt.Errorf("no answer to /help: %w", err)
	}
	time.Sleep(settle) // let it poll (and the schedule's first tick run)
	if res.idle, _, err = vmRSS(cmd.Process.Pid); err != nil {
		return res, err
	}
	for _, c := range []string{"/overdue", "/stats", "/digest"} {
		srv.SendText(admin, telegramtest.Chat{}, c)
	}
	if err := srv.WaitFor(ctx, func(s *telegramtest.Server) bool { return s.SentCount(adminID) >= 4 }); err != nil {
		return res, fmt.Errorf("no answers to /overdue, /stats, /digest (%d messages): %w", srv.SentCount(adminID), err)
	}
	time.Sleep(settle)
	res.busy, res.hwm, err = vmRSS(cmd.Process.Pid)
	if err == nil {
		res.anon, res.file, err = rssSplit(cmd.Process.Pid)
	}
	return res, err
}

// procStatus reads the named fields (in kB) of /proc/pid/status, in MB.
func procStatus(pid int, fields ...string) (map[string]float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 || !slices.Contains(fields, strings.TrimSuffix(f[0], ":")) {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		out[strings.TrimSuffix(f[0], ":")] = kb / 1024
	}
	return out, nil
}

// rssSplit reads RssAnon (the Go heap and stacks) and RssFile (mapped file
// pages: the binary and bbolt's mmap of the database), in MB.
func rssSplit(pid int) (anon, file float64, err error) {
	m, err := procStatus(pid, "RssAnon", "RssFile")
	return m["RssAnon"], m["RssFile"], err
}

// vmRSS reads VmRSS and VmHWM (MB) from /proc/pid/status.
func vmRSS(pid int) (rss, hwm float64, err error) {
	m, err := procStatus(pid, "VmRSS", "VmHWM")
	return m["VmRSS"], m["VmHWM"], err
}
