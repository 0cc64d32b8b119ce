package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"
)

// Enqueue adds m to the durable outbox unless a message with the same Key is
// already there (sent or not): the key is the idempotency key, so deciding a
// reminder twice never sends it twice. It reports whether m was added.
func (tx *Tx) Enqueue(m *Message) (bool, error) {
	if m.Key == "" || m.ChatID == 0 {
		return false, Errorf(EINVALID, "outbox message needs a key and a chat")
	}
	b := tx.tx.Bucket(bktOutbox)
	if b.Get([]byte(m.Key)) != nil {
		return false, nil
	}
	m.State = MessagePending
	if m.Created.IsZero() {
		m.Created = tx.now
	}
	if m.NotBefore.IsZero() {
		m.NotBefore = m.Created
	}
	return true, tx.putMessage(m)
}

// MessageKey builds an outbox idempotency key: its parts joined by "|",
// the kind of message first, then what makes it unique (the task, the
// date, the chat, the update it answers…), e.g.
// before7|4.1.3|2021-06-30|1001. Every key is built here, so that two
// kinds of message can never produce the same key; parts are strings or
// integers.
func MessageKey(kind string, parts ...any) string {
	b := []byte(kind)
	for _, p := range parts {
		b = append(b, '|')
		switch v := p.(type) {
		case string:
			b = append(b, v...)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		default:
			b = fmt.Appendf(b, "%v", v)
		}
	}
	return string(b)
}

// PartKey is the key of the n-th part (n ≥ 2) of a message split in
// several: key#n.
func PartKey(key string, n int) string { return key + "#" + strconv.Itoa(n) }

// Message returns an outbox entry by key.
func (tx *Tx) Message(key string) (*Message, error) {
	v := tx.tx.Bucket(bktOutbox).Get([]byte(key))
	if v == nil {
		return nil, Errorf(ENOTFOUND, "outbox has no message %q", key)
	}
	m, err := decodeMessage(v)
	if err == nil && m.Key == "" {
		m.Key = key // a stub (store/retention.go)
	}
	return m, err
}

func (tx *Tx) putMessage(m *Message) error {
	v, err := encodeMessage(m)
	if err != nil {
		return err
	}
	if err := tx.tx.Bucket(bktOutbox).Put([]byte(m.Key), v); err != nil {
		return err
	}
	if m.State == MessagePending {
		return tx.tx.Bucket(bktIdxPending).Put(pendingKey(m), u64(uint64(m.ChatID)))
	}
	return nil
}

// Band is a pending message's place in the sender's queue: every message
// of a lower band goes before any of a higher one that is ready at the same
// time. The schedule's reminders come in bursts of hundreds at 09:00; a user
// who types a command then must not wait behind them.
type Band uint8

// Bands, in the order the sender serves them.
const (
	BandInteractive Band = 0 // answers to a user, notices about a user's action
	BandScheduled   Band = 1 // what the reminder policy or a digest decided (DueAt set)
	Bands                = 2
)

// Band returns where m queues: scheduled messages (those with a DueAt: the
// schedule's reminders, digests, nudges) behind everything else.
func (m *Message) Band() Band {
	if !m.DueAt.IsZero() {
		return BandScheduled
	}
	return BandInteractive
}

// PendingRef is what the sender needs to choose the next message without
// decoding every pending one: its key, chat, band and earliest attempt time.
type PendingRef struct {
	Key       string
	ChatID    int64
	Band      Band
	NotBefore time.Time
}

// PendingRefs returns up to limit pending messages of one band by earliest
// attempt time (then key), read from the pending index alone: its value
// holds the chat.
func (tx *Tx) PendingRefs(band Band, limit int) ([]PendingRef, error) {
	var out []PendingRef
	c := tx.tx.Bucket(bktIdxPending).Cursor()
	for k, v := c.Seek([]byte{byte(band)}); k != nil && k[0] == byte(band) && len(out) < limit; k, v = c.Next() {
		key, at := splitPendingKey(k)
		r := PendingRef{Key: key, Band: band, NotBefore: at}
		if len(v) == 8 {
			r.ChatID = int64(binary.BigEndian.Uint64(v))
		} else {
			// An entry written before the index carried the chat.
			m, err := tx.Message(r.Key)
			if err != nil {
				return nil, err
			}
			r.ChatID = m.ChatID
		}
		out = append(out, r)
	}
	return out, nil
}

// pendingKey is band, NotBefore (unix ns u64 BE), key (schema 5).
func pendingKey(m *Message) []byte {
	k := make([]byte, 0, 9+len(m.Key))
	k = append(k, byte(m.Band()))
	k = binary.BigEndian.AppendUint64(k, uint64(m.NotBefore.UnixNano()))
	return append(k, m.Key...)
}

func splitPendingKey(k []byte) (key string, notBefore time.Time) {
	return string(k[9:]), time.Unix(0, int64(binary.BigEndian.Uint64(k[1:9])))
}

