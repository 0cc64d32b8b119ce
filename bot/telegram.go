package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// Client is duban's Telegram transport on top of go-telegram/bot: it sends
// outbox messages (schedule.Transport), answers buttons and downloads files
// (Telegram), and turns the library's errors into the schedule's
// vocabulary. Every error it returns has the token scrubbed.
type Client struct {
	Bot    *tg.Bot
	Token  string
	APIURL string // "" = https://api.telegram.org
	HTTP   *http.Client
	// OnCall observes every Bot API call's outcome (for /healthz and metrics).
	OnCall func(method string, err error)
}

// NewClient builds the library bot pointed at apiURL. The HTTP client gets
// more headroom than the long-poll timeout (PITFALLS: 60 s vs 59 s).
func NewClient(token, apiURL string, opts ...tg.Option) (*Client, error) {
	hc := &http.Client{Timeout: 90 * time.Second}
	o := []tg.Option{tg.WithSkipGetMe(), tg.WithHTTPClient(60*time.Second, hc)}
	if apiURL != "" {
		o = append(o, tg.WithServerURL(strings.TrimRight(apiURL, "/")))
	}
	b, err := tg.New(token, append(o, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", redact(err, token))
	}
	return &Client{Bot: b, Token: token, APIURL: strings.TrimRight(apiURL, "/"), HTTP: hc}, nil
}

// Observe reports a call made directly on c.Bot (getMe, setMyCommands,
// setWebhook, …) to OnCall, as the client's own calls are, and returns the
// error with the token redacted.
func (c *Client) Observe(method string, err error) error { return c.observe(method, err) }

func (c *Client) observe(method string, err error) error {
	err = redact(err, c.Token)
	if c.OnCall != nil {
		c.OnCall(method, err)
	}
	return err
}

// Send delivers one outbox message in one call: an edit, a document, or a
// text (schedule.Enqueue already split texts over Telegram's limit).
func (c *Client) Send(ctx context.Context, m *store.Message) (int, error) {
	var markup models.ReplyMarkup
	if len(m.Buttons) > 0 {
		kb := make([][]models.InlineKeyboardButton, len(m.Buttons))
		for i, row := range m.Buttons {
			for _, b := range row {
				kb[i] = append(kb[i], models.InlineKeyboardButton{Text: b.Text, CallbackData: b.Data})
			}
		}
		markup = &models.InlineKeyboardMarkup{InlineKeyboard: kb}
	} else if m.ForceReply && m.EditID == 0 {
		markup = &models.ForceReply{ForceReply: true, Selective: true}
	}
	// A late message (m.CatchUp) already says 【补发】 in its text: the
	// schedule writes it, once, on the first part.
	text := m.Text
	switch {
	case m.EditID != 0:
		msg, err := c.Bot.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: m.ChatID, MessageID: m.EditID,
			Text: text, ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
		if err := c.classify("editMessageText", err); err != nil {
			if isNotModified(err) {
				return m.EditID, nil
			}
			return 0, err
		}
		if msg != nil {
			return msg.ID, nil
		}
		return m.EditID, nil
	case m.Document != nil:
		caption := text
		if len([]rune(caption)) > 1000 {
			caption = string([]rune(caption)[:1000])
		}
		msg, err := c.Bot.SendDocument(ctx, &tg.SendDocumentParams{ChatID: m.ChatID, Caption: caption, ParseMode: models.ParseModeHTML,
			Document: &models.InputFileUpload{Filename: m.Document.Name, Data: bytes.NewReader(m.Document.Data)}, ReplyMarkup: markup})
		if err := c.classify("sendDocument", err); err != nil {
			return 0, err
		}
		return msg.ID, nil
	}
	// schedule.Enqueue split long texts into messages of their own (one
	// delivery each, so a crash resends at most one part): one call here.
	p := &tg.SendMessageParams{ChatID: m.ChatID, Text: text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}, ReplyMarkup: markup}
	if m.ReplyTo != 0 {
		p.ReplyParameters = &models.ReplyParameters{MessageID: m.ReplyTo, AllowSendingWithoutReply: true}
	}
	msg, err := c.Bot.SendMessage(ctx, p)
	if err := c.classify("sendMessage", err); err != nil {
		return 0, err
	}
	return msg.ID, nil
}

// classify maps the library's errors to the sender's: 429 → RetryAfter,
// 403 → Forbidden, other 400s → Permanent; anything else is transient.
func (c *Client) classify(method string, err error) error {
	err = c.observe(method, err)
	if err == nil {
		return nil
	}
	var tooMany *tg.TooManyRequestsError
	switch {
	case errors.As(err, &tooMany):
		return &schedule.RetryAfterError{After: time.Duration(tooMany.RetryAfter) * time.Second}
	case errors.Is(err, tg.ErrorForbidden):
		return fmt.Errorf("%w: %v", schedule.ErrForbidden, err)
	case errors.Is(err, tg.ErrorBadRequest):
		return &schedule.PermanentError{Code: 400, Description: err.Error()}
	}
	return err
}

func isNotModified(err error) bool {
	var p *schedule.PermanentError
	return errors.As(err, &p) && strings.Contains(p.Description, "message is not modified")
}

// AnswerCallback answers a button press (the client stops spinning).
func (c *Client) AnswerCallback(ctx context.Context, id, text string) error {
	_, err := c.Bot.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
	return c.observe("answerCallbackQuery", err)
}

// Download fetches a file users sent (an import document).
func (c *Client) Download(ctx context.Context, fileID string) ([]byte, error) {
	f, err := c.Bot.GetFile(ctx, &tg.GetFileParams{FileID: fileID})
	if err = c.observe("getFile", err); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Bot.FileDownloadLink(f), nil)
	if err != nil {
		return nil, redact(err, c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, c.observe("download", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download file: HTTP %d", resp.StatusCode)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 20<<20))
}

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
