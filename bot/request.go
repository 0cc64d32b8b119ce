// Package bot is duban's chat: the command and button table (commands.go),
// the commands' permissions, handlers and replies, task cards, the import
// of a document sent to the bot (receiving it, showing seeds/intake's
// preview and its buttons) and the 督办台账 workbook. Handlers see a
// transport-free Request and answer through the store's outbox, so the same
// handlers serve Telegram (the adapter bot/telegram converts updates into
// Requests and sends the outbox), the terminal shell and tests.
//
// It may import store, store/listfile, schedule, schedule/lang and
// seeds/intake; never bot/telegram, bot/server or the Telegram library.
package bot

import (
	"strings"
	"unicode"
)

// Request is one thing a user did: a message, a button press, a document, or
// a change of the bot's membership in a chat. It carries only what handlers
// need, independent of the transport.
type Request struct {
	UpdateID int64 // Telegram update_id; handled updates are remembered by it

	UserID   int64
	Name     string // first + last name, for history entries
	Username string

	ChatID    int64
	Group     bool // a group or supergroup (commands need the bot's attention there)
	MessageID int

	Text      string
	ReplyToID int  // the message this one replies to
	ReplyToMe bool // ... and that message is the bot's own

	CallbackID   string // set for a button press
	CallbackData string

	DocumentID   string // set for a sent document (an import)
	DocumentName string
	DocumentSize int64

	MemberStatus string // my_chat_member: "kicked", "member", "left", …

	// A group upgraded to a supergroup: its messages and settings move
	// from MigrateFrom to MigrateTo (migrate_to_chat_id / migrate_from_chat_id).
	MigrateFrom, MigrateTo int64

	// Ignored marks an update duban does not act on (an edited message, a
	// channel post, …): it is logged and counted, nothing else.
	Ignored bool
	crashed bool // a previous run died handling this update (poison.go)
}

// Command splits "/cmd@bot args" into the command name (lower case, no
// slash) and its arguments. ok is false for plain text, and for a command
// addressed to another bot (/my@otherbot).
func Command(text, botName string) (name, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, rest := text[1:], ""
	if i := strings.IndexFunc(head, unicode.IsSpace); i >= 0 {
		head, rest = head[:i], head[i:]
	}
	if at := strings.IndexByte(head, '@'); at >= 0 {
		if botName != "" && !strings.EqualFold(head[at+1:], botName) {
			return "", "", false
		}
		head = head[:at]
	}
	return strings.ToLower(head), strings.TrimSpace(rest), head != ""
}
