package store

import "time"

// Button is an inline keyboard button; Data is the callback data (≤64 bytes).
type Button struct {
	Text string
	Data string
}

// Document is a file attached to a message (an /export workbook).
type Document struct {
	Name string
	Data []byte
}

// MessageState is where an outbox entry is in its delivery.
type MessageState string

// Outbox states. An entry is Pending until the transport accepted it (Sent),
// refused it for good (Failed: a permanent 400, or a 403 chat), or it was
// folded into a summary (Folded).
const (
	MessagePending MessageState = "pending"
	MessageSent    MessageState = "sent"
	MessageFailed  MessageState = "failed"
	MessageFolded  MessageState = "folded"
)

// Message is one outgoing Telegram message in the durable outbox. Key is its
// idempotency key: enqueuing the same key twice keeps the first.
type Message struct {
	Key    string // e.g. "rem|4.1.3|before7|2021-06-30|123456"
	ChatID int64
	Kind   string // "reply", "reminder", "overdue", "escalation", "digest", "edit", "notice", …
	TaskID string // the task the message is about, if any (a reply to it updates that task)

	Text       string // HTML (parse_mode HTML), already escaped
	Buttons    [][]Button
	ReplyTo    int       // reply_to_message_id
	ForceReply bool      // ask the client to open a reply to this message (a prompt)
	EditID     int       // when set, edit this message instead of sending a new one
	Document   *Document // when set, send a document with Text as caption
	CatchUp    bool      // 补发: sent late, after downtime
	DueAt      time.Time // when the policy meant it to go out
	NotBefore  time.Time // earliest next attempt (set by rate limits and back-off)

	State     MessageState
	Attempts  int
	LastError string
	SentAt    time.Time
	SentID    int // Telegram message_id once sent
	Created   time.Time
}
