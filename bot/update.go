package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/store"
)

// HandleUpdate is the entry point for one Telegram update from the poller or
// the webhook: convert, handle in one transaction, log one line, recover
// from a panic with an apology. It returns only after the update's effects
// are committed (or it failed and was logged).
func (a *App) HandleUpdate(ctx context.Context, u *models.Update) (res Result) {
	return a.HandleUpdates(ctx, []*models.Update{u})[0]
}

// HandleUpdates handles one chat's updates that arrived together, in order
// and in one transaction (see HandleAll), logging one line for each. A
// panic anywhere makes each update be handled alone, so only the one that
// panics is lost to an apology.
func (a *App) HandleUpdates(ctx context.Context, us []*models.Update) (results []Result) {
	start := time.Now()
	if len(us) > 1 {
		defer func() {
			if p := recover(); p != nil {
				a.log().Warn("handler panic in a batch; handling its updates one by one", "panic", fmt.Sprint(p))
				results = make([]Result, len(us))
				for i, u := range us {
					results[i] = a.HandleUpdate(ctx, u)
				}
			}
		}()
	}
	rs := make([]Request, 0, len(us))
	idx := make([]int, 0, len(us))
	results = make([]Result, len(us))
	for i, u := range us {
		r, ok := FromUpdate(u, a.BotID)
		if !ok {
			results[i] = Result{Command: "other", Outcome: "ignored"}
			continue
		}
		rs, idx = append(rs, r), append(idx, i)
	}
	if len(us) == 1 {
		defer func() {
			if p := recover(); p != nil {
				var r Request
				if len(rs) == 1 {
					r = rs[0]
				}
				results[0] = Result{Command: commandOf(r, a.BotName), Outcome: "panic"}
				a.log().Error("handler panic", "update", us[0].ID, "user", r.UserID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				a.apologise(r)
				a.logUpdate(us[0], r, results[0], start)
			}
		}()
	}
	if len(rs) > 0 {
		for j, res := range a.HandleAll(ctx, rs) {
			results[idx[j]] = res
		}
	}
	scanned := false
	for i, u := range us {
		var r Request
		for j, k := range idx {
			if k == i {
				r = rs[j]
			}
		}
		a.logUpdate(u, r, results[i], start)
		scanned = scanned || scans(results[i].Command)
	}
	if scanned && a.AfterScan != nil {
		a.AfterScan()
	}
	return results
}

// logUpdate writes the one line per handled update and feeds the metrics.
func (a *App) logUpdate(u *models.Update, r Request, res Result, start time.Time) {
	d := time.Since(start)
	if a.Observe != nil {
		a.Observe(res, d)
	}
	a.log().Info("update", "update", u.ID, "user", r.UserID, "chat", r.ChatID, "command", res.Command,
		"result", res.Outcome, "latency", d.Round(time.Microsecond).String())
}

// scans reports whether the command of a result read much of the store
// (the table's scans column).
func scans(command string) bool {
	row, ok := commands[command]
	return ok && row.scans
}

// apologise queues a short apology after a panic, and marks the update
// handled so a re-delivery does not panic again.
func (a *App) apologise(r Request) {
	if r.ChatID == 0 {
		return
	}
	err := a.DB.Update(func(tx *store.Tx) error {
		if r.UpdateID != 0 {
			if err := tx.MarkUpdate(r.UpdateID); err != nil {
				return err
			}
		}
		_, err := tx.Enqueue(&store.Message{Key: store.MessageKey("panic", r.UpdateID, r.ChatID, r.MessageID),
			ChatID: r.ChatID, Kind: store.KindReply, Text: a.Lang.T("internal_error")})
		return err
	})
	if err != nil {
		a.log().Error("queue apology", "update", r.UpdateID, "err", err)
	}
	if a.Wake != nil {
		a.Wake()
	}
	if r.CallbackID != "" && a.TG != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := a.TG.AnswerCallback(ctx, r.CallbackID, a.Lang.T("internal_error")); err != nil {
			a.log().Warn("answer callback after a panic", "update", r.UpdateID, "err", err)
		}
	}
}

// WebhookHandler receives updates pushed by Telegram. Unlike the library's
// handler it answers 401 to a missing or wrong secret token, 400 to a body
// that is not an update, and 200 only after the update is persisted, so
// Telegram re-delivers anything duban did not take.
func (a *App) WebhookHandler(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := req.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var u models.Update
		if err := json.NewDecoder(io.LimitReader(req.Body, 1<<20)).Decode(&u); err != nil || u.ID == 0 {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		res := a.HandleUpdate(context.WithoutCancel(req.Context()), &u)
		if res.Outcome == "error" {
			http.Error(w, "not persisted", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
