package schedule

import (
	"strconv"
	"time"

	"github.com/duban-bureau/duban/store"
)

// Enqueue puts m into the outbox, split on line boundaries into messages
// of at most MaxMessage characters, each with its own key (key#2, key#3…)
// and the buttons on the last part. Splitting here rather than in the
// transport keeps every part under the sender's rate limits and makes each
// part its own delivery, so a crash resends at most one part. It reports
// how many messages were added (0 when the key was already there).
func Enqueue(tx *store.Tx, m *store.Message) (int, error) {
	if m.EditID != 0 || m.Document != nil {
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
			p.Key = m.Key + "#" + strconv.Itoa(i+1)
			p.ReplyTo = 0
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