// Pending returns up to limit pending messages in the order the sender
// serves them (band, then earliest attempt time, then key), read through
// the pending index.
func (tx *Tx) Pending(limit int) ([]*Message, error) {
	var out []*Message
	c := tx.tx.Bucket(bktIdxPending).Cursor()
	for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
		key, _ := splitPendingKey(k)
		m, err := tx.Message(key)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// OutboxDepth returns the number of pending messages and the creation time
// of the oldest one (zero when none). A pending entry whose message does
// not read is counted and its error returned (the first such), so a
// damaged outbox shows in /healthz rather than as a younger queue.
func (tx *Tx) OutboxDepth() (int, time.Time, error) {
	n := 0
	var oldest time.Time
	var bad error
	c := tx.tx.Bucket(bktIdxPending).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
		key, _ := splitPendingKey(k)
		m, err := tx.Message(key)
		if err != nil {
			if bad == nil {
				bad = fmt.Errorf("outbox depth: pending %q: %w", key, err)
			}
			continue
		}
		if oldest.IsZero() || m.Created.Before(oldest) {
			oldest = m.Created
		}
	}
	return n, oldest, bad
}

// UpdateMessage rewrites an entry after a delivery attempt (state, attempts,
// NotBefore, SentID), keeping the pending index in step.
func (tx *Tx) UpdateMessage(m *Message) error {
	old, err := tx.Message(m.Key)
	if err != nil {
		return err
	}
	if old.State == MessagePending {
		if err := tx.tx.Bucket(bktIdxPending).Delete(pendingKey(old)); err != nil {
			return err
		}
	}
	if m.State == MessageSent && m.TaskID != "" && m.SentID != 0 {
		if err := tx.LinkMessage(m.ChatID, m.SentID, m.TaskID, m.Kind); err != nil {
			return err
		}
	}
	return tx.putMessage(m)
}

// MarkSent records a delivered message and which task it was about, so a
// reply to it finds its task.
func (tx *Tx) MarkSent(key string, sentID int) error {
	m, err := tx.Message(key)
	if err != nil {
		return err
	}
	m.State, m.SentID, m.SentAt = MessageSent, sentID, tx.now
	m.Attempts++
	return tx.UpdateMessage(m)
}

// LinkMessage records that a Telegram message in chat is about taskID, and
// what kind of message it was (a reminder, or a prompt asking for a reason),
// so a plain reply to it is read in that light.
// The link carries the time it was made, so Prune can expire it
// (Retention.Links).
func (tx *Tx) LinkMessage(chatID int64, messageID int, taskID string, kind MessageKind) error {
	return tx.tx.Bucket(bktMsgTask).Put(msgKey(chatID, messageID), linkValue(taskID, string(kind), tx.now))
}

// TaskOfMessage returns the task a sent message was about ("" if none).
func (tx *Tx) TaskOfMessage(chatID int64, messageID int) string {
	id, _ := tx.MessageLink(chatID, messageID)
	return id
}

// MessageLink returns the task and message kind linked to a sent message.
func (tx *Tx) MessageLink(chatID int64, messageID int) (taskID string, kind MessageKind) {
	id, k, _ := splitLink(tx.tx.Bucket(bktMsgTask).Get(msgKey(chatID, messageID)))
	return id, MessageKind(k)
}

func msgKey(chatID int64, messageID int) []byte {
	return append(u64(uint64(chatID)), u64(uint64(messageID))...)
}

// SeenUpdate reports whether a Telegram update was already handled; a
// re-delivered update (after a crash before the offset was confirmed) is
// then skipped rather than applied twice.
func (tx *Tx) SeenUpdate(id int64) bool {
	return tx.tx.Bucket(bktSeen).Get(u64(uint64(id))) != nil
}

// MarkUpdate records a handled update, in the same transaction as its effects.
func (tx *Tx) MarkUpdate(id int64) error {
	return tx.tx.Bucket(bktSeen).Put(u64(uint64(id)), u64(uint64(tx.now.Unix())))
}

// PruneUpdates forgets handled update IDs below id (Telegram never
// re-delivers an update older than the confirmed offset).
func (tx *Tx) PruneUpdates(below int64) error {
	if below <= 0 {
		return nil
	}
	b := tx.tx.Bucket(bktSeen)
	c := b.Cursor()
	for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) < uint64(below); k, _ = c.First() {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// JobState returns a scheduled job's stored state (its next fire time and
// whatever else the job keeps), or nil.
func (tx *Tx) JobState(name string) []byte {
	return bytes.Clone(tx.tx.Bucket(bktSchedule).Get([]byte(name)))
}

// SetJobState stores a scheduled job's state.
func (tx *Tx) SetJobState(name string, v []byte) error {
	return tx.tx.Bucket(bktSchedule).Put([]byte(name), v)
}

// Stage keeps data (a parsed import awaiting its confirm button) under id,
// stamped with the time so Prune can expire it (Retention.Staged).
func (tx *Tx) Stage(id string, v []byte) error {
	return tx.tx.Bucket(bktStaged).Put([]byte(id), stampStaged(tx.now, v))
}

// Staged returns and deletes staged data; nil when absent or already used.
func (tx *Tx) Staged(id string) ([]byte, error) {
	b := tx.tx.Bucket(bktStaged)
	v := b.Get([]byte(id))
	if v == nil {
		return nil, nil
	}
	data, _ := unstampStaged(v)
	return bytes.Clone(data), b.Delete([]byte(id))
}
