package outbox

import (
	"errors"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/duban-bureau/duban/store"
)

// outcome is how the Sender treats one attempt's error.
type outcome int

const (
	outSent      outcome = iota // delivered (or an edit that changed nothing)
	outThrottled                // 429: wait retry_after
	outForbidden                // 403: chat unreachable, message failed
	outFailed                   // permanent: message failed
	outRetry                    // transient: back off and try again
)

// classify maps a Transport error (possibly wrapped) to what the Sender does.
func classify(m *store.Message, err error) outcome {
	var tooMany *RetryAfterError
	var perm *PermanentError
	switch {
	case err == nil:
		return outSent
	case errors.As(err, &tooMany):
		return outThrottled
	case errors.Is(err, ErrForbidden):
		return outForbidden
	case errors.As(err, &perm) && perm.notModified() && m.EditID != 0:
		return outSent
	case errors.As(err, &perm) && !perm.botMisconfigured():
		return outFailed
	}
	return outRetry
}

// backoff is base·2^(n-1) capped at limit, for the n-th consecutive failure.
// No jitter: there is one sender per bot, so there is no herd to spread.
func backoff(n int, base, limit time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// settle re-reads m inside one write transaction, counts the attempt, lets
// fn change it and saves it. Re-reading keeps concurrent edits (a message
// folded while in flight) and skips a message no longer pending.
func (s *Sender) settle(m *store.Message, sendErr error, fn func(*store.Tx, *store.Message) error) error {
	err := s.DB.Update(func(tx *store.Tx) error {
		f, err := tx.Message(m.Key)
		if err != nil {
			return err
		}
		if f.State != store.MessagePending {
			return nil
		}
		f.Attempts++
		f.LastError = clipError(sendErr.Error(), 500)
		if err := fn(tx, f); err != nil {
			return err
		}
		return tx.UpdateMessage(f)
	})
	if err != nil {
		return fmt.Errorf("outbox: record attempt on %q: %w", m.Key, err)
	}
	return nil
}

// retry handles a transient error: the message backs off on its own count,
// and the whole sender pauses on the count of consecutive transient errors,
// so a network outage costs one probe per pause, not one request per message.
func (s *Sender) retry(m *store.Message, sendErr error, end time.Time) error {
	base, limit := s.MinBackoff, s.MaxBackoff
	if base <= 0 {
		base = time.Second
	}
	if limit <= 0 {
		limit = 5 * time.Minute
	}
	s.streak++
	s.lim.HoldAll(end.Add(backoff(s.streak, base, limit)))
	var at time.Time
	err := s.settle(m, sendErr, func(_ *store.Tx, f *store.Message) error {
		at = end.Add(backoff(f.Attempts, base, limit))
		f.NotBefore = at
		return nil
	})
	s.Logger.Warn("outbox send failed, will retry", "key", m.Key, "chat", m.ChatID, "err", sendErr, "at", at)
	if err == nil && !at.IsZero() && s.Hooks.OnRetry != nil {
		s.Hooks.OnRetry(m, sendErr, at)
	}
	return err
}

// throttled handles a 429. A chat's hold is kept in memory and written into
// the NotBefore of every pending message of that chat (shifted by a
// nanosecond each to keep their order), so a restart respects it too; a
// global hold is saved in the schedule bucket.
func (s *Sender) throttled(m *store.Message, sendErr error, end time.Time) error {
	var e *RetryAfterError
	errors.As(sendErr, &e)
	until := end.Add(max(e.After, time.Second))
	s.Logger.Warn("telegram 429", "chat", m.ChatID, "global", e.Global, "until", until)
	if e.Global {
		s.lim.HoldAll(until)
	} else {
		s.lim.Hold(m.ChatID, until)
	}
	err := s.settle(m, sendErr, func(tx *store.Tx, f *store.Message) error {
		f.NotBefore = latest(f.NotBefore, until)
		if e.Global {
			v, _ := until.MarshalText()
			return tx.SetJobState(holdJob, v)
		}
		return holdChat(tx, f, until)
	})
	if err == nil && s.Hooks.On429 != nil {
		s.Hooks.On429(m.ChatID, e.After, e.Global)
	}
	return err
}

// holdChat moves every other pending message of f's chat that would go
// before until to just after it, in their present order.
func holdChat(tx *store.Tx, f *store.Message, until time.Time) error {
	ps, err := tx.Pending(math.MaxInt)
	if err != nil {
		return err
	}
	n := time.Duration(0)
	for _, p := range ps {
		if p.ChatID != f.ChatID || p.Key == f.Key || !p.NotBefore.Before(until) {
			continue
		}
		n++
		p.NotBefore = until.Add(n)
		if err := tx.UpdateMessage(p); err != nil {
			return err
		}
	}
	return nil
}

// clipError keeps LastError short (a Telegram description can echo the
// whole request) without cutting a character in half.
func clipError(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// forbidden handles a 403: the message fails, the chat is marked
// unreachable and coordinators (and the digest chat) get one notice each per
// chat, the notice keys making "once" hold across messages and restarts.
func (s *Sender) forbidden(m *store.Message, sendErr error) error {
	s.Logger.Warn("chat unreachable (403)", "chat", m.ChatID, "key", m.Key)
	err := s.settle(m, sendErr, func(tx *store.Tx, f *store.Message) error {
		f.State = store.MessageFailed
		if _, err := tx.SetReachable(f.ChatID, false); err != nil {
			return err
		}
		return notifyUnreachable(tx, f.ChatID, s.Lang)
	})
	if err != nil {
		return err
	}
	if s.Hooks.On403 != nil {
		s.Hooks.On403(m.ChatID)
	}
	if s.Hooks.OnFailed != nil {
		s.Hooks.OnFailed(m, sendErr)
	}
	return nil
}
