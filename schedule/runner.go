package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/duban-bureau/duban/schedule/lang"
	"github.com/duban-bureau/duban/schedule/outbox"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/duban-bureau/duban/store"
)

// Job names in the store's schedule bucket.
const (
	jobReminders = "reminders"
	jobDigest    = "digest"
	jobMonthly   = "monthly"
	jobPrune     = "prune"
	jobHolidays  = "noholiday" // the last year the admins were told has no holiday data
)

// jobState is what a job keeps in bbolt: the instant it last decided up to
// and its next fire time. cron forgets runs missed while the process was
// down; this does not.
type jobState struct {
	Last  time.Time    `json:"last"`
	Next  time.Time    `json:"next"`
	Stats *DigestStats `json:"stats,omitempty"` // the last digest's numbers, for "change since last week"
}

// Runner decides reminders and digests. cron only ticks it (every minute);
// each tick compares now with the next fire times kept in bbolt, so a tick
// missed by downtime is caught up at the next one, marked 补发.
type Runner struct {
	DB     *store.DB
	Policy Policy
	Cal    *Calendar
	Loc    *time.Location
	Lang   lang.Lang
	Admins store.Admins
	Now    func() time.Time
	Logger *slog.Logger
	Wake   func() // nudges the sender after messages were queued
	// OnDue, when set, observes how many reminders each tick queued.
	OnDue func(n int)
	// AfterScan, when set, runs after a tick that read the store's tasks
	// (serve gives the memory back then).
	AfterScan func()
	// Ledger, when set, builds the 督办台账 workbook the digest attaches
	// (a *LedgerTooLarge error: the list is too long to attach; the digest
	// then says where it is).
	// when a list was cut at Policy.DigestLines (serve writes the
	// responsibility list as XLSX; schedule does not know the format).
	Ledger func(tx *store.Tx, now time.Time) (*store.Document, error)
	// Retention, when set, makes the tick prune the store once a day
	// (store.Tx.Prune): settled outbox messages, old reply links, expired
	// staged imports, old handled update IDs. serve sets
	// store.DefaultRetention.
	Retention store.Retention
	// OnPrune, when set, observes what each daily prune deleted.
	OnPrune func(store.Pruned)

	mu sync.Mutex
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now().In(r.Loc)
	}
	return time.Now().In(r.Loc)
}

func (r *Runner) log() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

// Start runs the cron that ticks the runner every minute, with
// SkipIfStillRunning outside Recover: in cron v3.0.1 the other order lets
// one panic stop the job for good. The first tick runs at once (catch-up
// after downtime) through the same chain, so a panic in it is recovered
// like any other tick's instead of ending the process, and the minute
// tick skips while it runs. Stop the returned cron and wait on its context
// to end.
func (r *Runner) Start(ctx context.Context) *cron.Cron {
	logger := cronLogger{r.log()}
	job := cron.NewChain(cron.SkipIfStillRunning(logger), cron.Recover(logger)).Then(cron.FuncJob(func() {
		if err := r.Tick(ctx); err != nil {
			r.log().Error("schedule tick", "err", err)
		}
	}))
	c := cron.New(cron.WithLocation(r.Loc))
	c.Schedule(cron.Every(time.Minute), job)
	c.Start()
	go job.Run()
	return c
}

// cronLogger adapts slog to cron.Logger. cron's routine chatter goes to
// Debug, but its errors (a panic recovered in a tick, with the stack) are
// logged as errors: printed at Debug they vanished at the default level.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, keysAndValues ...any) {
	c.l.Debug("cron: "+msg, keysAndValues...)
}

func (c cronLogger) Error(err error, msg string, keysAndValues ...any) {
	c.l.Error("cron: "+msg, append(keysAndValues, "err", err)...)
}

