package outbox

import (
	"context"
	"errors"
	"fmt"
	"github.com/duban-bureau/duban/schedule/lang"
	"log/slog"
	"sync"
	"time"

	"github.com/duban-bureau/duban/store"
)

// holdJob is the schedule-bucket entry that keeps a global 429 hold across
// restarts (a chat's hold lives in its messages' NotBefore instead).
const holdJob = "outbox.hold"

// Sender delivers the durable outbox through a Transport within Telegram's
// limits. A message is marked sent only after Telegram accepted it, so
// delivery is at-least-once; Telegram has no idempotency key for sends, so
// nothing better is possible.
//
// Window. Up to Window messages are in flight at once, never two to the
// same chat: a round trip to Telegram takes 50–300 ms, and one message at a
// time cannot exceed 1/RTT (3/s at 300 ms, a tenth of the limit). One per
// chat keeps each chat's order and its 1/s limit. A crash duplicates at
// most the messages in flight: at most Window, at most one per chat; a
// clean shutdown (Run's context ending) lets them finish and records them,
// so it duplicates none. The window starts at the global burst (3: what the
// limiter lets go back to back anyway), opens one message per delivery and
// closes to one after a 429 or a transient error, so a throttled or
// unreachable Telegram gets one probe, not a window full.
//
// Order: pending messages go out by band (answers to users before the
// schedule's bulk, store.Band), then NotBefore, then key, skipping chats
// that must wait or have a message in flight, so no chat holds up another;
// the Limiter enforces the Limits (a sliding window overall, spacing per
// chat and per group). Failures are classified (see Transport): a chat's
// 429 holds only that chat, a global 429 holds all, a 403 fails the
// message, marks the chat unreachable and tells the coordinators once, a
// permanent error fails the message, anything else is retried with capped
// exponential back-off, so nothing is dropped.
//
// Recording. A delivery that cannot be recorded (a full disk: the sent log
// write or the outbox transaction fails) is kept in memory and never sent
// again; nothing new is sent until it is recorded, which Run retries with
// back-off, so a failing disk stops the sender instead of making it repeat
// the same message every back-off.
//
// Step, Run and Drain may be called from any goroutine but serialise on one
// lock. Fill the fields before the first call and do not change them
// afterwards.
type Sender struct {
	DB        *store.DB
	Transport Transport
	Limits    Limits
	Now       func() time.Time                     // injected clock; time.Now when nil
	After     func(time.Duration) <-chan time.Time // how Run and Drain wait; time.After when nil
	Logger    *slog.Logger
	Hooks     SendHooks
	Lang      lang.Lang // language of the notices it writes (the 403 notice): "" or "zh", "en"

	// Window is the most messages in flight at once (DefaultWindow when 0).
	// Transport.Send is then called from up to Window goroutines at once.
	Window int

	// Log, when set, records deliveries with one write each and folds them
	// into the outbox in one transaction per burst (see store.SentLog); when
	// nil every delivery commits its own transaction. Run and Drain flush it
	// whenever nothing is ready to send, and FlushEvery during a burst.
	Log        *store.SentLog
	FlushEvery time.Duration // default 100 ms

	// SendTimeout bounds one attempt (default 30 s). The attempt does not
	// inherit the caller's cancellation: abandoning a request that Telegram
	// may already have executed is how duplicates are made, so shutdown
	// lets the sends in flight finish and be recorded.
	SendTimeout time.Duration
	// MinBackoff and MaxBackoff bound the retry delay after a transient
	// error (defaults 1 s and 5 min).
	MinBackoff, MaxBackoff time.Duration

	once     sync.Once
	wake     chan struct{}
	mu       sync.Mutex // held while pumping; the fields below are the pump's
	lim      *Limiter
	restored bool
	flushed  time.Time // last SentLog flush
	streak   int       // consecutive transient failures, over all messages
	cwnd     int       // current window, 1…Window
	flying   map[int64]string
	done     chan flight
	// unrecorded holds deliveries whose recording failed: key → Telegram
	// message ID. They are never sent again, and nothing is sent while any
	// is left.
	unrecorded map[string]int
	failing    bool // the current episode of failures was logged
}

// DefaultWindow is the default for Sender.Window: 30 messages/s at a 300 ms
// round trip need 9 in flight; 16 reach the limit up to about 500 ms and
// bound a crash's duplicates to 16 (one per chat).
const DefaultWindow = 16

// flight is one finished attempt, handed from its goroutine to the pump.
type flight struct {
	m          *store.Message
	id         int
	err        error
	start, end time.Time
}

