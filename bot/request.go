// Package bot is duban's chat: the commands of DESIGN.md §5, their
// permissions and replies, and the Telegram transport (polling, webhook,
// sending) built on github.com/go-telegram/bot. Handlers see a Request and
// answer through the store's outbox, so the same handlers serve Telegram,
// the terminal shell and tests.
package bot

import (
	"strings"
	"unicode"

	"github.com/go-telegram/bot/models"
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
	crashed                bool // a previous run died handling this update (poison.go)
}

// FromUpdate converts a Telegram update. ok is false for updates duban
// ignores (edited messages, channel posts, polls, …).
func FromUpdate(u *models.Update, botID int64) (Request, bool) {
	r := Request{UpdateID: u.ID}
	switch {
	case u.Message != nil && (u.Message.MigrateToChatID != 0 || u.Message.MigrateFromChatID != 0):
		m := u.Message
		r.ChatID, r.Group, r.MessageID = m.Chat.ID, true, m.ID
		if m.From != nil {
			r.fromUser(m.From)
		}
		r.MigrateFrom, r.MigrateTo = m.Chat.ID, m.MigrateToChatID
		if m.MigrateFromChatID != 0 {
			r.MigrateFrom, r.MigrateTo = m.MigrateFromChatID, m.Chat.ID
		}
		return r, true
	case u.Message != nil:
		m := u.Message
		if m.From == nil {
			return r, false
		}
		r.fromUser(m.From)
		r.ChatID, r.Group, r.MessageID = m.Chat.ID, m.Chat.Type != models.ChatTypePrivate, m.ID
		r.Text = m.Text
		if r.Text == "" {
			r.Text = m.Caption
		}
		if m.ReplyToMessage != nil {
			r.ReplyToID = m.ReplyToMessage.ID
			r.ReplyToMe = m.ReplyToMessage.From != nil && m.ReplyToMessage.From.IsBot &&
				(botID == 0 || m.ReplyToMessage.From.ID == botID)
		}
		if d := m.Document; d != nil {
			r.DocumentID, r.DocumentName, r.DocumentSize = d.FileID, d.FileName, d.FileSize
		}
		return r, true
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		r.fromUser(&q.From)
		r.CallbackID, r.CallbackData = q.ID, q.Data
		if m := q.Message.Message; m != nil {
			r.ChatID, r.Group, r.MessageID = m.Chat.ID, m.Chat.Type != models.ChatTypePrivate, m.ID
		} else if im := q.Message.InaccessibleMessage; im != nil {
			r.ChatID, r.MessageID = im.Chat.ID, im.MessageID
		}
		if r.ChatID == 0 {
			r.ChatID = q.From.ID
		}
		return r, true
	case u.MyChatMember != nil:
		m := u.MyChatMember
		r.fromUser(&m.From)
		r.ChatID, r.Group = m.Chat.ID, m.Chat.Type != models.ChatTypePrivate
		r.MemberStatus = string(m.NewChatMember.Type)
		return r, true
	}
	return r, false
}

func (r *Request) fromUser(u *models.User) {
	r.UserID, r.Username = u.ID, u.Username
	r.Name = strings.TrimSpace(u.FirstName + " " + u.LastName)
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
