package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Retention says how long what only serves delivery and deduplication is
// kept; the running server prunes once a day (schedule.Runner). Tasks,
// history, contacts and extensions are the bureau's record and are never
// pruned.
type Retention struct {
	// Outbox keeps a delivered, failed or folded message this long after
	// it settled. Its key is the idempotency key: it must outlive every
	// decision that could enqueue it again. The schedule decides each fire
	// instant once (its job state moves past it in the same transaction
	// as the enqueue) and folds what is older than the catch-up window (7
	// days) into a summary; a reply's key is decided again only if its
	// update is, which updates.seen prevents (Updates). 14 days is twice
	// the catch-up window.
	Outbox time.Duration
	// Bodies keeps a settled message whole this long; after that only a
	// stub (key, chat, state, Telegram message ID, when it settled)
	// remains until Outbox.
	Bodies time.Duration
	// Links keeps the link from a delivered message to its task (so a
	// plain reply to a reminder finds the task) this long.
	Links time.Duration
	// Staged keeps an import awaiting its confirm button this long.
	Staged time.Duration
	// Updates keeps a handled update ID this long. Telegram re-delivers
	// an unconfirmed update for at most 24 hours; the newest ID is always
	// kept.
	Updates time.Duration
}

// DefaultRetention is what duban serve prunes with.
var DefaultRetention = Retention{Outbox: 14 * 24 * time.Hour, Bodies: 24 * time.Hour, Links: 90 * 24 * time.Hour, Staged: 24 * time.Hour, Updates: 7 * 24 * time.Hour}

// Pruned counts what one Prune deleted.
type Pruned struct {
	Messages, Bodies, Links, Staged, Updates int
}

// Prune deletes, as of tx.Now, what r no longer keeps: settled outbox
// messages, old reply links, expired staged imports, old handled
// update IDs. Pending messages are never touched.
func (tx *Tx) Prune(r Retention) (Pruned, error) {
	var p Pruned
	var err error
	if r.Outbox > 0 {
		bodies := tx.now.Add(-r.Bodies)
		if r.Bodies <= 0 {
			bodies = time.Time{}
		}
		if p.Messages, p.Bodies, err = tx.pruneOutbox(tx.now.Add(-r.Outbox), bodies); err != nil {
			return p, err
		}
	}
	if r.Links > 0 {
		if p.Links, err = tx.pruneLinks(tx.now.Add(-r.Links)); err != nil {
			return p, err
		}
	}
	if r.Staged > 0 {
		if p.Staged, err = tx.pruneStaged(tx.now.Add(-r.Staged)); err != nil {
			return p, err
		}
	}
	if r.Updates > 0 {
		if p.Updates, err = tx.pruneSeen(tx.now.Add(-r.Updates)); err != nil {
			return p, err
		}
	}
	return p, nil
}