// SendHooks are optional callbacks for metrics, called after the outcome is
// committed. They run on the sending goroutine and must not block.
type SendHooks struct {
	OnSent   func(m *store.Message, took time.Duration) // accepted (or an edit that changed nothing)
	OnFailed func(m *store.Message, err error)          // given up for good: 403 or a permanent error
	OnRetry  func(m *store.Message, err error, at time.Time)
	On429    func(chatID int64, after time.Duration, global bool)
	On403    func(chatID int64)
}

func (s *Sender) init() {
	s.once.Do(func() {
		s.wake = make(chan struct{}, 1)
		s.lim = NewLimiter(s.Limits)
		if s.Window <= 0 {
			s.Window = DefaultWindow
		}
		s.cwnd = min(globalBurst, s.Window)
		s.flying = map[int64]string{}
		s.done = make(chan flight, s.Window)
		s.unrecorded = map[string]int{}
		if s.Logger == nil {
			s.Logger = slog.Default().With("system", "sender")
		}
	})
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) after(d time.Duration) <-chan time.Time {
	if s.After != nil {
		return s.After(d)
	}
	return time.After(d)
}

// Wake tells Run that something was enqueued, so a reply goes out now rather
// than at Run's next idle check. It never blocks.
func (s *Sender) Wake() {
	s.init()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// idleCheck bounds Run's sleep, so a message enqueued without Wake (another
// process's CLI command, a forgotten call) still goes out within a minute.
const idleCheck = time.Minute

// Run delivers the outbox until ctx is done, sleeping between bursts until
// the next message may go, Wake is called or idleCheck passes. Store errors
// (a full disk) stop sending and are retried with back-off rather than
// returned, because sending must outlive a passing disk problem; they are
// logged once per episode. Run returns nil once ctx is done, after the
// messages in flight were answered and recorded.
func (s *Sender) Run(ctx context.Context) error {
	s.init()
	fails := 0
	for {
		s.mu.Lock()
		r, err := s.pump(ctx, true)
		s.mu.Unlock()
		if ctx.Err() != nil {
			if err := s.flush(); err != nil {
				s.Logger.Error("outbox: record deliveries at shutdown", "err", err)
			}
			return nil
		}
		wait := idleCheck
		if err != nil {
			fails++
			wait = backoff(fails, time.Second, time.Minute)
			if !s.failing {
				s.failing = true
				s.Logger.Error("outbox: cannot record deliveries or read the outbox; sending stopped until it can", "err", err, "retry_in", wait)
			} else {
				s.Logger.Debug("outbox step failed again", "err", err, "retry_in", wait)
			}
		} else {
			if s.failing {
				s.failing = false
				s.Logger.Info("outbox: recording works again; sending resumed", "after_failures", fails)
			}
			if fails = 0; !r.next.IsZero() {
				wait = min(wait, r.next.Sub(s.now()))
			}
		}
		select {
		case <-ctx.Done():
		case <-s.wake:
		case <-s.after(wait):
		}
	}
}

// Drain delivers until the outbox is empty or holds only messages whose
// NotBefore is still ahead (scheduled later, backing off, or behind a chat's
// 429), waiting out the pacing in between. The shell and tests use it to
// flush what is due; a global 429 hold is waited out too.
func (s *Sender) Drain(ctx context.Context) error {
	s.init()
	for {
		s.mu.Lock()
		r, err := s.pump(ctx, true)
		s.mu.Unlock()
		if err != nil {
			return err
		}
		if !r.due {
			return s.flush()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.after(r.next.Sub(s.now())):
		}
	}
}

// Step delivers every message deliverable at the current instant and
// returns how many were sent and when the next attempt is possible (zero
// when the outbox is empty). It never sleeps: it waits only for the answers
// to what it sent, so tests drive it with an injected clock.
func (s *Sender) Step(ctx context.Context) (sent int, next time.Time, err error) {
	s.init()
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.pump(ctx, false)
	return r.sent, r.next, err
}

type stepResult struct {
	sent int
	next time.Time
	due  bool // some pending message has NotBefore ≤ now
}

// pump starts every message that may go and handles the answers, until
// nothing is in flight and nothing more may start now. With timed it also
// waits on the clock (After) and Wake while messages are in flight, so the
// next start is not held up by a slow answer; without it only answers are
// awaited and the clock is the caller's. After an error or once ctx is done
// it starts nothing more but still collects what is in flight.
func (s *Sender) pump(ctx context.Context, timed bool) (stepResult, error) {
	var r stepResult
	if err := s.restore(); err != nil {
		return r, err
	}
	var fail error
	if err := s.recordLeftovers(); err != nil {
		fail = err
	}
	for {
		// Answers first: each frees a chat and may open the window.
		for collecting := true; collecting; {
			select {
			case f := <-s.done:
				ok, err := s.finish(f)
				if ok {
					r.sent++
				}
				if err != nil && fail == nil {
					fail = err
				}
			default:
				collecting = false
			}
		}
		stop := fail != nil || ctx.Err() != nil
		if !stop {
			if err := s.flushLog(false); err != nil {
				fail, stop = err, true
			}
		}
		// Fill the window before looking at answers, so what leaves
		// together is decided by the window and the limits alone.
		for !stop && len(s.flying) < s.cwnd {
			m, err := s.pick(&r)
			if err != nil {
				fail, stop = err, true
			}
			if m == nil {
				break
			}
			s.launch(ctx, m)
		}
		if len(s.flying) == 0 {
			break
		}
		// Something is in flight: wait for an answer, or (timed) for the
		// next start a pacing slot allows, or for a new message.
		if !timed || stop || len(s.flying) >= s.cwnd {
			s.finishOne(<-s.done, &r, &fail)
			continue
		}
		var tick <-chan time.Time
		if !r.next.IsZero() {
			tick = s.after(r.next.Sub(s.now()))
		}
		select {
		case f := <-s.done:
			s.finishOne(f, &r, &fail)
		case <-tick:
		case <-s.wake:
		case <-ctx.Done():
		}
	}
	if err := ctx.Err(); err != nil {
		return r, errors.Join(err, fail, s.flushLog(true))
	}
	if fail != nil {
		return r, fail
	}
	// Nothing ready: fold the recorded deliveries in if the last flush is
	// FlushEvery old, else wake up then to do it, so a trickle of replies
	// costs one commit per FlushEvery, not one per message.
	if err := s.flushLog(false); err != nil {
		return r, err
	}
	if s.Log != nil && s.Log.Len() > 0 {
		if at := s.flushed.Add(s.flushEvery()); r.next.IsZero() || at.Before(r.next) {
			r.next = at
		}
	}
	return r, nil
}

func (s *Sender) finishOne(f flight, r *stepResult, fail *error) {
	ok, err := s.finish(f)
	if ok {
		r.sent++
	}
	if err != nil && *fail == nil {
		*fail = err
	}
}

// flush folds the sent log in now (under the pump's lock).
func (s *Sender) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flushLog(true)
}

