package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot"
)

// Poller is duban's own getUpdates loop. go-telegram/bot's poller confirms
// an update (by asking for the next offset) before its handler has run, so a
// crash there loses a user's message. This one asks for offset N+1 only
// after update N was handled and its effects committed; together with the
// handled-update set in the store, a re-delivered update applies once.
type Poller struct {
	Client *Client
	// Handle handles one chat's updates of a batch, in order.
	Handle func(ctx context.Context, us []*models.Update)
	// HandleResults, when set, is used instead of Handle and returns one
	// Result per update (HandleUpdates). An update whose Result says
	// Retry (the database refused the write) is not confirmed: the next
	// request asks again from it, after a back-off, so it is applied once
	// writes work again.
	HandleResults func(ctx context.Context, us []*models.Update) []bot.Result
	// HandleRequests, when set, is used instead of both: the updates are
	// converted (FromUpdate, with BotID) and handed over as bot.Requests,
	// so a caller needs nothing of go-telegram (bot/server).
	HandleRequests func(ctx context.Context, rs []bot.Request) []bot.Result
	BotID          int64 // the bot's own user ID, for HandleRequests
	Logger         *slog.Logger
	Timeout        time.Duration // long-poll timeout; default 50 s
	Limit          int           // updates per request; default 100
	// Offset is the first update ID to ask for (restored from the store).
	Offset int64
	// OnOffset is called after a batch is handled with the next offset.
	OnOffset func(next int64)
	// Backoff bounds the wait after errors (default 1 s doubling to 30 s).
	MinBackoff, MaxBackoff time.Duration
	// After waits between retries; tests replace it. Default time.After.
	After func(time.Duration) <-chan time.Time
}

// AllowedUpdates are the update kinds duban asks Telegram for.
var AllowedUpdates = []string{"message", "callback_query", "my_chat_member"}

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// Run polls until ctx is done. Updates of one chat are handled in order;
// different chats concurrently; the next request waits for the whole batch.
func (p *Poller) Run(ctx context.Context) error {
	log := p.Logger
	if log == nil {
		log = slog.Default()
	}
	timeout, limit := p.Timeout, p.Limit
	if timeout == 0 {
		timeout = 50 * time.Second
	}
	if limit == 0 {
		limit = 100
	}
	minB, maxB := p.MinBackoff, p.MaxBackoff
	if minB == 0 {
		minB = time.Second
	}
	if maxB == 0 {
		maxB = 30 * time.Second
	}
	after := p.After
	if after == nil {
		after = time.After
	}
	offset := p.Offset
	var backoff time.Duration
	var stuck time.Duration // grows while updates cannot be stored
	// Two pollers take turns: each sees a 409 now and then between
	// successes. Say so once, then at most hourly while it lasts.
	var conflictSaid time.Time
	for ctx.Err() == nil {
		if backoff > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-after(backoff):
			}
		}
		ups, retry, err := p.get(ctx, offset, timeout, limit)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, ErrBadToken) {
			// A revoked or mistyped token: nothing to wait for.
			return err
		}
		if err != nil {
			var conflict *conflictError
			if errors.As(err, &conflict) {
				if now := time.Now(); conflictSaid.IsZero() || now.Sub(conflictSaid) > time.Hour {
					log.Error("another process is polling this bot token (409 Conflict): stop the other duban or webhook; retrying", "err", err)
					conflictSaid = now
				}
			} else {
				log.Warn("getUpdates failed", "err", err, "retry_in", nextBackoff(backoff, minB, maxB).String())
			}
			backoff = nextBackoff(backoff, minB, maxB)
			if retry > backoff {
				backoff = retry
			}
			continue
		}
		backoff = 0
		if len(ups) == 0 {
			continue
		}
		again := p.handleBatch(context.WithoutCancel(ctx), ups)
		if again != 0 {
			// Not stored: confirm only what came before it, and wait.
			if again > offset {
				offset = again
				if p.OnOffset != nil {
					p.OnOffset(offset)
				}
			}
			stuck = nextBackoff(stuck, minB, maxB)
			backoff = stuck
			continue
		}
		stuck = 0
		offset = ups[len(ups)-1].ID + 1
		if p.OnOffset != nil {
			p.OnOffset(offset)
		}
	}
	return nil
}

