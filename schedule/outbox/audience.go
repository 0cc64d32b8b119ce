package outbox

import (
	"github.com/duban-bureau/duban/schedule/lang"
	"html"
	"math"
	"strconv"

	"github.com/duban-bureau/duban/store"
)

// notifyUnreachable follows a 403 from chat (already marked unreachable).
// When chat was the coordinators' group, GroupLost re-addresses its
// messages; otherwise every reachable coordinator and admin, and the
// digest chat (store.AboutAlert), hear once that the contact cannot be
// reached, keyed "unreachable|<chat>|<recipient>".
func notifyUnreachable(tx *store.Tx, chat int64, lang lang.Lang) error {
	if lost, err := GroupLost(tx, chat, "403", lang); err != nil || lost {
		return err
	}
	to, err := tx.Audience(store.AboutAlert)
	if err != nil {
		return err
	}
	contacts, err := tx.Contacts()
	if err != nil {
		return err
	}
	who := say(lang, "aud_chat", strconv.FormatInt(chat, 10))
	for _, c := range contacts {
		if c.ChatID == chat {
			who = html.EscapeString(c.Name)
			if c.Dept != "" {
				who += say(lang, "aud_dept", html.EscapeString(c.Dept))
			}
		}
	}
	text := say(lang, "aud_unreachable", who)
	for _, r := range to {
		if r.ChatID == chat {
			continue
		}
		_, err := tx.Enqueue(&store.Message{
			Key:    store.MessageKey("unreachable", chat, r.ChatID),
			ChatID: r.ChatID,
			Kind:   store.KindNotice,
			Text:   text,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ContactUnreachable tells the coordinators and admins that chat (a
// contact who blocked the bot) can no longer be reached; see
// notifyUnreachable. Telling twice is a no-op.
func ContactUnreachable(tx *store.Tx, chat int64, lang lang.Lang) error {
	return notifyUnreachable(tx, chat, lang)
}

// GroupLost handles the coordinators' group removing the bot (a
// my_chat_member "kicked" or "left", or a 403 from it). When chat is the
// digest chat, the setting is cleared with a note in its history, every
// message still pending for the group is re-addressed to the coordinators'
// and admins' private chats (same text and buttons, so an extension
// request keeps its approve button), and they are told once. It reports
// whether chat was the digest chat; for any other chat it does nothing.
func GroupLost(tx *store.Tx, chat int64, reason string, lang lang.Lang) (bool, error) {
	lost, err := tx.DigestChatLost(chat, reason)
	if err != nil || !lost {
		return false, err
	}
	to, err := tx.Audience(store.AboutWork)
	if err != nil {
		return true, err
	}
	if err := readdress(tx, chat, to); err != nil {
		return true, err
	}
	text := say(lang, "aud_group_lost", i64toa(chat))
	at := strconv.FormatInt(tx.Now().Unix(), 10)
	for _, r := range to {
		if _, err := tx.Enqueue(&store.Message{Key: store.MessageKey("grouplost", chat, at, r.ChatID),
			ChatID: r.ChatID, Kind: store.KindNotice, Text: text}); err != nil {
			return true, err
		}
	}
	return true, nil
}

func group(to []store.Recipient) bool { return len(to) == 1 && to[0].Group }

// ChatMoved follows a group's upgrade to a supergroup: when from was the
// digest chat, to becomes it, and messages pending for from go to to. It
// reports whether the digest chat moved.
func ChatMoved(tx *store.Tx, from, to int64) (bool, error) {
	moved, err := tx.MoveDigestChat(from, to)
	if err != nil {
		return false, err
	}
	return moved, readdress(tx, from, []store.Recipient{{ChatID: to, Group: true}})
}

// readdress moves every message pending for chat to the chats in to: the
// original fails with a note, each recipient gets a copy keyed
// "<key>|to|<chat>". Edits of the group's messages cannot move and fail;
// replies to the group's commands stay where they were unless the group
// itself moved (a supergroup upgrade). A message delivered in the last
// moments before the loss may be copied too: delivery stays at-least-once.
func readdress(tx *store.Tx, chat int64, to []store.Recipient) error {
	var refs []store.PendingRef
	for band := store.Band(0); band < store.Bands; band++ {
		r, err := tx.PendingRefs(band, math.MaxInt)
		if err != nil {
			return err
		}
		refs = append(refs, r...)
	}
	for _, ref := range refs {
		if ref.ChatID != chat {
			continue
		}
		m, err := tx.Message(ref.Key)
		if err != nil {
			return err
		}
		if m.Kind == store.KindReply && !group(to) {
			// An answer to a command given in the group is for the group;
			// it may also be delivered already (the sent log folds into
			// the outbox only every 100 ms).
			continue
		}
		orig := *m
		m.State, m.LastError = store.MessageFailed, "the coordinators' group removed the bot; re-addressed to private chats"
		if err := tx.UpdateMessage(m); err != nil {
			return err
		}
		if orig.EditID != 0 {
			continue
		}
		for _, r := range to {
			c := orig
			c.Key = store.MessageKey(orig.Key, "to", r.ChatID)
			c.ChatID, c.ReplyTo = r.ChatID, 0
			c.Attempts, c.LastError = 0, ""
			c.Created, c.NotBefore = tx.Now(), tx.Now()
			if _, err := tx.Enqueue(&c); err != nil {
				return err
			}
		}
	}
	return nil
}
