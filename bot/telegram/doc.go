// Package telegram is duban's adapter for the Telegram Bot API, named after
// what it wraps (as benbjohnson/wtf names sqlite/ and http/). It is the one
// package that imports github.com/go-telegram/bot, and it owns everything
// that speaks Telegram:
//
//   - Client: sending outbox messages (outbox.Transport), answering
//     buttons and downloading files (bot.Telegram), getMe, setWebhook and
//     deleteWebhook, and the classification of the library's errors into
//     the schedule's vocabulary (429, 403, other 400s);
//   - Poller and OffsetStore: duban's own getUpdates loop, which confirms
//     an update only after its transaction committed;
//   - WebhookHandler: updates pushed by Telegram, answered 200 only once
//     persisted;
//   - FromUpdate, HandleUpdate(s): the conversion of a models.Update into
//     the transport-free bot.Request and its hand-over to bot.App;
//   - SetMenus, SetMenu: the per-role command menus (setMyCommands);
//   - CheckToken, Redact, ErrBadToken: the token's shape, its removal from
//     every text that leaves the process, and Telegram's refusal of it.
//
// Direction of imports: this package imports bot (Request, Result, App,
// Menu), schedule (the transport's error types) and store; bot, schedule
// and store never import it or go-telegram/bot, so the chat handlers stay
// the same for Telegram, duban shell and the tests.
package telegram
