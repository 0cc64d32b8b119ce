package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/duban-bureau/duban/store"
)

// HandleRequests is the entry point for one chat's updates that arrived
// together (from the Telegram adapter's poller or webhook): handle them in
// order and in one transaction (see HandleAll), log one line for each,
// recover from a panic with an apology. A panic anywhere in a batch makes
// each request be handled alone, so only the one that panics is lost to an
// apology. It returns only after the requests' effects are committed (or
// they failed and were logged). Ignored requests are logged and counted.
func (a *App) HandleRequests(ctx context.Context, in []Request) (results []Result) {
	start := time.Now()
	if len(in) > 1 {
		defer func() {
			if p := recover(); p != nil {
				a.log().Warn("handler panic in a batch; handling its updates one by one", "panic", fmt.Sprint(p))
				results = make([]Result, len(in))
				for i, r := range in {
					results[i] = a.HandleRequests(ctx, []Request{r})[0]
				}
			}
		}()
	}
	rs := make([]Request, 0, len(in))
	idx := make([]int, 0, len(in))
	results = make([]Result, len(in))
	for i, r := range in {
		if r.Ignored {
			results[i] = Result{Command: "other", Outcome: "ignored"}
			continue
		}
		rs, idx = append(rs, r), append(idx, i)
	}
	if len(in) == 1 {
		defer func() {
			if p := recover(); p != nil {
				var r Request
				if len(rs) == 1 {
					r = rs[0]
				}
				results[0] = Result{Command: commandOf(r, a.BotName), Outcome: "panic"}
				a.log().Error("handler panic", "update", in[0].UpdateID, "user", r.UserID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				a.apologise(r)
				a.logUpdate(in[0].UpdateID, r, results[0], start)
			}
		}()
	}
	if len(rs) > 0 {
		for j, res := range a.HandleAll(ctx, rs) {
			results[idx[j]] = res
		}
	}
	scanned := false
	for i, u := range in {
		var r Request
		for j, k := range idx {
			if k == i {
				r = rs[j]
			}
		}
		a.logUpdate(u.UpdateID, r, results[i], start)
		scanned = scanned || scans(results[i].Command)
	}
	if scanned && a.AfterScan != nil {
		a.AfterScan()
	}
	return results
}

// logUpdate writes the one line per handled update and feeds the metrics.
func (a *App) logUpdate(updateID int64, r Request, res Result, start time.Time) {
	d := time.Since(start)
	if a.Observe != nil {
		a.Observe(res, d)
	}
	a.log().Info("update", "update", updateID, "user", r.UserID, "chat", r.ChatID, "command", res.Command,
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
