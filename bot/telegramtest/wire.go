package telegramtest

import "encoding/json"

// The fake's own Bot API objects, with the field names of
// https://core.telegram.org/bots/api. They are written here, not borrowed
// from the client library duban uses, so the fake stays independent of the
// code under test: a wrong JSON tag in the library shows up as a failing
// test instead of being shared by both sides. Only the objects and fields
// the fake reads or produces are modelled; the Go field names follow the
// usual Go spelling of the API's names.

// User is https://core.telegram.org/bots/api#user.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
	// Returned only by getMe.
	CanJoinGroups           bool `json:"can_join_groups,omitempty"`
	CanReadAllGroupMessages bool `json:"can_read_all_group_messages,omitempty"`
	SupportsInlineQueries   bool `json:"supports_inline_queries,omitempty"`
}

// public is the user as others see it: without the fields only getMe
// returns, which is how the bot appears as a message's sender or a chat
// member.
func (u User) public() User {
	u.CanJoinGroups, u.CanReadAllGroupMessages, u.SupportsInlineQueries = false, false, false
	return u
}

// ChatType is a Chat's type.
type ChatType string

// The chat types of the Bot API.
const (
	ChatTypePrivate    ChatType = "private"
	ChatTypeGroup      ChatType = "group"
	ChatTypeSupergroup ChatType = "supergroup"
	ChatTypeChannel    ChatType = "channel"
)

// Chat is https://core.telegram.org/bots/api#chat.
type Chat struct {
	ID        int64    `json:"id"`
	Type      ChatType `json:"type"`
	Title     string   `json:"title,omitempty"`
	Username  string   `json:"username,omitempty"`
	FirstName string   `json:"first_name,omitempty"`
	LastName  string   `json:"last_name,omitempty"`
}

// MessageEntityType is a MessageEntity's type.
type MessageEntityType string

// The entity types the fake produces (bot commands in user messages, the
// formatting of Telegram HTML).
const (
	MessageEntityTypeBotCommand           MessageEntityType = "bot_command"
	MessageEntityTypeBold                 MessageEntityType = "bold"
	MessageEntityTypeItalic               MessageEntityType = "italic"
	MessageEntityTypeUnderline            MessageEntityType = "underline"
	MessageEntityTypeStrikethrough        MessageEntityType = "strikethrough"
	MessageEntityTypeSpoiler              MessageEntityType = "spoiler"
	MessageEntityTypeBlockquote           MessageEntityType = "blockquote"
	MessageEntityTypeExpandableBlockquote MessageEntityType = "expandable_blockquote"
	MessageEntityTypeCode                 MessageEntityType = "code"
	MessageEntityTypePre                  MessageEntityType = "pre"
	MessageEntityTypeTextLink             MessageEntityType = "text_link"
	MessageEntityTypeTextMention          MessageEntityType = "text_mention"
	MessageEntityTypeCustomEmoji          MessageEntityType = "custom_emoji"
)

// MessageEntity is https://core.telegram.org/bots/api#messageentity;
// Offset and Length count UTF-16 code units.
type MessageEntity struct {
	Type          MessageEntityType `json:"type"`
	Offset        int               `json:"offset"`
	Length        int               `json:"length"`
	URL           string            `json:"url,omitempty"`
	User          *User             `json:"user,omitempty"`
	Language      string            `json:"language,omitempty"`
	CustomEmojiID string            `json:"custom_emoji_id,omitempty"`
}

