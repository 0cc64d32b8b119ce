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

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
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

var verbs = []string{"完成", "推进", "开展", "实施", "落实", "组织", "建成", "修订"}
var objects = []string{
	"重点行业挥发性有机物综合治理", "入海排污口排查整治", "饮用水水源地规范化建设",
	"土壤污染重点监管单位隐患排查", "工业园区污水集中处理设施提标改造", "生态环境执法大练兵",
	"危险废物规范化环境管理评估", "国控空气自动监测站点运维", "农村生活污水治理",
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
	depts := seeds.Departments()[:20]
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
				ts = append(ts, genTask(i, r, depts, year))
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
	if err := db.Update(func(tx *store.Tx) error { return tx.SetSetting("digest_chat", strconv.Itoa(groupID)) }); err != nil {
		return err
	}
	r := &schedule.Runner{DB: db, Policy: p, Cal: cal, Loc: loc, Lang: "zh", Now: func() time.Time { return at }}
	return r.Tick(context.Background())
}

// genTask is the i-th task: 20 departments, deadlines over this year, about
// 60% done or closed, 5% continuous, a text of bureau length.
func genTask(i int, r *rand.Rand, depts []string, year int) *store.Task {
	t := &store.Task{
		ID:      fmt.Sprintf("%d.%d.%d", i/1000+1, i/50%20+1, i%50+1),
		PlanID:  strconv.Itoa(year),
		Section: "四、深入打好污染防治攻坚战 / (" + strconv.Itoa(i/50%20+1) + ")精准推进污染防治",
		Text: verbs[r.IntN(len(verbs))] + "全市" + objects[r.IntN(len(objects))] +
			"工作，建立工作台账，明确责任单位和完成时限，确保按期完成年度目标任务，并及时报送工作进展情况。",
		Lead:   depts[r.IntN(len(depts))],
		Status: store.StatusNotStarted,
	}
	for k := r.IntN(3); k > 0; k-- {
		if d := depts[r.IntN(len(depts))]; d != t.Lead {
			t.CoDepts = append(t.CoDepts, d)
		}
	}
	if r.IntN(20) == 0 {
		t.Cadence = store.CadenceMonthly
	} else {
		t.Deadline = store.NewDate(year, 1, 1).AddDays(r.IntN(365))
	}
	if r.IntN(3) == 0 {
		t.Target, t.Unit, t.Current = float64(10+r.IntN(90)), "家", float64(r.IntN(10))
	}
	switch p := r.IntN(100); {
	case p < 50:
		t.Status, t.Progress, t.Latest = store.StatusDone, 100, "已按期完成，相关材料已报送。"
	case p < 60:
		t.Status, t.Progress, t.Latest = store.StatusClosed, 100, "已完成并经督办员确认销号。"
	case p < 80:
		t.Status, t.Progress, t.Latest = store.StatusInProgress, 10*r.IntN(10), "正在推进，已完成阶段性工作。"
	case p < 85:
		t.Status, t.Latest = store.StatusBlocked, "资金尚未到位。"
	}
	return t
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
	fs.Parse(args)
	if *bin == "" || *path == "" {
		return errors.New("startup: -duban and -db are required")
	}
	var firsts, idle, busy, hwm []float64
	for i := range *runs {
		r, err := startupRun(*bin, *path, *settle)
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

func startupRun(bin, path string, settle time.Duration) (startupResult, error) {
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
	admin := models.User{ID: adminID, FirstName: "督办员"}
	// A queued update makes the first getUpdates return at once, so the
	// fake records it when it arrived rather than when a long poll ended.
	srv.SendText(admin, models.Chat{}, "/help")

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
		srv.SendText(admin, models.Chat{}, c)
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

// rssSplit reads RssAnon (the Go heap and stacks) and RssFile (mapped file
// pages: the binary and bbolt's mmap of the database), in MB.
func rssSplit(pid int) (anon, file float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "RssAnon:":
			anon = kb / 1024
		case "RssFile:":
			file = kb / 1024
		}
	}
	return anon, file, nil
}

// vmRSS reads VmRSS and VmHWM (MB) from /proc/pid/status.
func vmRSS(pid int) (rss, hwm float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		}
	}
	return rss, hwm, nil
}
