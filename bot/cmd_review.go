package bot

import (
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// tasksIn returns the tasks in status s, by deadline.
func (c *call) tasksIn(s store.Status) ([]*store.Task, error) {
	out, err := c.tx.TasksInStatus(s)
	if err != nil {
		return nil, err
	}
	byDeadline(out)
	return out, nil
}

// cmdPending lists what waits for a coordinator: done claims to sign off
// (with the buttons) and extension requests to decide.
func (c *call) cmdPending(string) error {
	done, err := c.tasksIn(store.StatusDone)
	if err != nil {
		return err
	}
	exts, err := c.tx.PendingExtensions()
	if err != nil {
		return err
	}
	if len(done) == 0 && len(exts) == 0 {
		c.reply(c.Lang.T("pending_none"))
		return nil
	}
	lines := []string{c.Lang.T("pending_head", len(done), len(exts))}
	if len(done) > 0 {
		lines = append(lines, c.Lang.T("pending_review"))
	}
	lines = append(lines, c.litLines(done, func(t *store.Task) string {
		return c.Lang.T("pending_claim", esc(shortText(t.Latest)))
	})...)
	if len(exts) > 0 {
		lines = append(lines, c.Lang.T("pending_ext"))
	}
	for _, e := range exts {
		old, err := c.oldDeadline(e)
		if err != nil {
			return err
		}
		lines = append(lines, c.Lang.T("pending_ext_line", esc(store.IDOf(e.TaskID)), old, e.NewDate.String(), esc(e.By.Name), esc(e.Reason)))
	}
	c.reply(strings.Join(lines, "\n"))
	// One message per waiting item with its buttons, so each is decided
	// where it is read (at most a page of them).
	for i, t := range done {
		if i == 10 {
			break
		}
		m := c.reply(c.Lang.T("review_item") + "\n" + c.card(t))
		m.TaskID, m.Buttons = t.Key(), c.reviewButtons(t.Key())
	}
	for i, e := range exts {
		if i == 10 {
			break
		}
		id := strconv.FormatUint(e.ID, 10)
		old, err := c.oldDeadline(e)
		if err != nil {
			return err
		}
		m := c.reply(c.Lang.T("pending_ext_line", esc(store.IDOf(e.TaskID)), old, e.NewDate.String(), esc(e.By.Name), esc(e.Reason)))
		m.TaskID = e.TaskID
		m.Buttons = [][]store.Button{{{Text: c.Lang.T("btn_approve"), Data: schedule.CallbackData(schedule.ActionApprove, id)}, {Text: c.Lang.T("btn_reject"), Data: schedule.CallbackData(schedule.ActionReject, id)}}}
	}
	return nil
}

// oldDeadline is the deadline an extension request would move: "—" when
// its task is gone; a task that does not read is an error.
func (c *call) oldDeadline(e *store.Extension) (string, error) {
	t, err := c.tx.Task(e.TaskID)
	switch {
	case store.ErrorCode(err) == store.ENOTFOUND:
		return "—", nil
	case err != nil:
		return "", err
	}
	return t.Deadline.String(), nil
}

// listBlocked lists the blocked tasks with their reasons (coordinators'
// /blocked without arguments).
func (c *call) listBlocked() error {
	ts, err := c.tasksIn(store.StatusBlocked)
	if err != nil {
		return err
	}
	lines := append([]string{c.Lang.T("blocked_head", len(ts))}, c.litLines(ts, func(t *store.Task) string {
		return "\n　" + c.Lang.T("blocked_reason", esc(t.Latest))
	})...)
	if len(ts) == 0 {
		lines = append(lines, c.Lang.T("none"))
	}
	c.reply(strings.Join(lines, "\n"))
	return nil
}

// blockedByDept counts blocked tasks per lead department, for /stats.
func (c *call) blockedByDept() (map[string]int, int, error) {
	ts, err := c.tasksIn(store.StatusBlocked)
	if err != nil {
		return nil, 0, err
	}
	out := map[string]int{}
	for _, t := range ts {
		out[t.Lead]++
	}
	return out, len(ts), nil
}
