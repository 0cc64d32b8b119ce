package outbox

import (
	"time"

	"github.com/duban-bureau/duban/store"
)

// Enqueue puts m into the outbox, split on line boundaries into messages
// of at most MaxMessage characters, each with its own key
// (store.PartKey: key#2, key#3…) and the buttons on the last part. This is
// the only place texts are split: each part is its own delivery, paced and
// recorded on its own, so a crash resends at most one part (a transport
// that split again would resend all of them). An edit longer than the
// limit edits the message into the first part and sends the rest as new
// messages after it, the buttons on the last: the card gets its new
// buttons instead of a 400 "message is too long" and the old ones.
// Documents are not split (their caption is the transport's). It reports
// how many messages were added (0 when the key was already there).
func Enqueue(tx *store.Tx, m *store.Message) (int, error) {
	if m.Document != nil {
		ok, err := tx.Enqueue(m)
		return b2i(ok), err
	}
	parts := SplitMessage(m.Text, MaxMessage)
	if len(parts) <= 1 {
		ok, err := tx.Enqueue(m)
		return b2i(ok), err
	}
	n := 0
	for i, text := range parts {
		p := *m
		p.Text = text
		if i > 0 {
			p.Key = store.PartKey(m.Key, i+1)
			p.ReplyTo = 0
			p.EditID = 0 // the rest of a long edit are new messages
		}
		if i < len(parts)-1 {
			p.Buttons = nil
		}
		// Parts keep their order: the sender sends by NotBefore, then key,
		// and "k#10" sorts before "k#2".
		base := m.NotBefore
		if base.IsZero() {
			base = tx.Now()
		}
		p.NotBefore = base.Add(time.Duration(i))
		ok, err := tx.Enqueue(&p)
		if err != nil {
			return n, err
		}
		n += b2i(ok)
	}
	return n, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
