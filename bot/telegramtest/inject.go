package telegramtest

import (
	"fmt"
	"strings"
)

// The injectors below play the user's side: each builds the update
// Telegram would send, stores the user's message in the chat (so the bot
// can reply to it and message IDs stay shared, as in a real chat) and
// queues the update for getUpdates. A zero chat means the private chat
// with from.

// SendText queues a text message from a user. Text starting with "/" gets
// a bot_command entity at offset 0, as Telegram adds.
func (s *Server) SendText(from User, chat Chat, text string) (updateID int64) {
	return s.userMessage(from, chat, 0, &Message{Text: text, Entities: commandEntity(text)})
}

// ReplyText queues a text message that replies to message replyTo of the
// chat, typically a bot message asking a question.
func (s *Server) ReplyText(from User, chat Chat, replyTo int, text string) (updateID int64) {
	return s.userMessage(from, chat, replyTo, &Message{Text: text, Entities: commandEntity(text)})
}

// SendGroupText queues a message from a user in a group chat (negative ID).
func (s *Server) SendGroupText(from User, groupID int64, title, text string) (updateID int64) {
	return s.SendText(from, GroupChat(groupID, title), text)
}

// SendDocument queues a message carrying a document; the file is stored so
// getFile and the download work on its file_id.
func (s *Server) SendDocument(from User, chat Chat, fileName string, data []byte) (updateID int64) {
	s.mu.Lock()
	f := s.addFileLocked(fileName, data)
	s.mu.Unlock()
	return s.userMessage(from, chat, 0, &Message{Document: f.document()})
}

func (s *Server) userMessage(from User, chat Chat, replyTo int, m *Message) int64 {
	if chat.ID == 0 {
		chat = PrivateChat(from)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.knowChatLocked(chat)
	if t, ok := cs.msgs[replyTo]; ok {
		c := *t
		c.ReplyToMessage = nil
		m.ReplyToMessage = &c
	}
	from.IsBot = false
	m.From = &from
	m.Date = int(s.now().Unix())
	s.addMessageLocked(cs, m)
	return s.pushLocked(&Update{Message: m})
}

func commandEntity(text string) []MessageEntity {
	if !strings.HasPrefix(text, "/") || len(text) < 2 {
		return nil
	}
	cmd, _, _ := strings.Cut(text, " ")
	cmd, _, _ = strings.Cut(cmd, "\n")
	return []MessageEntity{{Type: MessageEntityTypeBotCommand, Offset: 0, Length: utf16Len(cmd)}}
}

// PressButton queues a callback_query as if from pressed an inline button
// with data under message messageID of the chat. It returns the query ID,
// which the bot must answer once (see Callbacks).
func (s *Server) PressButton(from User, chat Chat, messageID int, data string) (callbackID string) {
	if chat.ID == 0 {
		chat = PrivateChat(from)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.knowChatLocked(chat)
	s.nextCBQ++
	callbackID = fmt.Sprintf("%d", 4_000_000_000_000_000_000+int64(s.nextCBQ))
	s.queries[callbackID] = false
	msg := &Message{ID: messageID, Chat: cs.chat} // inaccessible: date 0
	if m, ok := cs.msgs[messageID]; ok {
		c := *m
		msg = &c
	}
	from.IsBot = false
	s.pushLocked(&Update{CallbackQuery: &CallbackQuery{
		ID: callbackID, From: from, Message: msg, ChatInstance: fmt.Sprintf("%d", cs.chat.ID), Data: data,
	}})
	return callbackID
}

// ChatMemberUpdate queues the my_chat_member update Telegram sends when a
// user blocks ("kicked") or restarts ("member") the bot, and blocks or
// unblocks their private chat to match; "left" is accepted too.
func (s *Server) ChatMemberUpdate(user User, status string) (updateID int64) {
	chat := PrivateChat(user)
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.knowChatLocked(chat)
	old := "member"
	if status == "member" {
		old = "kicked"
	}
	cs.blocked = status == "kicked"
	user.IsBot = false
	return s.pushLocked(&Update{MyChatMember: &ChatMemberUpdated{
		Chat: chat, From: user, Date: int(s.now().Unix()),
		OldChatMember: s.memberLocked(old), NewChatMember: s.memberLocked(status),
	}})
}

// memberLocked is the bot's own membership with a status.
func (s *Server) memberLocked(status string) ChatMember {
	switch status {
	case "kicked", "left":
		return ChatMember{Status: ChatMemberStatus(status), User: s.me.public()}
	}
	return ChatMember{Status: ChatMemberStatusMember, User: s.me.public()}
}