// Message is https://core.telegram.org/bots/api#message. A Message with
// Date 0 is what the API calls an InaccessibleMessage (only chat,
// message_id and date are set), which is how a callback query names a
// message the bot can no longer see.
type Message struct {
	ID                int                   `json:"message_id"`
	From              *User                 `json:"from,omitempty"`
	Date              int                   `json:"date"`
	Chat              Chat                  `json:"chat"`
	ReplyToMessage    *Message              `json:"reply_to_message,omitempty"`
	EditDate          int                   `json:"edit_date,omitempty"`
	Text              string                `json:"text,omitempty"`
	Entities          []MessageEntity       `json:"entities,omitempty"`
	Document          *Document             `json:"document,omitempty"`
	Caption           string                `json:"caption,omitempty"`
	CaptionEntities   []MessageEntity       `json:"caption_entities,omitempty"`
	MigrateToChatID   int64                 `json:"migrate_to_chat_id,omitempty"`
	MigrateFromChatID int64                 `json:"migrate_from_chat_id,omitempty"`
	ReplyMarkup       *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// Document is https://core.telegram.org/bots/api#document.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// File is https://core.telegram.org/bots/api#file, getFile's answer.
type File struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

// InlineKeyboardMarkup is
// https://core.telegram.org/bots/api#inlinekeyboardmarkup.
type InlineKeyboardMarkup struct {
	InlineKeyboard [][]InlineKeyboardButton `json:"inline_keyboard"`
}

// InlineKeyboardButton is
// https://core.telegram.org/bots/api#inlinekeyboardbutton. The fake only
// checks which kind of button it is, so the object-valued kinds are kept as
// raw JSON.
type InlineKeyboardButton struct {
	Text                         string           `json:"text"`
	URL                          string           `json:"url,omitempty"`
	CallbackData                 string           `json:"callback_data,omitempty"`
	WebApp                       *json.RawMessage `json:"web_app,omitempty"`
	LoginURL                     *json.RawMessage `json:"login_url,omitempty"`
	SwitchInlineQuery            string           `json:"switch_inline_query,omitempty"`
	SwitchInlineQueryCurrentChat string           `json:"switch_inline_query_current_chat,omitempty"`
	SwitchInlineQueryChosenChat  *json.RawMessage `json:"switch_inline_query_chosen_chat,omitempty"`
	CopyText                     *CopyTextButton  `json:"copy_text,omitempty"`
	CallbackGame                 *json.RawMessage `json:"callback_game,omitempty"`
	Pay                          bool             `json:"pay,omitempty"`
}

// CopyTextButton is https://core.telegram.org/bots/api#copytextbutton.
type CopyTextButton struct {
	Text string `json:"text"`
}

// CallbackQuery is https://core.telegram.org/bots/api#callbackquery.
// Message is the message whose button was pressed; Date 0 marks it
// inaccessible (see Message).
type CallbackQuery struct {
	ID           string   `json:"id"`
	From         User     `json:"from"`
	Message      *Message `json:"message,omitempty"`
	ChatInstance string   `json:"chat_instance"`
	Data         string   `json:"data,omitempty"`
}

// ChatMemberStatus is a ChatMember's status.
type ChatMemberStatus string

// The statuses the fake uses ("kicked" is what the API calls a banned
// member, and what a private chat reports when the user blocked the bot).
const (
	ChatMemberStatusMember ChatMemberStatus = "member"
	ChatMemberStatusLeft   ChatMemberStatus = "left"
	ChatMemberStatusKicked ChatMemberStatus = "kicked"
)

// ChatMember is https://core.telegram.org/bots/api#chatmember for the
// member, left and kicked statuses, which share their fields.
type ChatMember struct {
	Status ChatMemberStatus `json:"status"`
	User   User             `json:"user"`
	// UntilDate is sent for "kicked" always (0: for ever), as the API
	// demands, and for the others only when set.
	UntilDate int `json:"until_date,omitempty"`
}

// MarshalJSON writes until_date for kicked members even when it is 0.
func (m ChatMember) MarshalJSON() ([]byte, error) {
	type plain ChatMember
	if m.Status != ChatMemberStatusKicked {
		return json.Marshal(plain(m))
	}
	return json.Marshal(struct {
		Status    ChatMemberStatus `json:"status"`
		User      User             `json:"user"`
		UntilDate int              `json:"until_date"`
	}{m.Status, m.User, m.UntilDate})
}

// ChatMemberUpdated is https://core.telegram.org/bots/api#chatmemberupdated.
type ChatMemberUpdated struct {
	Chat          Chat       `json:"chat"`
	From          User       `json:"from"`
	Date          int        `json:"date"`
	OldChatMember ChatMember `json:"old_chat_member"`
	NewChatMember ChatMember `json:"new_chat_member"`
}

// Update is https://core.telegram.org/bots/api#update, with the kinds the
// fake delivers.
type Update struct {
	ID            int64              `json:"update_id"`
	Message       *Message           `json:"message,omitempty"`
	EditedMessage *Message           `json:"edited_message,omitempty"`
	CallbackQuery *CallbackQuery     `json:"callback_query,omitempty"`
	MyChatMember  *ChatMemberUpdated `json:"my_chat_member,omitempty"`
	ChatMember    *ChatMemberUpdated `json:"chat_member,omitempty"`
}

// The allowed_updates names of those kinds.
const (
	AllowedUpdateMessage       = "message"
	AllowedUpdateEditedMessage = "edited_message"
	AllowedUpdateCallbackQuery = "callback_query"
	AllowedUpdateMyChatMember  = "my_chat_member"
	AllowedUpdateChatMember    = "chat_member"
)

// ReplyParameters is https://core.telegram.org/bots/api#replyparameters,
// the fields the fake honours.
type ReplyParameters struct {
	MessageID                int  `json:"message_id"`
	AllowSendingWithoutReply bool `json:"allow_sending_without_reply,omitempty"`
}

// BotCommand is https://core.telegram.org/bots/api#botcommand.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// WebhookInfo is https://core.telegram.org/bots/api#webhookinfo.
type WebhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	IPAddress            string   `json:"ip_address,omitempty"`
	MaxConnections       int      `json:"max_connections,omitempty"`
	AllowedUpdates       []string `json:"allowed_updates,omitempty"`
}
