package telegramtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"unicode/utf8"
)

const (
	maxTextLen         = 4096 // UTF-16 code units, after entity parsing
	maxCaptionLen      = 1024
	maxCallbackDataLen = 64 // bytes
)

var errNotModified = badRequest("message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message")

// renderText applies parse_mode (or explicit entities) the way Telegram
// does, returning the plain text and its entities.
func renderText(text, parseMode, entities string) (string, []MessageEntity, *apiError) {
	if !utf8.ValidString(text) {
		return "", nil, badRequest("text must be encoded in UTF-8")
	}
	switch parseMode {
	case "":
		var ents []MessageEntity
		if entities != "" {
			if err := json.Unmarshal([]byte(entities), &ents); err != nil {
				return "", nil, badRequest("can't parse entities JSON object")
			}
		}
		return text, ents, nil
	case "HTML", "html":
		return parseHTML(text)
	case "MarkdownV2", "Markdown", "markdownv2", "markdown":
		return text, nil, nil // not validated: see the package documentation
	}
	return "", nil, badRequest("unsupported parse_mode")
}

// parseMarkup decodes reply_markup, checking inline buttons like Telegram.
// Only inline keyboards are kept: they are all a message carries.
func parseMarkup(v string) (*InlineKeyboardMarkup, *apiError) {
	if v == "" {
		return nil, nil
	}
	var m struct {
		InlineKeyboard [][]InlineKeyboardButton `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	if len(m.InlineKeyboard) == 0 {
		return nil, nil
	}
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return nil, badRequest("BUTTON_TEXT_EMPTY")
			}
			if len(b.CallbackData) > maxCallbackDataLen {
				return nil, badRequest("BUTTON_DATA_INVALID")
			}
			if b.CallbackData == "" && b.URL == "" && b.WebApp == nil && b.LoginURL == nil &&
				b.SwitchInlineQuery == "" && b.SwitchInlineQueryCurrentChat == "" &&
				b.SwitchInlineQueryChosenChat == nil && (b.CopyText == nil || b.CopyText.Text == "") && b.CallbackGame == nil && !b.Pay {
				return nil, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
			}
		}
	}
	return &InlineKeyboardMarkup{InlineKeyboard: m.InlineKeyboard}, nil
}

func sameMarkup(a, b *InlineKeyboardMarkup) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func (s *Server) getMe(*http.Request, *request) (any, *apiError) { return s.me, nil }

func (s *Server) sendMessage(_ *http.Request, r *request) (any, *apiError) {
	chatID, e := s.chatID(r)
	if e != nil {
		return nil, e
	}
	text, ents, markup, e := textParams(r, "message is too long")
	if e != nil {
		return nil, e
	}
	m := &Message{Text: text, Entities: ents, ReplyMarkup: markup}
	return s.deliver("sendMessage", chatID, r, m)
}

// deliver stores a new bot message in a chat after the reply target and
// admission checks, and returns it as the API result.
func (s *Server) deliver(method string, chatID int64, r *request, m *Message) (any, *apiError) {
	var reply ReplyParameters
	if v := r.params["reply_parameters"]; v != "" {
		if err := json.Unmarshal([]byte(v), &reply); err != nil {
			return nil, badRequest("can't parse reply parameters JSON object")
		}
	} else if id, ok, e := r.intParam("reply_to_message_id"); e != nil {
		return nil, e
	} else if ok {
		reply.MessageID = int(id)
		reply.AllowSendingWithoutReply = r.boolParam("allow_sending_without_reply")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(chatID)
	if reply.MessageID != 0 {
		target, ok := cs.msgs[reply.MessageID]
		switch {
		case ok:
			t := *target
			t.ReplyToMessage = nil // Telegram does not nest replies
			m.ReplyToMessage = &t
		case !reply.AllowSendingWithoutReply:
			return nil, badRequest("message to be replied not found")
		}
	}
	if e := s.admitLocked(method, cs); e != nil {
		return nil, e
	}
	me := s.me.public()
	m.From = &me
	m.Date = int(s.now().Unix())
	s.addMessageLocked(cs, m)
	cs.sent++
	s.sent++
	return *m, nil
}

// editTargetLocked finds the bot message an edit names.
func (s *Server) editTargetLocked(r *request) (*chatState, *Message, *apiError) {
	if r.params["inline_message_id"] != "" {
		return nil, nil, badRequest("message to edit not found")
	}
	chatID, e := s.chatIDLocked(r)
	if e != nil {
		return nil, nil, e
	}
	id, _, e := r.intParam("message_id")
	if e != nil {
		return nil, nil, e
	}
	cs, ok := s.chats[chatID]
	if !ok {
		return nil, nil, badRequest("message to edit not found")
	}
	m, ok := cs.msgs[int(id)]
	if !ok {
		return nil, nil, badRequest("message to edit not found")
	}
	if m.From == nil || m.From.ID != s.me.ID {
		return nil, nil, badRequest("message can't be edited")
	}
	return cs, m, nil
}

func (s *Server) editMessageText(_ *http.Request, r *request) (any, *apiError) {
	text, ents, markup, e := textParams(r, "MESSAGE_TOO_LONG")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, old, e := s.editTargetLocked(r)
	if e != nil {
		return nil, e
	}
	if old.Text == "" {
		return nil, badRequest("there is no text in the message to edit")
	}
	if old.Text == text && slices.Equal(old.Entities, ents) && sameMarkup(old.ReplyMarkup, markup) {
		return nil, errNotModified
	}
	if e := s.admitLocked("editMessageText", cs); e != nil {
		return nil, e
	}
	m := *old
	m.Text, m.Entities, m.ReplyMarkup = text, ents, markup
	return s.replaceLocked(cs, &m), nil
}

func (s *Server) editMessageReplyMarkup(_ *http.Request, r *request) (any, *apiError) {
	markup, e := parseMarkup(r.params["reply_markup"])
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, old, e := s.editTargetLocked(r)
	if e != nil {
		return nil, e
	}
	if sameMarkup(old.ReplyMarkup, markup) {
		return nil, errNotModified
	}
	if e := s.admitLocked("editMessageReplyMarkup", cs); e != nil {
		return nil, e
	}
	m := *old
	m.ReplyMarkup = markup
	return s.replaceLocked(cs, &m), nil
}

// replaceLocked swaps in an edited copy: stored messages are never mutated,
// so values handed out earlier stay valid.
func (s *Server) replaceLocked(cs *chatState, m *Message) Message {
	m.EditDate = int(s.now().Unix())
	cs.msgs[m.ID] = m
	s.changedLocked()
	return *m
}

func (s *Server) answerCallbackQuery(_ *http.Request, r *request) (any, *apiError) {
	id := r.params["callback_query_id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	answered, ok := s.queries[id]
	if !ok || answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	s.queries[id] = true
	s.answers = append(s.answers, CallbackAnswer{
		ID: id, Text: r.params["text"], ShowAlert: r.boolParam("show_alert"), URL: r.params["url"],
	})
	return true, nil
}

// isBlank reports text Telegram treats as empty (it trims whitespace).
func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\n' && r != '\t' && r != '\r' {
			return false
		}
	}
	return true
}

// utf16Len counts UTF-16 code units, the unit of Telegram's limits and
// entity offsets.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// textParams reads and checks the text, entities and keyboard that
// sendMessage and editMessageText share; Telegram words the over-long
// error differently for the two.
func textParams(r *request, tooLong string) (string, []MessageEntity, *InlineKeyboardMarkup, *apiError) {
	text, ents, e := renderText(r.params["text"], r.params["parse_mode"], r.params["entities"])
	if e != nil {
		return "", nil, nil, e
	}
	if isBlank(text) {
		return "", nil, nil, badRequest("message text is empty")
	}
	if utf16Len(text) > maxTextLen {
		return "", nil, nil, badRequest(tooLong)
	}
	markup, e := parseMarkup(r.params["reply_markup"])
	if e != nil {
		return "", nil, nil, e
	}
	return text, ents, markup, nil
}