// flushLog folds the recorded deliveries into the outbox when forced, or
// when the burst has gone on for FlushEvery.
func (s *Sender) flushLog(force bool) error {
	if s.Log == nil || s.Log.Len() == 0 {
		return nil
	}
	if !force && s.now().Sub(s.flushed) < s.flushEvery() {
		return nil
	}
	s.flushed = s.now()
	return s.Log.Flush()
}

func (s *Sender) flushEvery() time.Duration {
	if s.FlushEvery > 0 {
		return s.FlushEvery
	}
	return 100 * time.Millisecond
}

// restore reloads a global 429 hold saved by an earlier process.
func (s *Sender) restore() error {
	if s.restored {
		return nil
	}
	var hold time.Time
	err := s.DB.View(func(tx *store.Tx) error {
		if v := tx.JobState(holdJob); v != nil {
			return hold.UnmarshalText(v)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("outbox: load global hold: %w", err)
	}
	s.lim.HoldAll(hold)
	s.restored = true
	return nil
}

// pick returns the first pending message (by band, then NotBefore, then
// key) that may be sent now, or nil and in r.next the earliest instant one
// may. Messages of a chat waiting on its pacing or with a message in flight
// are skipped, so one busy chat never holds up the others. Each band's scan
// reads the pending index in growing pages and stops as soon as no later
// message could be ready sooner.
func (s *Sender) pick(r *stepResult) (*store.Message, error) {
	now := s.now()
	floor := s.lim.ReadyAll()
	r.next, r.due = time.Time{}, false
	var pick *store.Message
	err := s.DB.View(func(tx *store.Tx) error {
		for band := store.Band(0); band < store.Bands; band++ {
			before := r.next
		pages:
			for limit := 16; ; limit *= 4 {
				ps, err := tx.PendingRefs(band, limit)
				if err != nil {
					return err
				}
				r.next = before
				if len(ps) > 0 && !ps[0].NotBefore.After(now) {
					r.due = true
				}
				for _, m := range ps {
					if s.Log != nil && s.Log.Sent(m.Key) {
						continue // delivered; the outbox learns at the next flush
					}
					if _, ok := s.unrecorded[m.Key]; ok {
						continue
					}
					if _, busy := s.flying[m.ChatID]; busy {
						continue // its answer wakes the pump
					}
					if !r.next.IsZero() && !latest(m.NotBefore, floor).Before(r.next) {
						break pages // no message from here on is ready sooner
					}
					at := latest(m.NotBefore, s.lim.Ready(m.ChatID))
					if !at.After(now) {
						pick, err = tx.Message(m.Key)
						return err
					}
					if r.next.IsZero() || at.Before(r.next) {
						r.next = at
					}
				}
				if len(ps) < limit {
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: read pending: %w", err)
	}
	return pick, nil
}
