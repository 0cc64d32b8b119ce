package bot_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// TestChat_ButtonPermissions presses every coordinator's and admin's
// button as a contact (and the admin's as a coordinator): each is refused
// on its toast naming the role it needs, counted as refused, labelled with
// its action, and changes nothing.
func TestChat_ButtonPermissions(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []bot.Result
	h := newHarness(t, func(a *bot.App) {
		a.Observe = func(r bot.Result, _ time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, r)
		}
	})
	for _, c := range []struct {
		who    telegramtest.User
		action schedule.ButtonAction
		need   string
	}{
		{contactA, schedule.ActionApprove, "需要督办员权限"},
		{contactA, schedule.ActionReject, "需要督办员权限"},
		{contactA, schedule.ActionImport, "需要督办员权限"},
		{contactA, schedule.ActionDiscard, "需要督办员权限"},
		{contactA, schedule.ActionRevoke, "需要督办员权限"},
		{contactA, schedule.ActionSignOff, "需要督办员权限"},
		{contactA, schedule.ActionReturn, "需要督办员权限"},
		{contactA, schedule.ActionCloseYes, "需要督办员权限"},
		{contactA, schedule.ActionCloseNo, "需要督办员权限"},
		{contactA, schedule.ActionAnswer, "需要督办员权限"},
		{contactA, schedule.ActionInviteCoord, "需要管理员权限"},
		{coordU, schedule.ActionInviteCoord, "需要管理员权限"},
	} {
		before := *h.task("4.1.3")
		toast := h.press(c.who, 1, schedule.CallbackData(c.action, "4.1.3"))
		if !strings.Contains(toast, c.need) {
			t.Errorf("%s pressed by %s: toast %q, want %q", c.action, c.who.FirstName, toast, c.need)
		}
		mu.Lock()
		got := seen[len(seen)-1]
		mu.Unlock()
		if got.Outcome != "refused" || got.Command != "button:"+string(c.action) {
			t.Errorf("%s pressed by %s: %+v, want refused as button:%s", c.action, c.who.FirstName, got, c.action)
		}
		if after := h.task("4.1.3"); after.Status != before.Status || after.Progress != before.Progress {
			t.Errorf("%s pressed by %s changed 4.1.3: %+v → %+v", c.action, c.who.FirstName, before, *after)
		}
	}
	var invites int
	h.db.View(func(tx *store.Tx) error {
		ivs, err := tx.Invites()
		invites = len(ivs)
		return err
	})
	if invites != 0 {
		t.Errorf("%d invites made by refused presses", invites)
	}
}
