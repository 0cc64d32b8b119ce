// Package telegramtest is a fake Telegram Bot API server for tests and
// benchmarks of duban, which cannot reach Telegram from its machines. It
// imports nothing of ours and nothing of the Telegram library: its wire
// structs (wire.go) are its own, with the Bot API's JSON names, so a wrong
// tag in the library would show rather than be shared. Only tests and
// cmd/dubanbench import it.
//
// It runs on httptest and speaks the real JSON, so the real client is used
// unchanged:
//
//	srv := telegramtest.NewServer()
//	defer srv.Close()
//	b, err := bot.New(srv.Token, bot.WithServerURL(srv.URL), bot.WithSkipGetMe())
//
// The user's side is played with injectors (SendText, ReplyText,
// PressButton, SendDocument, ChatMemberUpdate, Push) that queue updates for
// getUpdates; a waiting long poll wakes at once. The bot's side is read
// back with Sent (messages as they are after edits), Calls (every request
// with its parameters and status), Callbacks, Commands and File. Tests wait
// with WaitFor or Notify, never by sleeping:
//
//	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
//	defer cancel()
//	err := srv.WaitFor(ctx, func(s *telegramtest.Server) bool { return len(s.Sent(chatID)) == 2 })
//
// What it checks the way Telegram does: the token (401), unknown methods
// (404), getUpdates offsets (an offset confirms every lower update for
// good; a negative one keeps the last few), one poller at a time (a new
// getUpdates ends the waiting one with 409) and no polling while a webhook
// is set (409), empty and over-long texts, Telegram HTML (tags, attributes
// and entities; the text is stored stripped, with entities, as Telegram
// returns it), callback_data over 64 bytes, edits of unknown or unchanged
// messages, and answers to unknown callback queries. editMessageText
// without reply_markup removes the inline keyboard, as on Telegram.
//
// Faults are injected on demand: Fail (the next n calls of a method, any
// code, 5xx included), Block (403), Throttle (429 with retry_after), Hang
// and SetDown (requests held until released or abandoned), SetLatency.
// WithLimits enforces the flood limits (TelegramLimits, Scale for fast
// benchmarks) and TooManyRequests counts the 429s given.
//
// Not modelled: MarkdownV2 validation (text passes through), webhook
// delivery (setWebhook is recorded only), inline mode, media other than
// documents, Telegram's auto-detected entities (URLs, mentions) in bot
// messages. The HTML check rejects a bare '&' where Telegram would let it
// pass, so that escaping bugs show up here first.
package telegramtest
