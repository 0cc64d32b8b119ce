package bot

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// button handles a pressed inline button. Every press is answered (Handle
// does that) with c.toast.
func (c *call) button() error {
	kind, arg, _ := strings.Cut(c.r.CallbackData, ":")
	if c.role == store.RoleStranger {
		c.toast, c.refused = c.Lang.T("need_contact"), true
		return nil
	}
	switch kind {
	case cbDone:
		t, err := c.writable(arg)
		if err != nil {
			return c.toastErr(err)
		}
		return c.toastErr(c.claimDone(t, ""))
	case cbProgress, cbExtend, cbBlocked:
		t, err := c.writable(arg)
		if err != nil {
			return c.toastErr(err)
		}
		action := map[string]store.Action{cbProgress: store.ActProgress, cbExtend: store.ActExtend, cbBlocked: store.ActBlocked}[kind]
		if m := store.Transition(t.Status, action, c.tableRole()); m.Refuse != "" {
			return c.toastErr(c.refusal(t, m.Refuse))
		}
		key := map[string]string{cbProgress: kindPromptProgress, cbExtend: kindPromptExtend, cbBlocked: kindPromptBlocked}[kind]
		example := ""
		switch kind {
		case cbProgress:
			example = c.progressExample(t)
		case cbExtend:
			if t.Deadline.IsZero() || t.Cadence != "" {
				return c.toastErr(store.Errorf(store.ECONFLICT, "%s", c.Lang.T("extend_continuous", esc(t.ID))))
			}
			example = extendExample(t, c.planYear()).String()
		}
		c.prompt(t.ID, key, c.Lang.T(key, esc(t.ID), esc(t.Text), example))
		c.toast = c.Lang.T("toast_reply")
		return nil
	case cbAck:
		return c.ack(arg)
	case cbApprove, cbReject:
		if rank(c.role) < rank(store.RoleCoordinator) {
			c.toast, c.refused = c.Lang.T("need_coordinator"), true
			return nil
		}
		id, _ := strconv.ParseUint(arg, 10, 64)
		return c.decideExtension(id, kind == cbApprove)
	case cbImport, cbDiscard:
		if rank(c.role) < rank(store.RoleCoordinator) {
			c.toast, c.refused = c.Lang.T("need_coordinator"), true
			return nil
		}
		return c.confirmImport(arg, kind == cbImport)
	case cbLeave:
		return c.leaveDept(arg)
	case cbInviteCoord:
		if c.role != store.RoleAdmin {
			c.toast = c.Lang.T("need_admin")
			return nil
		}
		c.toast = c.Lang.T("toast_invite")
		return c.cmdInvite(c.Lang.T("coordinator_word"))
	case cbRevoke:
		if rank(c.role) < rank(store.RoleCoordinator) {
			c.toast = c.Lang.T("need_coordinator")
			return nil
		}
		return c.toastErr(c.revokeInvite(arg))
	case cbSignOff, cbReturn, cbCloseYes, cbCloseNo, cbAnswer:
		if rank(c.role) < rank(store.RoleCoordinator) {
			c.toast = c.Lang.T("need_coordinator")
			return nil
		}
		return c.reviewButton(kind, arg)
	}
	c.toast, c.refused = c.Lang.T("button_unknown"), true
	return nil
}

// reviewButton handles the coordinators' buttons of the review loop.
func (c *call) reviewButton(kind, id string) error {
	t, err := c.tx.Task(id)
	if err != nil {
		return c.toastErr(err)
	}
	switch kind {
	case cbSignOff, cbCloseYes:
		if kind == cbSignOff && t.Status != store.StatusDone {
			c.toast = c.Lang.T("review_stale", esc(t.ID), c.Lang.Status(t.Status))
			return nil
		}
		if err := c.closeTask(t, true); err != nil {
			return c.toastErr(err)
		}
		c.settleButtons(c.Lang.T("signed_off", esc(c.r.Name)))
	case cbCloseNo:
		c.toast = c.Lang.T("import_discarded_short")
		c.out = append(c.out, &store.Message{ChatID: c.r.ChatID, Kind: "edit", EditID: c.r.MessageID, TaskID: t.ID,
			Text: c.Lang.T("close_cancelled", esc(t.ID))})
	case cbReturn:
		if m := store.Transition(t.Status, store.ActReturn, c.tableRole()); m.Refuse != "" {
			return c.toastErr(c.refusal(t, m.Refuse))
		}
		c.prompt(t.ID, kindPromptReturn, c.Lang.T(kindPromptReturn, esc(t.ID), esc(t.Lead)))
		c.toast = c.Lang.T("toast_reply")
	case cbAnswer:
		c.prompt(t.ID, kindPromptAnswer, c.Lang.T(kindPromptAnswer, esc(t.ID), esc(t.Lead)))
		c.toast = c.Lang.T("toast_reply")
	}
	return nil
}

