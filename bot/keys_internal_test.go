package bot

import (
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
)

// TestReplyKey pins the outbox keys the chat makes: existing outboxes
// hold them, and a re-delivered update must find its replies under the
// same keys (a crash between commit and confirm resends nothing).
func TestReplyKey(t *testing.T) {
	now := time.Unix(0, 1_700_000_000_123_456_789)
	for _, c := range []struct{ got, want string }{
		{replyKey(Request{UpdateID: 77, ChatID: 5, MessageID: 3}, 0, now), "r|77|5|3|0"},
		{replyKey(Request{UpdateID: 77, ChatID: -1001234, MessageID: 3}, 12, now), "r|77|-1001234|3|12"},
		{replyKey(Request{ChatID: 5, MessageID: 3}, 1, now), "r|0|5|3|1|cwyvpeni7w9h"},
		{store.MessageKey("err", int64(77), 3), "err|77|3"},
		{store.MessageKey("panic", int64(77), int64(5), 3), "panic|77|5|3"},
		{store.MessageKey("nudge", "4.1.3", int64(77), "cwyvpeni7w9h", 2), "nudge|4.1.3|77|cwyvpeni7w9h|2"},
	} {
		if c.got != c.want {
			t.Errorf("key %q, want %q", c.got, c.want)
		}
	}
}
