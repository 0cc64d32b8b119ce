// Package outbox is duban's delivery: Enqueue (idempotent by key, texts
// split once to Telegram's 4096 characters), the Sender (a window of
// messages in flight, one per chat, answers first), its Limiter, the
// Transport interface and the error types transports classify failures
// into (RetryAfterError, ErrForbidden, PermanentError), the 403 notice and
// the lost digest group (who hears it is store.Audience's rule). The
// stored side — the outbox bucket, its pending index and the sent log —
// is store's (store/outbox.go, store/sentlog.go).
//
// It may import store and schedule/lang; never schedule, the chat (bot) or
// the Telegram library (bot/telegram implements Transport).
package outbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// Transport sends one outbox message to Telegram. Package bot/telegram
// implements it with the Telegram library, and the shell by printing; keeping it this narrow lets
// the Sender's retry and pacing rules be tested without either. A message
// with EditID edits that message, one with a Document sends a file; texts
// come split to Telegram's 4096 characters (Enqueue), so one message is
// one request and one delivery. It
// classifies failures with the error types below so that this package never
// imports the Telegram library. Return them as pointers (&RetryAfterError{…},
// &PermanentError{…}), wrapped or not.
type Transport interface {
	Send(ctx context.Context, m *store.Message) (messageID int, err error)
}

// RetryAfterError is Telegram's 429: wait After before the next attempt.
// Global says the throttle concerns the whole bot rather than the message's
// chat; a chat's 429 only delays that chat, because retry_after can be hours
// and one noisy group must not silence every department.
type RetryAfterError struct {
	After  time.Duration
	Global bool
}

// Error implements error.
func (e *RetryAfterError) Error() string {
	scope := "chat"
	if e.Global {
		scope = "bot"
	}
	return fmt.Sprintf("telegram: too many requests (%s), retry after %s", scope, e.After)
}

// ErrForbidden is Telegram's 403: the user blocked the bot or the bot was
// removed from the group. Retrying cannot help; a person has to act, so the
// Sender marks the chat unreachable and tells the coordinators. Transports
// wrap it (fmt.Errorf("%w: …", ErrForbidden)); the Sender uses errors.Is.
var ErrForbidden = errors.New("telegram: forbidden (bot blocked or removed from the chat)")

// PermanentError is a refusal that the same request will always get (a 400
// such as "message is too long" or "chat not found"). The Sender fails the
// message at once instead of retrying it for ever. Codes 401 and 404 are the
// exception: they mean the bot's token or server URL is wrong, which an
// operator fixes, so the message is kept and retried like a network error.
type PermanentError struct {
	Code        int
	Description string
}

// Error implements error.
func (e *PermanentError) Error() string {
	return fmt.Sprintf("telegram: %d %s", e.Code, e.Description)
}

// notModified reports Telegram's answer to an edit that changes nothing;
// the message already shows what we wanted, so it counts as delivered.
func (e *PermanentError) notModified() bool {
	return strings.Contains(strings.ToLower(e.Description), "message is not modified")
}

// botMisconfigured reports a code that concerns the bot, not the message.
func (e *PermanentError) botMisconfigured() bool { return e.Code == 401 || e.Code == 404 }
