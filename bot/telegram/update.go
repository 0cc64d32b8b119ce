package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot"
)

// HandleUpdate converts one Telegram update and hands it to the chat (see
// HandleUpdates).
func HandleUpdate(ctx context.Context, a *bot.App, u *models.Update) bot.Result {
	return HandleUpdates(ctx, a, []*models.Update{u})[0]
}

// HandleUpdates converts one chat's updates that arrived together and hands
// them to bot.App.HandleRequests: handled in order, in one transaction, one
// log line each. Updates duban does not act on (FromUpdate's ok is false)
// are passed as Ignored, so they are logged and counted too.
func HandleUpdates(ctx context.Context, a *bot.App, us []*models.Update) []bot.Result {
	return a.HandleRequests(ctx, Requests(us, a.BotID))
}

// Requests converts updates for bot.App.HandleRequests; an update duban
// does not act on becomes an Ignored request carrying its ID.
func Requests(us []*models.Update, botID int64) []bot.Request {
	rs := make([]bot.Request, len(us))
	for i, u := range us {
		r, ok := FromUpdate(u, botID)
		if !ok {
			r = bot.Request{UpdateID: u.ID, Ignored: true}
		}
		rs[i] = r
	}
	return rs
}

// FromUpdate converts a Telegram update. ok is false for updates duban
// ignores (edited messages, channel posts, polls, …).
func FromUpdate(u *models.Update, botID int64) (bot.Request, bool) {
	r := bot.Request{UpdateID: u.ID}
	switch {
	case u.Message != nil && (u.Message.MigrateToChatID != 0 || u.Message.MigrateFromChatID != 0):
		m := u.Message
		r.ChatID, r.Group, r.MessageID = m.Chat.ID, true, m.ID
		if m.From != nil {
			fromUser(&r, m.From)
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
		fromUser(&r, m.From)
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
		fromUser(&r, &q.From)
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
		fromUser(&r, &m.From)
		r.ChatID, r.Group = m.Chat.ID, m.Chat.Type != models.ChatTypePrivate
		r.MemberStatus = string(m.NewChatMember.Type)
		return r, true
	}
	return r, false
}

func fromUser(r *bot.Request, u *models.User) {
	r.UserID, r.Username = u.ID, u.Username
	r.Name = strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// WebhookHandler receives updates pushed by Telegram. Unlike the library's
// handler it answers 401 to a missing or wrong secret token, 400 to a body
// that is not an update, and 200 only after the update is persisted, so
// Telegram re-delivers anything duban did not take.
func WebhookHandler(a *bot.App, secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := req.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var u models.Update
		if err := json.NewDecoder(io.LimitReader(req.Body, 1<<20)).Decode(&u); err != nil || u.ID == 0 {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		res := HandleUpdate(context.WithoutCancel(req.Context()), a, &u)
		if res.Outcome == "error" {
			http.Error(w, "not persisted", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