func nextBackoff(cur, min, max time.Duration) time.Duration {
	if cur == 0 {
		return min
	}
	if cur*2 > max {
		return max
	}
	return cur * 2
}

// handleBatch runs each chat's updates in order, chats in parallel, and
// returns when all are handled, with the lowest update ID that was not
// stored and must come again (0: all stored). The context is not the
// poller's: a shutdown lets handlers finish their transactions.
func (p *Poller) handleBatch(ctx context.Context, ups []*models.Update) int64 {
	byChat := map[int64][]*models.Update{}
	var order []int64
	for _, u := range ups {
		k := chatOf(u)
		if _, ok := byChat[k]; !ok {
			order = append(order, k)
		}
		byChat[k] = append(byChat[k], u)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var retry int64
	for _, k := range order {
		wg.Add(1)
		go func(list []*models.Update) {
			defer wg.Done()
			handle := p.HandleResults
			if p.HandleRequests != nil {
				handle = func(ctx context.Context, us []*models.Update) []bot.Result {
					return p.HandleRequests(ctx, Requests(us, p.BotID))
				}
			}
			if handle == nil {
				p.Handle(ctx, list)
				return
			}
			for i, res := range handle(ctx, list) {
				if res.Retry && i < len(list) {
					mu.Lock()
					if retry == 0 || list[i].ID < retry {
						retry = list[i].ID
					}
					mu.Unlock()
				}
			}
		}(byChat[k])
	}
	wg.Wait()
	return retry
}

func chatOf(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil:
		// A press belongs to the chat of its message, so a press and a
		// message in one group are handled in the order they came.
		if m := u.CallbackQuery.Message.Message; m != nil {
			return m.Chat.ID
		}
		if m := u.CallbackQuery.Message.InaccessibleMessage; m != nil {
			return m.Chat.ID
		}
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

type conflictError struct{ desc string }

func (e *conflictError) Error() string { return "409 Conflict: " + e.desc }

// get performs one getUpdates call with a plain JSON request.
func (p *Poller) get(ctx context.Context, offset int64, timeout time.Duration, limit int) ([]*models.Update, time.Duration, error) {
	body, _ := json.Marshal(map[string]any{"offset": offset, "timeout": int(timeout.Seconds()), "limit": limit, "allowed_updates": AllowedUpdates})
	c := p.Client
	base := c.APIURL
	if base == "" {
		base = "https://api.telegram.org"
	}
	rctx, cancel := context.WithTimeout(ctx, timeout+30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, base+"/bot"+c.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, 0, c.observe("getUpdates", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, 0, c.observe("getUpdates", err)
	}
	defer resp.Body.Close()
	var r apiResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, 0, c.observe("getUpdates", fmt.Errorf("getUpdates: HTTP %d, undecodable body: %w", resp.StatusCode, err))
	}
	if !r.OK {
		var retry time.Duration
		if r.Parameters != nil {
			retry = time.Duration(r.Parameters.RetryAfter) * time.Second
		}
		var err error = fmt.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description)
		switch r.ErrorCode {
		case http.StatusConflict:
			err = &conflictError{r.Description}
		case http.StatusUnauthorized, http.StatusNotFound:
			err = rejected(fmt.Sprintf("getUpdates: %d %s", r.ErrorCode, r.Description))
		}
		return nil, retry, c.observe("getUpdates", err)
	}
	var ups []*models.Update
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		return nil, 0, c.observe("getUpdates", fmt.Errorf("getUpdates: %w", err))
	}
	c.observe("getUpdates", nil)
	return ups, 0, nil
}