// Tick decides everything due at now: reminders whose fire time passed since
// the last decision, and the digest if its time came. Decisions and their
// outbox entries commit in one transaction. Once a day it then prunes what
// Retention no longer keeps, in a transaction of its own. A cancelled ctx
// decides nothing.
func (r *Runner) Tick(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	now := r.now()
	queued, scanned := 0, false
	err := r.DB.Update(func(tx *store.Tx) error {
		queued = 0
		rs, err := loadJob(tx, jobReminders)
		if err != nil {
			return err
		}
		if rs.Last.IsZero() {
			// A new database: nothing was promised before now, and there
			// is nothing to decide (no need to read every task).
			rs.Last, rs.Next = now, now.Add(time.Nanosecond)
		}
		if !now.Before(rs.Next) {
			scanned = true
			n, err := r.decideReminders(tx, rs.Last, now)
			if err != nil {
				return err
			}
			queued += n
			rs.Last = now
		}
		rs.Next = NextFire(r.Policy, r.Cal, now)
		if err := saveJob(tx, jobReminders, rs); err != nil {
			return err
		}
		ds, err := loadJob(tx, jobDigest)
		if err != nil {
			return err
		}
		if ds.Next.IsZero() {
			ds.Next = NextDigest(r.Policy, r.Cal, now)
		}
		if !now.Before(ds.Next) {
			scanned = true
			stats, n, err := r.sendDigest(tx, ds, now)
			if err != nil {
				return err
			}
			queued += n
			ds.Stats, ds.Last, ds.Next = &stats, now, NextDigest(r.Policy, r.Cal, now)
		}
		if err := saveJob(tx, jobDigest, ds); err != nil {
			return err
		}
		n, err := r.monthly(tx, now)
		queued += n
		if err != nil {
			return err
		}
		n, err = r.holidayWarning(tx, now)
		queued += n
		return err
	})
	if err != nil {
		return err
	}
	if r.OnDue != nil {
		r.OnDue(queued)
	}
	if scanned && r.AfterScan != nil {
		r.AfterScan()
	}
	if queued > 0 {
		r.log().Info("schedule queued messages", "count", queued, "at", now.Format(time.RFC3339))
		if r.Wake != nil {
			r.Wake()
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.prune(now)
}

// prune runs store.Tx.Prune when a day has passed since the last one (the
// first tick of a process prunes at once), and moves the job's next time
// in the same transaction.
func (r *Runner) prune(now time.Time) error {
	if r.Retention == (store.Retention{}) {
		return nil
	}
	var p store.Pruned
	done := false
	err := r.DB.Update(func(tx *store.Tx) error {
		done = false
		ps, err := loadJob(tx, jobPrune)
		if err != nil {
			return err
		}
		if now.Before(ps.Next) {
			return nil
		}
		if p, err = tx.Prune(r.Retention); err != nil {
			return err
		}
		done = true
		ps.Last, ps.Next = now, now.Add(24*time.Hour)
		return saveJob(tx, jobPrune, ps)
	})
	if err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	if done {
		r.log().Info("pruned the store", "messages", p.Messages, "links", p.Links, "staged", p.Staged, "updates", p.Updates)
		if r.OnPrune != nil {
			r.OnPrune(p)
		}
	}
	return nil
}

func (r *Runner) decideReminders(tx *store.Tx, from, to time.Time) (int, error) {
	s, err := LoadDueSnapshot(tx, r.Policy, r.Cal, r.Admins, r.Lang, r.Loc, from, to)
	if err != nil {
		return 0, err
	}
	pl := Due(r.Policy, r.Cal, s, from, to)
	n := 0
	for _, rem := range pl.Reminders {
		m := rem.Message
		if rem.Notice != "" {
			_, err := tx.Message(m.Key)
			if err == nil {
				continue // queued before: its notice has its number
			}
			if store.ErrorCode(err) != store.ENOTFOUND {
				return n, err
			}
			number, _, err := issueNotice(tx, rem, r.Lang)
			if err != nil {
				return n, err
			}
			m.Text = strings.ReplaceAll(m.Text, NoticePlaceholder, number)
		}
		added, err := outbox.Enqueue(tx, &m)
		if err != nil {
			return n, err
		}
		n += added
	}
	return n, nil
}

// sendDigest queues this week's digest to the digest chat, or to every
// coordinator when none is set.
func (r *Runner) sendDigest(tx *store.Tx, ds jobState, now time.Time) (DigestStats, int, error) {
	s, err := LoadDigestSnapshot(tx, r.Policy, r.Admins, r.Lang, r.Loc)
	if err != nil {
		return DigestStats{}, 0, err
	}
	d, err := BuildDigestTx(tx, s, ds.Stats, now)
	if err != nil {
		return DigestStats{}, 0, err
	}
	text := d.Text(r.Lang)
	late := now.Sub(ds.Next) > r.Policy.Grace
	audience := s.Audience()
	var (
		ledger *store.Document
		tooBig *LedgerTooLarge
	)
	if d.Truncated() && r.Ledger != nil && len(audience) > 0 {
		if ledger, err = r.Ledger(tx, now); errors.As(err, &tooBig) {
			err = nil // the digest says where the whole list is instead
		}
		if err != nil {
			return DigestStats{}, 0, err
		}
	}
	caption := say(r.Lang, "ledger_caption")
	if tooBig != nil {
		caption = say(r.Lang, "ledger_too_large", tooBig.Tasks, tooBig.Limit)
	}
	n := 0
	for _, to := range audience {
		chat := to.ChatID
		if ledger != nil || tooBig != nil {
			// After the digest's parts (they go at now + i ns).
			added, err := outbox.Enqueue(tx, &store.Message{Key: Key(string(store.KindLedger), "", store.DateOf(ds.Next).String(), chat), ChatID: chat,
				Kind: store.KindLedger, Text: caption,
				Document: ledger, DueAt: ds.Next, CatchUp: late, NotBefore: tx.Now().Add(time.Millisecond)})
			if err != nil {
				return DigestStats{}, n, err
			}
			n += added
		}
		m := &store.Message{Key: Key(string(store.KindDigest), "", store.DateOf(ds.Next).String(), chat), ChatID: chat, Kind: store.KindDigest,
			Text: text, DueAt: ds.Next, CatchUp: late}
		if late {
			m.Text = catchUpPrefix(ds.Next, r.Lang) + m.Text
		}
		added, err := outbox.Enqueue(tx, m)
		if err != nil {
			return DigestStats{}, n, err
		}
		n += added
	}
	return d.Stats, n, nil
}

// BuildDigestTx builds the digest at now from the store: the last 7 days
// of history and the previous digest's numbers. Finished tasks the history
// names are read one by one into s.Completed, since LoadSnapshot keeps only
// open tasks.
func BuildDigestTx(tx *store.Tx, s Snapshot, prev *DigestStats, now time.Time) (Digest, error) {
	if prev == nil {
		ds, err := loadJob(tx, jobDigest)
		if err != nil {
			return Digest{}, err
		}
		prev = ds.Stats
	}
	if s.streamTasks {
		return streamDigest(tx, s, prev, now)
	}
	hist, err := tx.HistorySince(now.AddDate(0, 0, -7))
	if err != nil {
		return Digest{}, err
	}
	have := make(map[string]bool, len(s.Tasks))
	for _, t := range s.Tasks {
		if t != nil {
			have[t.Key()] = true
		}
	}
	s.Completed = append([]*store.Task(nil), s.Completed...)
	for _, u := range hist {
		if have[u.Key()] || !finishes(u) {
			continue
		}
		have[u.Key()] = true
		t, err := tx.Task(u.Key())
		if store.ErrorCode(err) == store.ENOTFOUND {
			continue // deleted since
		}
		if err != nil {
			return Digest{}, err
		}
		s.Completed = append(s.Completed, t)
	}
	return BuildDigest(s, hist, prev, now), nil
}

func loadJob(tx *store.Tx, name string) (jobState, error) {
	var s jobState
	if v := tx.JobState(name); v != nil {
		if err := json.Unmarshal(v, &s); err != nil {
			return s, fmt.Errorf("job %s state: %w", name, err)
		}
	}
	return s, nil
}

func saveJob(tx *store.Tx, name string, s jobState) error {
	v, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.SetJobState(name, v)
}

// NextTimes reports the stored next fire times (for logs and /healthz).
func NextTimes(tx *store.Tx) (reminders, digest time.Time, err error) {
	rs, err := loadJob(tx, jobReminders)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	ds, err := loadJob(tx, jobDigest)
	return rs.Next, ds.Next, err
}

// LoadSnapshot reads what Due and BuildDigest need in one read of tx: the
// open tasks, decoded, and the finished ones counted per department from
// an index (on a year's list most tasks are finished, and decoding them all
// held ~60 MB per 100,000 tasks and faulted in the whole file).
// Coordinators are the admins' chats (the stored coordinators are among
// Contacts); store.Audience decides who hears what.
func LoadSnapshot(tx *store.Tx, admins []int64, lang lang.Lang, loc *time.Location) (Snapshot, error) {
	s, err := loadSnapshot(tx, admins, lang, loc, nil)
	if err != nil {
		return s, err
	}
	s.Finished = tx.FinishedByLead()
	exampleOnly(tx, &s)
	return s, nil
}

// exampleOnly narrows a reminder snapshot of the bundled example plan (not
// adopted, store.ExamplePlanSetting) to the admins: no registered contact,
// coordinator, head or group hears about a demonstration task; the
// admins get what would have gone to a department nobody registered for.
func exampleOnly(tx *store.Tx, s *Snapshot) {
	if !tx.IsExamplePlan() {
		return
	}
	admin := map[int64]bool{}
	for _, id := range s.Coordinators {
		admin[id] = true
	}
	var keep []*store.Contact
	for _, c := range s.Contacts {
		if c != nil && admin[c.UserID] {
			keep = append(keep, c)
		}
	}
	s.Contacts, s.DigestChat = keep, 0
}

// LoadDueSnapshot is the snapshot Due needs for (from, to]: open tasks
// with a rule that may fire in the window, chosen by their deadline in the
// index before decoding (a daily scan reads a few thousand of 100,000), and
// no finished counts. Due on it plans exactly what it plans on
// LoadSnapshot's.
func LoadDueSnapshot(tx *store.Tx, p Policy, cal *Calendar, admins []int64, lang lang.Lang, loc *time.Location,
	from, to time.Time) (Snapshot, error) {
	z := Snapshot{Loc: loc}.loc()
	lo, hi := days(from.In(z), to.In(z))
	lo = budgetStart(p, lo)
	s, err := loadSnapshot(tx, admins, lang, loc, func(d store.Date) bool { return mayFire(p, cal, d, lo, hi) })
	if err != nil {
		return s, err
	}
	s.Lights = p.Lights
	if s.Acks, err = LoadAcks(tx); err != nil {
		return s, err
	}
	exampleOnly(tx, &s)
	return s, nil
}

func loadSnapshot(tx *store.Tx, admins []int64, lang lang.Lang, loc *time.Location, keep func(store.Date) bool, noTasks ...bool) (Snapshot, error) {
	var tasks []*store.Task
	var err error
	if len(noTasks) == 0 {
		if tasks, err = tx.OpenTasks(keep); err != nil {
			return Snapshot{}, err
		}
	}
	contacts, err := tx.Contacts()
	if err != nil {
		return Snapshot{}, err
	}
	s := Snapshot{Tasks: tasks, Contacts: contacts, Lang: lang, Loc: loc}
	s.DigestChat = tx.DigestChat()
	s.Coordinators = append(tx.Admins(), admins...)
	if s.Starts, err = PlanStarts(tx); err != nil {
		return Snapshot{}, err
	}
	s.PlanStart = s.Starts.Newest
	s.Bureau = tx.Bureau().ShortName()
	return s, nil
}

// Starts gives each task the start of its own plan's year: 序时进度 (the
// light) grows from there, and no reminder fires before it. Next year's
// plan does not make this year's tasks look late, nor the other way round.
type Starts struct {
	ByPlan map[string]store.Date // plan ID → January 1 of its year
	Newest store.Date            // the newest plan's, for a task of no plan
}

// Of is t's plan start.
func (s Starts) Of(t *store.Task) store.Date {
	if d, ok := s.ByPlan[t.PlanID]; ok {
		return d
	}
	return s.Newest
}

// PlanStarts reads every plan's start; a plan record that does not read
// is an error.
func PlanStarts(tx *store.Tx) (Starts, error) {
	plans, err := tx.Plans()
	if err != nil {
		return Starts{}, err
	}
	s := Starts{ByPlan: map[string]store.Date{}}
	for _, p := range plans {
		if p.Year > 0 {
			s.ByPlan[p.ID] = store.NewDate(p.Year, 1, 1)
		}
	}
	s.Newest, err = PlanStart(tx)
	return s, err
}

// PlanStart is January 1 of the newest stored plan's year (zero when there
// is no plan): progress is expected to grow from there for the light. A
// plan record that does not read is an error, not "no plan".
func PlanStart(tx *store.Tx) (store.Date, error) {
	plans, err := tx.Plans()
	if err != nil {
		return 0, err
	}
	if len(plans) > 0 && plans[len(plans)-1].Year > 0 {
		return store.NewDate(plans[len(plans)-1].Year, 1, 1), nil
	}
	return 0, nil
}

// LedgerTooLarge is Runner.Ledger's answer for a list too long to attach to
// a digest: building a workbook of 100,000 tasks took a gigabyte, and a
// bureau's list is a few hundred.
type LedgerTooLarge struct{ Tasks, Limit int }

func (e *LedgerTooLarge) Error() string {
	return "ledger: " + itoa(e.Tasks) + " tasks, over the " + itoa(e.Limit) + " attached to a digest"
}
