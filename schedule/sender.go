package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/duban-bureau/duban/store"
)

// holdJob is the schedule-bucket entry that keeps a global 429 hold across
// restarts (a chat's hold lives in its messages' NotBefore instead).
const holdJob = "outbox.hold"

// Sender delivers the durable outbox through a Transport within Telegram's
// limits. Exactly one message is in flight at a time, and a message is
// marked sent (one fsynced transaction) only after Telegram accepted it, so
// delivery is at-least-once: a crash between the two duplicates at most that
// single in-flight message. Telegram has no idempotency key for sends, so
// nothing better is possible.
//
// Order: pending messages go out by NotBefore, then key, skipping chats
// that must wait, so no chat holds up another; the Limiter enforces the
// Limits (a sliding window overall, spacing per chat and per group).
// Failures are classified (see Transport): a chat's 429 holds only that
// chat, a global 429 holds all, a 403 fails the message, marks the chat
// unreachable and tells the coordinators once, a permanent error fails the
// message, anything else is retried with capped exponential back-off, so
// nothing is dropped.
//
// Step, Run and Drain may be called from any goroutine but serialise on one
// lock, which is what keeps a single message in flight. Fill the fields
// before the first call and do not change them afterwards.
type Sender struct {
	DB        *store.DB
	Transport Transport
	Limits    Limits
	Now       func() time.Time                     // injected clock; time.Now when nil
	After     func(time.Duration) <-chan time.Time // how Run and Drain wait; time.After when nil
	Logger    *slog.Logger
	Hooks     SendHooks

	// Log, when set, records deliveries with one write each and folds them
	// into the outbox in one transaction per burst (see store.SentLog); when
	// nil every delivery commits its own transaction. Run and Drain flush it
	// whenever nothing is ready to send, and FlushEvery during a burst.
	Log        *store.SentLog
	FlushEvery time.Duration // default 100 ms

	// SendTimeout bounds one attempt (default 30 s). The attempt does not
	// inherit the caller's cancellation: abandoning a request that Telegram
	// may already have executed is how duplicates are made, so shutdown
	// lets the in-flight send finish and be recorded.
	SendTimeout time.Duration
	// MinBackoff and MaxBackoff bound the retry delay after a transient
	// error (defaults 1 s and 5 min).
	MinBackoff, MaxBackoff time.Duration

	once     sync.Once
	wake     chan struct{}
	mu       sync.Mutex // held by a step: one message in flight
	lim      *Limiter
	restored bool
	flushed  time.Time // last SentLog flush
	streak   int       // consecutive transient failures, over all messages
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

// Run delivers the outbox until ctx is done, sleeping between steps until
// the next message may go, Wake is called or idleCheck passes. Store errors
// are logged and retried with back-off rather than returned, because sending
// must outlive a passing disk problem; Run returns nil once ctx is done.
func (s *Sender) Run(ctx context.Context) error {
	s.init()
	defer func() {
		if err := s.flushLog(true); err != nil {
			s.Logger.Error("outbox: record deliveries at shutdown", "err", err)
		}
	}()
	fails := 0
	for {
		_, next, err := s.Step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := idleCheck
		if err != nil {
			fails++
			wait = backoff(fails, time.Second, time.Minute)
			s.Logger.Error("outbox step failed", "err", err, "retry_in", wait)
		} else if fails = 0; !next.IsZero() {
			wait = min(wait, next.Sub(s.now()))
		}
		select {
		case <-ctx.Done():
			return nil
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
		r, err := s.step(ctx)
		if err != nil {
			return err
		}
		if !r.due {
			return s.flushLog(true)
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
// when the outbox is empty). It never sleeps, so tests drive it with an
// injected clock. With real time it sends a short burst (globalBurst) after
// a quiet spell, then about one message per call.
func (s *Sender) Step(ctx context.Context) (sent int, next time.Time, err error) {
	r, err := s.step(ctx)
	return r.sent, r.next, err
}

type stepResult struct {
	sent int
	next time.Time
	due  bool // some pending message has NotBefore ≤ now
}

func (s *Sender) step(ctx context.Context) (stepResult, error) {
	s.init()
	s.mu.Lock()
	defer s.mu.Unlock()
	var r stepResult
	if err := s.restore(); err != nil {
		return r, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return r, errors.Join(err, s.flushLog(true))
		}
		if err := s.flushLog(false); err != nil {
			return r, err
		}
		m, err := s.pick(&r)
		if err != nil || m == nil {
			// Nothing ready: fold the recorded deliveries in if the last
			// flush is FlushEvery old, else wake up then to do it, so a
			// trickle of replies costs one commit per FlushEvery, not one
			// per message.
			if err := s.flushLog(false); err != nil {
				return r, err
			}
			if s.Log != nil && s.Log.Len() > 0 {
				if at := s.flushed.Add(s.flushEvery()); r.next.IsZero() || at.Before(r.next) {
					r.next = at
				}
			}
			return r, err
		}
		ok, err := s.deliver(ctx, m)
		if ok {
			r.sent++
		}
		if err != nil {
			return r, err
		}
	}
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

// pick returns the first pending message (by NotBefore, then key) that may
// be sent now, or nil and in r.next the earliest instant one may. Messages
// of a chat waiting on its pacing are skipped, so one busy chat never holds
// up the others. The scan reads the pending index in growing pages and stops
// as soon as no later message could be ready sooner.
func (s *Sender) pick(r *stepResult) (*store.Message, error) {
	now := s.now()
	floor := s.lim.ReadyAll()
	var pick *store.Message
	err := s.DB.View(func(tx *store.Tx) error {
		for limit := 16; ; limit *= 4 {
			ps, err := tx.PendingRefs(limit)
			if err != nil {
				return err
			}
			r.next, r.due = time.Time{}, len(ps) > 0 && !ps[0].NotBefore.After(now)
			for _, m := range ps {
				if s.Log != nil && s.Log.Sent(m.Key) {
					continue // delivered; the outbox learns at the next flush
				}
				if !r.next.IsZero() && !latest(m.NotBefore, floor).Before(r.next) {
					return nil // no message from here on is ready sooner
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
				return nil
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: read pending: %w", err)
	}
	return pick, nil
}

// deliver makes one attempt and records its outcome; ok means delivered.
func (s *Sender) deliver(ctx context.Context, m *store.Message) (ok bool, err error) {
	timeout := s.SendTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	start := s.now()
	id, sendErr := s.Transport.Send(sctx, m)
	cancel()
	end := s.now()
	s.lim.Sent(m.ChatID, start, end)

	switch classify(m, sendErr) {
	case outSent:
		if id == 0 && m.EditID != 0 {
			id = m.EditID
		}
		var err error
		if s.Log != nil {
			err = s.Log.Record(m.Key, id)
		} else {
			err = s.DB.Update(func(tx *store.Tx) error { return tx.MarkSent(m.Key, id) })
		}
		if err != nil {
			return true, fmt.Errorf("outbox: mark %q sent: %w", m.Key, err)
		}
		s.streak = 0
		if s.Hooks.OnSent != nil {
			s.Hooks.OnSent(m, end.Sub(start))
		}
		return true, nil
	case outThrottled:
		return false, s.throttled(m, sendErr, end)
	case outForbidden:
		return false, s.forbidden(m, sendErr)
	case outFailed:
		s.Logger.Warn("outbox message refused", "key", m.Key, "chat", m.ChatID, "err", sendErr)
		err := s.settle(m, sendErr, func(tx *store.Tx, f *store.Message) error {
			f.State = store.MessageFailed
			return nil
		})
		if err == nil && s.Hooks.OnFailed != nil {
			s.Hooks.OnFailed(m, sendErr)
		}
		return false, err
	}
	return false, s.retry(m, sendErr, end)
}