// settleButtons turns the edit of the pressed message that save queued
// into a plain record of the decision (no task buttons for coordinators).
func (c *call) settleButtons(head string) {
	for _, m := range c.out {
		if m.Kind == "edit" && m.EditID == c.r.MessageID && m.ChatID == c.r.ChatID {
			m.Buttons, m.Text = nil, head+"\n"+m.Text
		}
	}
}

// answer sends a coordinator's answer to a blocked task's department and
// records it in the history.
func (c *call) answer(id, text string) error {
	t, err := c.tx.Task(id)
	if err != nil {
		return err
	}
	if err := c.tx.AppendHistory(&store.Update{TaskID: t.ID, By: c.actor(), Kind: "answer", Note: text}); err != nil {
		return err
	}
	c.tellDept(t, c.Lang.T("notice_answer", esc(c.r.Name), esc(t.ID), esc(shortText(t.Text)), esc(text)))
	c.reply(c.Lang.T("answer_sent", esc(t.Lead)))
	return nil
}

// progressExample is the figure a progress prompt suggests.
func (c *call) progressExample(t *store.Task) string {
	if t.HasTarget() {
		return c.Lang.T("example_count", store.FormatNumber(math.Round(t.Target/2)), store.FormatNumber(t.Target), esc(t.Unit))
	}
	return "60%"
}

// toastErr shows a refusal on the button itself rather than as a message.
func (c *call) toastErr(err error) error {
	if err == nil {
		return nil
	}
	if store.ErrorCode(err) == store.EINTERNAL {
		return err
	}
	c.toast = c.Lang.Refusal(err)
	c.refused = true
	return nil
}

// memberChanged tracks a user blocking (kicked) or unblocking the bot in a
// private chat; groups are tracked for the digest chat only by /digestchat.
func (c *call) memberChanged() error {
	if c.r.Group {
		if c.r.MemberStatus == "kicked" || c.r.MemberStatus == "left" {
			if _, err := c.tx.SetReachable(c.r.ChatID, false); err != nil {
				return err
			}
			// The coordinators' group removing the bot must not swallow
			// what was meant for it: its setting goes, its messages move.
			lost, err := schedule.GroupLost(c.tx, c.r.ChatID, c.r.MemberStatus, string(c.Lang))
			if lost {
				c.enqueued++
			}
			return err
		}
		return nil
	}
	ok := c.r.MemberStatus != "kicked" && c.r.MemberStatus != "left"
	changed, err := c.tx.SetReachable(c.r.ChatID, ok)
	if err != nil || ok || !changed {
		return err
	}
	// A contact who blocks the bot is reported now, not only when a
	// reminder bounces; the notice's key makes a later 403 a no-op.
	c.enqueued++
	return schedule.ContactUnreachable(c.tx, c.r.ChatID, string(c.Lang))
}

// coordinatorChats is where requests for coordinators go (store.Audience:
// the digest chat when one is set, else every reachable coordinator and
// admin). A failed read is an internal error, not "nobody to tell".
func (c *call) coordinatorChats() ([]int64, error) {
	admins := make([]int64, 0, len(c.Admins))
	for id := range c.Admins {
		admins = append(admins, id)
	}
	to, err := c.tx.Audience(store.AboutWork, admins...)
	if err != nil {
		return nil, store.Errorf(store.EINTERNAL, "who hears the coordinators' work: %v", err)
	}
	chats := make([]int64, len(to))
	for i, r := range to {
		chats[i] = r.ChatID
	}
	return chats, nil
}

// list replies with a heading and one line per task, split by the sender
// when long.
func (c *call) list(head string, tasks []*store.Task, withDept bool) {
	on := store.DateOf(c.now)
	lines := []string{head}
	for _, t := range tasks {
		lines = append(lines, LitLine(c.Lang, t, on, c.planStart(), withDept, c.lights()))
	}
	if len(tasks) == 0 {
		lines = append(lines, c.Lang.T("none"))
	}
	c.reply(strings.Join(lines, "\n"))
}

// byDeadline orders tasks by deadline (continuous last), then ID.
func byDeadline(ts []*store.Task) {
	slices.SortStableFunc(ts, store.CompareByDeadline)
}

// extendExample is the date an extension prompt suggests: a month after
// the deadline, kept inside the plan year when the deadline leaves room.
func extendExample(t *store.Task, year int) store.Date {
	d := t.Deadline.AddDays(30)
	if end := store.NewDate(year, 12, 31); d > end && t.Deadline < end {
		d = end
	}
	return d
}
