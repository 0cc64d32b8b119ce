package telegramtest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// chatState is everything the fake knows about one chat: its messages in
// order (with their latest content) and whether the bot may write to it.
type chatState struct {
	chat      Chat
	known     bool // seen in an update or added, which WithStrictChats needs
	nextID    int
	order     []int
	msgs      map[int]*Message
	blocked   bool
	sent      int       // messages the bot sent here
	throttled time.Time // sends fail with 429 until then
}

// PrivateChat returns the private chat Telegram would report for u.
func PrivateChat(u User) Chat {
	return Chat{ID: u.ID, Type: ChatTypePrivate, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username}
}

// GroupChat returns a group chat; Telegram gives groups negative IDs, so a
// positive id is negated.
func GroupChat(id int64, title string) Chat {
	if id > 0 {
		id = -id
	}
	return Chat{ID: id, Type: ChatTypeGroup, Title: title}
}

// AddChat makes a chat known, as if its user pressed Start or the bot was
// added to the group; only WithStrictChats cares.
func (s *Server) AddChat(c Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowChatLocked(c)
	s.changedLocked()
}

func (s *Server) knowChatLocked(c Chat) *chatState {
	cs := s.chatLocked(c.ID)
	cs.chat = c
	cs.known = true
	return cs
}

// chatLocked returns the state of a chat, inventing a plausible chat for an
// ID never seen.
func (s *Server) chatLocked(id int64) *chatState {
	cs, ok := s.chats[id]
	if !ok {
		c := Chat{ID: id, Type: ChatTypePrivate}
		switch {
		case id < -1_000_000_000_000:
			c.Type = ChatTypeSupergroup
		case id < 0:
			c.Type = ChatTypeGroup
		}
		cs = &chatState{chat: c, nextID: 1, msgs: map[int]*Message{}}
		s.chats[id] = cs
	}
	return cs
}

// addMessageLocked stores m in its chat under the chat's next message ID.
func (s *Server) addMessageLocked(cs *chatState, m *Message) {
	m.ID = cs.nextID
	cs.nextID++
	m.Chat = cs.chat
	cs.order = append(cs.order, m.ID)
	cs.msgs[m.ID] = m
	s.changedLocked()
}

// chatID reads chat_id, which may be an integer or an @username.
func (s *Server) chatID(r *request) (int64, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.chatIDLocked(r)
}

func (s *Server) chatIDLocked(r *request) (int64, *apiError) {
	v := strings.TrimSpace(r.params["chat_id"])
	if v == "" {
		return 0, badRequest("chat_id is empty")
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		return id, nil
	}
	if name, ok := strings.CutPrefix(v, "@"); ok {
		for id, cs := range s.chats {
			if strings.EqualFold(cs.chat.Username, name) {
				return id, nil
			}
		}
	}
	return 0, badRequest("chat not found")
}

// admitLocked decides whether the bot may write to a chat now: unknown chats
// (strict mode), blocks, throttles and the flood limits, in that order.
func (s *Server) admitLocked(method string, cs *chatState) *apiError {
	if s.strict && !cs.known {
		if cs.chat.ID > 0 {
			return &apiError{Code: http.StatusForbidden, Description: "Forbidden: bot can't initiate conversation with a user"}
		}
		return badRequest("chat not found")
	}
	if cs.blocked {
		return &apiError{Code: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}
	}
	now := s.now()
	if now.Before(cs.throttled) {
		return tooManyRequests(ceilSeconds(cs.throttled.Sub(now)))
	}
	if s.limiter != nil && limitedMethods[method] {
		if wait := s.limiter.take(cs.chat.ID, now); wait > 0 {
			return tooManyRequests(s.limiter.retryAfter(wait))
		}
	}
	return nil
}

// Sent returns the bot's messages in a chat, oldest first, each with its
// latest text and reply markup after edits. Treat them as read-only.
func (s *Server) Sent(chatID int64) []Message {
	return s.messages(chatID, true)
}

// SentCount counts the messages the bot has sent to a chat, or to all
// chats for chatID 0, without copying them: cheap enough for benchmarks
// to poll in WaitFor.
func (s *Server) SentCount(chatID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if chatID == 0 {
		return s.sent
	}
	if cs, ok := s.chats[chatID]; ok {
		return cs.sent
	}
	return 0
}

// Messages returns every message in a chat, the user's and the bot's.
func (s *Server) Messages(chatID int64) []Message {
	return s.messages(chatID, false)
}

func (s *Server) messages(chatID int64, botOnly bool) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	var out []Message
	for _, id := range cs.order {
		m := cs.msgs[id]
		if !botOnly || (m.From != nil && m.From.ID == s.me.ID) {
			out = append(out, *m)
		}
	}
	return out
}

// Message returns one message of a chat as it is now.
func (s *Server) Message(chatID int64, messageID int) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cs, ok := s.chats[chatID]; ok {
		if m, ok := cs.msgs[messageID]; ok {
			return *m, true
		}
	}
	return Message{}, false
}