// settledAt is the last instant the outbox did anything with m.
func settledAt(m *Message) time.Time {
	t := m.Created
	for _, u := range []time.Time{m.SentAt, m.NotBefore, m.DueAt} {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// pruneOutbox deletes messages no longer pending that settled before t,
// and reduces those that settled before bodies to a messageStub (Telegram
// holds the delivered copy; the key stays taken as the idempotency key). Their reply links stay (Retention.Links).
func (tx *Tx) pruneOutbox(before, bodies time.Time) (msgs, emptied int, err error) {
	b := tx.tx.Bucket(bktOutbox)
	var del [][]byte
	var empty [][2][]byte
	err = b.ForEach(func(k, v []byte) error {
		m, err := decodeMessage(v)
		if err != nil {
			return Errorf(EINTERNAL, "outbox message %q: %v", k, err)
		}
		if m.State == MessagePending {
			return nil
		}
		switch at := settledAt(m); {
		case at.Before(before):
			del = append(del, bytes.Clone(k))
		case at.Before(bodies) && !m.stub():
			v, err := json.Marshal(messageStub{ChatID: m.ChatID, State: m.State, SentID: m.SentID, Created: at})
			if err != nil {
				return err
			}
			empty = append(empty, [2][]byte{bytes.Clone(k), v})
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	for _, kv := range empty {
		// Delete first: bbolt merges a sparse page only after a delete in
		// it, and the page that held the body is mostly empty now.
		if err := b.Delete(kv[0]); err != nil {
			return 0, 0, err
		}
		if err := b.Put(kv[0], kv[1]); err != nil {
			return 0, 0, err
		}
	}
	return len(del), len(empty), deleteKeys(b, del)
}

// messageStub is what remains of a settled message once its body is
// gone: enough to keep its key taken, to know it is not pending and when it
// settled (Created). It decodes as a Message.
type messageStub struct {
	ChatID  int64        `json:"ChatID"`
	State   MessageState `json:"State"`
	SentID  int          `json:"SentID,omitempty"`
	Created time.Time    `json:"Created"`
}

// stub reports whether m was decoded from a messageStub.
func (m *Message) stub() bool {
	return m.Text == "" && m.Buttons == nil && m.Document == nil && m.Kind == "" && m.SentAt.IsZero()
}

func deleteKeys(b *bolt.Bucket, keys [][]byte) error {
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// linkValue is a sent.task value: task ID 0x00 kind 0x00 linked-at unix
// s u64 BE. Links written before the stamp end after the kind; the first
// Prune that sees one stamps it.
func linkValue(taskID, kind string, at time.Time) []byte {
	v := append([]byte(taskID+"\x00"+kind+"\x00"), make([]byte, 8)...)
	binary.BigEndian.PutUint64(v[len(v)-8:], uint64(at.Unix()))
	return v
}

func splitLink(v []byte) (taskID, kind string, at time.Time) {
	id, rest, _ := bytes.Cut(v, []byte{0})
	k, stamp, ok := bytes.Cut(rest, []byte{0})
	if ok && len(stamp) == 8 {
		at = time.Unix(int64(binary.BigEndian.Uint64(stamp)), 0)
	}
	return string(id), string(k), at
}

// pruneLinks deletes reply links made before t.
func (tx *Tx) pruneLinks(before time.Time) (int, error) {
	return pruneStamped(tx.tx.Bucket(bktMsgTask), before,
		func(v []byte) time.Time { _, _, at := splitLink(v); return at },
		func(v []byte) []byte { id, kind, _ := splitLink(v); return linkValue(id, kind, tx.now) })
}

// pruneStamped deletes the entries of b whose value was stamped before
// before, and stamps with now the ones written before values carried a
// time. at reads a value's time (zero: unstamped); stamp gives its
// stamped form.
func pruneStamped(b *bolt.Bucket, before time.Time, at func(v []byte) time.Time, stamp func(v []byte) []byte) (int, error) {
	var del [][]byte
	stamped := map[string][]byte{}
	err := b.ForEach(func(k, v []byte) error {
		switch t := at(v); {
		case t.IsZero():
			stamped[string(k)] = stamp(v)
		case t.Before(before):
			del = append(del, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for k, v := range stamped {
		if err := b.Put([]byte(k), v); err != nil {
			return 0, err
		}
	}
	return len(del), deleteKeys(b, del)
}

// stagedStamp marks a staged value that starts with its staging time:
// 0x00, then unix ns u64 BE. Values staged before the stamp (JSON, never
// starting with 0x00) are stamped by the first Prune that sees them.
const stagedStamp = 0x00

func stampStaged(at time.Time, v []byte) []byte {
	out := make([]byte, 0, 9+len(v))
	out = append(out, stagedStamp)
	out = binary.BigEndian.AppendUint64(out, uint64(at.UnixNano()))
	return append(out, v...)
}

// unstampStaged returns a staged value's data and staging time (zero for
// an unstamped value).
func unstampStaged(v []byte) ([]byte, time.Time) {
	if len(v) >= 9 && v[0] == stagedStamp {
		return v[9:], time.Unix(0, int64(binary.BigEndian.Uint64(v[1:9])))
	}
	return v, time.Time{}
}

func (tx *Tx) pruneStaged(before time.Time) (int, error) {
	return pruneStamped(tx.tx.Bucket(bktStaged), before,
		func(v []byte) time.Time { _, at := unstampStaged(v); return at },
		func(v []byte) []byte { data, _ := unstampStaged(v); return stampStaged(tx.now, data) })
}

// pruneSeen deletes handled update IDs handled before t, except the
// newest, so the highest ID handled stays known.
func (tx *Tx) pruneSeen(before time.Time) (int, error) {
	b := tx.tx.Bucket(bktSeen)
	last, _ := b.Cursor().Last()
	var del [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if bytes.Equal(k, last) || len(v) != 8 {
			return nil
		}
		if time.Unix(int64(binary.BigEndian.Uint64(v)), 0).Before(before) {
			del = append(del, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(del), deleteKeys(b, del)
}
