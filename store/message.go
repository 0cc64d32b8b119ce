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

// MessageKind says what an outbox message is. The sent log keeps it with
// the message's link to its task, so it decides how a plain reply to the
// message is read; the schedule counts and folds messages by it.
type MessageKind string

// The chat's messages.
const (
	KindReply     MessageKind = "reply"     // an answer in the chat a request came from
	KindEdit      MessageKind = "edit"      // a new text (and buttons) for a message already sent (EditID)
	KindNotice    MessageKind = "notice"    // a change told to a department's contacts or a person; the schedule's notes to coordinators and admins
	KindReview    MessageKind = "review"    // a done claim, to the coordinators to sign off or return
	KindBlocked   MessageKind = "blocked"   // a blocker, to the coordinators to answer
	KindExtension MessageKind = "extension" // an extension request, to the coordinators to decide

	// Prompts: a plain reply to one (or the next message in that chat) is
	// the rest of a pressed button's action. Each is also the catalogue
	// key of its question.
	KindPromptProgress MessageKind = "prompt_prog" // the figure of 更新进度
	KindPromptExtend   MessageKind = "prompt_ext"  // the date and reason of 申请延期
	KindPromptBlocked  MessageKind = "prompt_blk"  // the reason of 遇到困难
	KindPromptReturn   MessageKind = "prompt_ret"  // a coordinator's reason for 退回重办
	KindPromptAnswer   MessageKind = "prompt_ans"  // a coordinator's answer to a blocker
	KindPromptReject   MessageKind = "prompt_rej"  // a coordinator's reason for refusing an extension
)

// The schedule's messages. A reply to a KindReminder, KindOverdue or
// KindAsk message is an update of its TaskID; a reply to a KindDaily,
// KindHead or KindLadder message names its task (their TaskID lists them).
const (
	KindReminder   MessageKind = "reminder"   // before the deadline
	KindOverdue    MessageKind = "overdue"    // after the deadline, to the department
	KindAsk        MessageKind = "ask"        // monthly progress request for continuous work
	KindEscalation MessageKind = "escalation" // newly overdue tasks and unreachable departments, to coordinators
	KindCatchUp    MessageKind = "catchup"    // summary of reminders missed beyond the catch-up window
	KindDigest     MessageKind = "digest"     // the 督办周报
	KindLedger     MessageKind = "ledger"     // the 督办台账 workbook a digest attaches when its lists were cut
	KindMonthly    MessageKind = "monthly"    // the monthly report to the coordinators
	KindDaily      MessageKind = "daily"      // a contact's one message on a day with reminders for several tasks
	KindHead       MessageKind = "head"       // to the department head: overdue reminders nobody answered
	KindLadder     MessageKind = "ladder"     // to the coordinators, the next step up the escalation ladder
)

// Message is one outgoing Telegram message in the durable outbox. Key is its
// idempotency key: enqueuing the same key twice keeps the first.
type Message struct {
	Key    string // e.g. "rem|4.1.3|before7|2021-06-30|123456"
	ChatID int64
	Kind   MessageKind
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
