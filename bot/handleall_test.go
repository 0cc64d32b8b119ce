package bot_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/store"
)

// failingReporter breaks /digest with an internal error or a panic.
type failingReporter struct {
	bot.Reporter
	panics bool
}

func (f failingReporter) Digest(*store.Tx, time.Time) (string, error) {
	if f.panics {
		panic("digest broke")
	}
	return "", errors.New("disk on fire")
}

// TestApp_HandleAll_OneBadRequest: a chat's messages handled together in
// one transaction; when one of them fails inside it (an internal error, or
// a panic), the others are still applied, each once, and only the bad one
// gets the apology.
func TestApp_HandleAll_OneBadRequest(t *testing.T) {
	for _, panics := range []bool{false, true} {
		name := "InternalError"
		if panics {
			name = "Panic"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			h.app.Reporter = failingReporter{Reporter: h.app.Reporter, panics: panics}
			before := historyLen(t, h.db, "4.1.3")
			req := func(id int64, text string) bot.Request {
				return bot.Request{UpdateID: id, UserID: adminU.ID, Name: "管理员", ChatID: adminU.ID, MessageID: int(id), Text: text}
			}
			rs := []bot.Request{req(9001, "/progress 4.1.3 30%"), req(9002, "/digest"), req(9003, "/note 4.1.3 现场核查")}
			var got []bot.Result
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("panic escaped: %v", p)
					}
				}()
				if panics {
					// The poller hands a chat's updates over together.
					var us []*models.Update
					for _, r := range rs {
						us = append(us, &models.Update{ID: r.UpdateID, Message: &models.Message{ID: r.MessageID,
							From: &models.User{ID: r.UserID, FirstName: r.Name},
							Chat: models.Chat{ID: r.ChatID, Type: models.ChatTypePrivate}, Text: r.Text}})
					}
					got = telegram.HandleUpdates(context.Background(), h.app, us)
					return
				}
				got = h.app.HandleAll(context.Background(), rs)
			}()
			if got[0].Outcome != "ok" || got[2].Outcome != "ok" || got[1].Outcome == "ok" {
				t.Errorf("outcomes %v, want ok, failed, ok", got)
			}
			if n := historyLen(t, h.db, "4.1.3") - before; n != 2 {
				t.Errorf("%d new history entries on 4.1.3, want 2 (progress and note)", n)
			}
			h.db.View(func(tx *store.Tx) error {
				task, _ := tx.Task("4.1.3")
				if task.Progress != 30 || task.Latest != "现场核查" {
					t.Errorf("task = %d%% %q, want 30%% 现场核查", task.Progress, task.Latest)
				}
				if !tx.SeenUpdate(9001) || !tx.SeenUpdate(9003) {
					t.Errorf("the good updates are not marked handled")
				}
				return nil
			})
		})
	}
}

func historyLen(t *testing.T, db *store.DB, id string) int {
	t.Helper()
	var n int
	db.View(func(tx *store.Tx) error {
		h, err := tx.History(id)
		n = len(h)
		return err
	})
	return n
}
