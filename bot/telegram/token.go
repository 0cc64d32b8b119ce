package telegram

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	tg "github.com/go-telegram/bot"
)

// redact removes the bot token from an error's text: the library's errors
// quote request URLs, which carry it.
func redact(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	msg := Redact(err.Error(), token)
	if msg == err.Error() {
		return err
	}
	return redactedError{msg: msg, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// Redact removes the token from any text (log lines built elsewhere) in
// every form it takes on the way out: raw, URL-escaped (net/url escapes a
// stray \r as %0D and the colon as %3A, upper or lower case hex), quoted
// (Go %q, JSON), and its secret half alone.
func Redact(s, token string) string {
	if token == "" || s == "" {
		return s
	}
	for _, f := range tokenForms(token) {
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, "<token>")
		}
	}
	if strings.ContainsRune(s, '%') {
		// Escapes in lower-case hex, or of characters url leaves alone.
		if u, err := url.PathUnescape(s); err == nil && u != s {
			for _, f := range tokenForms(token) {
				if strings.Contains(u, f) {
					return Redact(u, token)
				}
			}
		}
	}
	return s
}

// tokenForms is every encoding of token worth looking for, longest first
// so a longer form is replaced before a shorter one inside it.
func tokenForms(token string) []string {
	quoted := strconv.Quote(token)
	js, _ := json.Marshal(token)
	forms := []string{token, url.QueryEscape(token), url.PathEscape(token),
		quoted[1 : len(quoted)-1], string(js[1 : len(js)-1])}
	if _, secret, ok := strings.Cut(token, ":"); ok && len(secret) >= 8 {
		forms = append(forms, secret, url.QueryEscape(secret))
	}
	seen := map[string]bool{}
	out := forms[:0]
	for _, f := range forms {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// tokenShape is a bot token as @BotFather issues it: the bot's numeric ID,
// a colon, and the secret.
var tokenShape = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]+$`)

// CheckToken trims the whitespace an env file leaves around a token (a
// Windows line ending's \r, spaces) and checks its shape. The error never
// quotes the token.
func CheckToken(token string) (string, error) {
	t := strings.TrimSpace(token)
	if t == "" {
		return "", errors.New("机器人令牌为空 / the bot token is empty")
	}
	if !tokenShape.MatchString(t) {
		return "", fmt.Errorf("机器人令牌格式不对（%d 个字符）：应为 数字:密钥，例如 123456789:AAH…，请向 @BotFather 核对 / "+
			"the bot token should look like 123456789:AAH… (digits, a colon, the secret)", len(t))
	}
	return t, nil
}

// ErrBadToken is returned (wrapped) when Telegram answers 401 or 404 to a
// Bot API call: the token was revoked or mistyped, and retrying cannot help.
var ErrBadToken = errors.New("telegram rejected the bot token")

// badToken reports whether err is Telegram's 401 Unauthorized or 404 Not
// Found (what it answers for an unknown token).
func badToken(err error) bool {
	return errors.Is(err, tg.ErrorUnauthorized) || errors.Is(err, tg.ErrorNotFound)
}

// BadTokenError wraps err when it is Telegram rejecting the token (401 or
// 404), with a message saying what to check; other errors pass unchanged.
func BadTokenError(err error) error {
	if err == nil || errors.Is(err, ErrBadToken) || !badToken(err) {
		return err
	}
	return rejected(err.Error())
}

// rejected is the error for a token Telegram refused; what says how.
func rejected(what string) error {
	return fmt.Errorf("Telegram 拒绝了机器人令牌（%s）：请检查 DUBAN_TELEGRAM_TOKEN 或 --token，令牌可能有误或已被 @BotFather 撤销 / check the bot token: %w", what, ErrBadToken)
}
