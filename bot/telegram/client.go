package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"io"
	"net/http"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/store"
)

// Client is duban's Telegram transport on top of go-telegram/bot: it sends
// outbox messages (outbox.Transport), answers buttons and downloads files
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
// text (outbox.Enqueue already split texts over Telegram's limit).
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
	// outbox.Enqueue split long texts into messages of their own (one
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
		return &outbox.RetryAfterError{After: time.Duration(tooMany.RetryAfter) * time.Second}
	case errors.Is(err, tg.ErrorForbidden):
		return fmt.Errorf("%w: %v", outbox.ErrForbidden, err)
	case errors.Is(err, tg.ErrorBadRequest):
		return &outbox.PermanentError{Code: 400, Description: err.Error()}
	}
	return err
}

func isNotModified(err error) bool {
	var p *outbox.PermanentError
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
