package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/duban-bureau/duban/store"
)

// launch starts one attempt on its own goroutine; its answer comes back on
// s.done, which has room for a full window, so the goroutine never waits.
func (s *Sender) launch(ctx context.Context, m *store.Message) {
	timeout := s.SendTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	start := s.now()
	s.lim.Start(m.ChatID, start)
	s.flying[m.ChatID] = m.Key
	sctx := context.WithoutCancel(ctx)
	go func() {
		sctx, cancel := context.WithTimeout(sctx, timeout)
		id, err := s.Transport.Send(sctx, m)
		cancel()
		s.done <- flight{m: m, id: id, err: err, start: start, end: s.now()}
	}()
}

// finish records one attempt's outcome; ok means delivered. The delivery is
// recorded before its chat is free again, so a chat never has a delivered
// but unrecorded message and a second one in flight: a crash re-sends at
// most one message per chat.
func (s *Sender) finish(f flight) (ok bool, err error) {
	m, sendErr := f.m, f.err
	defer delete(s.flying, m.ChatID)
	s.lim.Answered(m.ChatID, f.start, f.end)

	switch classify(m, sendErr) {
	case outSent:
		id := f.id
		if id == 0 && m.EditID != 0 {
			id = m.EditID
		}
		s.streak = 0
		s.cwnd = min(s.cwnd+1, s.Window)
		if err := s.record(m.Key, id); err != nil {
			s.unrecorded[m.Key] = id
			err = fmt.Errorf("outbox: mark %q sent: %w", m.Key, err)
			if s.Hooks.OnSent != nil {
				s.Hooks.OnSent(m, f.end.Sub(f.start))
			}
			return true, err
		}
		if s.Hooks.OnSent != nil {
			s.Hooks.OnSent(m, f.end.Sub(f.start))
		}
		return true, nil
	case outThrottled:
		s.cwnd = 1
		return false, s.throttled(m, sendErr, f.end)
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
	s.cwnd = 1
	return false, s.retry(m, sendErr, f.end)
}

// record notes a delivery: one line in the sent log, or its own
// transaction without one.
func (s *Sender) record(key string, id int) error {
	if s.Log != nil {
		return s.Log.Record(key, id)
	}
	return s.DB.Update(func(tx *store.Tx) error { return tx.MarkSent(key, id) })
}

// recordLeftovers retries the deliveries whose recording failed; until they
// are recorded nothing else is sent.
func (s *Sender) recordLeftovers() error {
	for key, id := range s.unrecorded {
		if err := s.record(key, id); err != nil {
			return fmt.Errorf("outbox: mark %q sent: %w", key, err)
		}
		delete(s.unrecorded, key)
	}
	return nil
}
