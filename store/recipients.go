package store

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// About names what a notice meant for the coordinators is about; it decides
// whether the coordinators' group alone hears it or the group and every
// private chat.
type About int

const (
	// AboutWork is the coordinators' daily work: digests, escalations,
	// extension requests, "no contact" notices. The digest chat hears it
	// when one is set; otherwise every reachable coordinator and admin, in
	// their private chats.
	AboutWork About = iota
	// AboutAlert is something that went wrong with delivery (a contact
	// who blocked the bot): every reachable coordinator and admin hears it
	// in their private chat, and the digest chat too when one is set.
	AboutAlert
)

// Recipient is one chat that hears a coordinators' notice.
type Recipient struct {
	ChatID int64
	// Group is set for the digest chat (the coordinators' group).
	Group bool
	// Contact is the registration behind a private chat; nil for the
	// group and for an admin who never registered.
	Contact *Contact
	// Admin is set for a chat of an admin named on the command line.
	Admin bool
}

// Audience answers "who hears about this" for everything addressed to the
// coordinators. It is the one rule: reachable coordinators' and admins'
// private chats, without duplicates, ordered by chat; the digest chat
// instead of them for AboutWork (beside them for AboutAlert) when one is
// set. A digest chat that removed the bot is cleared (DigestChatLost), so
// it falls back to the private chats by itself. digest is the digest chat
// (0: none), contacts every registration, admins the admins' user IDs.
func Audience(about About, digest int64, contacts []*Contact, admins []int64) []Recipient {
	var out []Recipient
	if digest != 0 {
		out = append(out, Recipient{ChatID: digest, Group: true})
		if about == AboutWork {
			return out
		}
	}
	byChat := map[int64]*Contact{}
	for _, c := range contacts {
		if c != nil {
			byChat[privateChat(c)] = c
		}
	}
	seen := map[int64]bool{digest: digest != 0}
	var private []Recipient
	add := func(chat int64, c *Contact, admin bool) {
		if chat == 0 || (c != nil && c.Unreachable) {
			return
		}
		if seen[chat] {
			if admin {
				for i := range private {
					if private[i].ChatID == chat {
						private[i].Admin = true
					}
				}
			}
			return
		}
		seen[chat] = true
		private = append(private, Recipient{ChatID: chat, Contact: c, Admin: admin})
	}
	for _, c := range contacts {
		if c != nil && (c.Role == RoleCoordinator || c.Role == RoleAdmin) {
			add(privateChat(c), c, c.Role == RoleAdmin)
		}
	}
	for _, id := range admins {
		add(id, byChat[id], true)
	}
	slices.SortFunc(private, func(a, b Recipient) int { return cmpInt64(a.ChatID, b.ChatID) })
	return append(out, private...)
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// privateChat is a registration's private chat (the user ID when the chat
// was never recorded).
func privateChat(c *Contact) int64 {
	if c.ChatID != 0 {
		return c.ChatID
	}
	return c.UserID
}

// Audience is the package-level Audience on what the store holds: the
// registrations, the digest chat and the admins of the running
// configuration (SetAdmins), plus admins given by the caller.
func (tx *Tx) Audience(about About, admins ...int64) ([]Recipient, error) {
	contacts, err := tx.Contacts()
	if err != nil {
		return nil, err
	}
	all := append(tx.Admins(), admins...)
	return Audience(about, tx.DigestChat(), contacts, all), nil
}

// DigestChat returns the coordinators' group set by /digestchat or
// --digest-chat (0 when none). It is the only reader of the setting.
func (tx *Tx) DigestChat() int64 {
	id, err := strconv.ParseInt(tx.Setting("digest_chat"), 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// SetDigestChat sets the coordinators' group; 0 clears it.
func (tx *Tx) SetDigestChat(id int64) error {
	if id == 0 {
		return tx.SetSetting("digest_chat", "")
	}
	return tx.SetSetting("digest_chat", strconv.FormatInt(id, 10))
}

// DigestChatLost clears the digest chat when chat is it (the bot was
// removed from the group, or it answered 403), and records why in the
// setting digest_chat_history (one line per change: time, chat, reason),
// so an operator can see where the group went. It reports whether chat
// was the digest chat.
func (tx *Tx) DigestChatLost(chat int64, reason string) (bool, error) {
	if chat == 0 || tx.DigestChat() != chat {
		return false, nil
	}
	if err := tx.SetDigestChat(0); err != nil {
		return false, err
	}
	return true, tx.noteDigestChat(chat, "cleared: "+reason)
}

// MoveDigestChat follows a group's upgrade to a supergroup (Telegram's
// migrate_to_chat_id): when from is the digest chat, to becomes it. It
// reports whether the setting moved.
func (tx *Tx) MoveDigestChat(from, to int64) (bool, error) {
	if from == 0 || to == 0 || tx.DigestChat() != from {
		return false, nil
	}
	if err := tx.SetDigestChat(to); err != nil {
		return false, err
	}
	return true, tx.noteDigestChat(from, "moved to "+strconv.FormatInt(to, 10)+" (supergroup)")
}

// noteDigestChat appends one line to the digest chat's history, keeping
// the last 20.
func (tx *Tx) noteDigestChat(chat int64, what string) error {
	lines := strings.Split(tx.Setting("digest_chat_history"), "\n")
	if lines[0] == "" {
		lines = nil
	}
	lines = append(lines, tx.now.UTC().Format(time.RFC3339)+" "+strconv.FormatInt(chat, 10)+" "+what)
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return tx.SetSetting("digest_chat_history", strings.Join(lines, "\n"))
}

// SetAdmins stores the admins of the running configuration (--admin), so
// parts that learn of a problem without the configuration at hand (the
// sender's 403) tell the admins too.
func (tx *Tx) SetAdmins(ids Admins) error {
	s := make([]string, 0, len(ids))
	for _, id := range ids {
		s = append(s, strconv.FormatInt(id, 10))
	}
	return tx.SetSetting("admins", strings.Join(s, ","))
}

// Admins returns the admins stored by SetAdmins.
func (tx *Tx) Admins() Admins {
	var out []int64
	for _, f := range strings.Split(tx.Setting("admins"), ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil && id != 0 {
			out = append(out, id)
		}
	}
	return out
}
