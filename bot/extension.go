package bot

import (
	"strconv"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// requestExtension asks coordinators to move a deadline. The new date
// must be after the current deadline and after today; a task has at most
// one request waiting (a second replaces the first, saying so); continuous
// tasks have no deadline to move.
func (c *call) requestExtension(id, date, reason string) error {
	t, err := c.writable(id)
	if err != nil {
		return err
	}
	if _, err := c.transition(t, store.ActExtend); err != nil {
		return err
	}
	if t.Deadline.IsZero() || t.Cadence != "" {
		return store.Errorf(store.ECONFLICT, "%s", c.Lang.T("extend_continuous", esc(t.ID)))
	}
	d, cad, err := store.ParseDeadline(date, c.planYear())
	if err != nil || d.IsZero() || cad != "" || reason == "" {
		return c.usage("extend")
	}
	today := store.DateOf(c.now)
	if d <= t.Deadline || d <= today {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("extend_not_later", d.String(), t.Deadline.String(), today.String()))
	}
	replaced := ""
	pending, err := c.tx.PendingExtensions()
	if err != nil {
		return err
	}
	for _, old := range pending {
		if old.TaskID == t.Key() {
			old.Decided, old.DecidedBy = true, 0 // replaced, not refused
			if err := c.tx.PutExtension(old); err != nil {
				return err
			}
			replaced = old.NewDate.String()
		}
	}
	e := &store.Extension{TaskID: t.Key(), NewDate: d, Reason: reason, By: c.actor(), At: c.now}
	if err := c.tx.PutExtension(e); err != nil {
		return err
	}
	if err := c.tx.AppendHistory(&store.HistoryEntry{TaskID: t.ID, PlanID: t.PlanID, By: c.actor(), Kind: "extend_request",
		Note: c.Lang.T("extend_note", t.Deadline.String(), d.String(), reason)}); err != nil {
		return err
	}
	id64 := strconv.FormatUint(e.ID, 10)
	text := c.Lang.T("extend_ask", esc(c.r.Name), esc(t.ID), esc(t.Text), t.Deadline.String(), d.String(), esc(reason))
	if err := c.toCoordinators(store.KindExtension, t.Key(), text,
		[][]store.Button{{{Text: c.Lang.T("btn_approve"), Data: schedule.CallbackData(schedule.ActionApprove, id64)}, {Text: c.Lang.T("btn_reject"), Data: schedule.CallbackData(schedule.ActionReject, id64)}}}); err != nil {
		return err
	}
	answer := c.Lang.T("extend_sent", esc(t.ID), d.String())
	if replaced != "" {
		answer += "\n" + c.Lang.T("extend_replaced", replaced)
	}
	c.reply(answer)
	c.toast = c.Lang.T("extend_sent_short")
	return nil
}

// decideExtension approves (moving the deadline) a request, or for a
// refusal asks the coordinator for the reason first (rejectExtension takes
// the answer). The department hears either way.
func (c *call) decideExtension(id uint64, ok bool) error {
	e, err := c.tx.Extension(id)
	if err != nil {
		return c.toastErr(err)
	}
	if e.Decided {
		c.toast = c.Lang.T("extension_decided")
		if e.DecidedBy == 0 {
			c.toast = c.Lang.T("extension_superseded")
		}
		return nil
	}
	t, err := c.tx.Task(e.TaskID)
	if err != nil {
		return c.toastErr(err)
	}
	if !ok {
		c.prompt(t.Key(), store.KindPromptReject, c.Lang.T(string(store.KindPromptReject), esc(t.ID), e.NewDate.String()))
		c.toast = c.Lang.T("toast_reply")
		return nil
	}
	if _, err := c.transition(t, store.ActDeadline); err != nil {
		return c.toastErr(err)
	}
	e.Decided, e.Approved, e.DecidedBy = true, true, c.r.UserID
	if err := c.tx.PutExtension(e); err != nil {
		return err
	}
	t.Deadline, t.Cadence = e.NewDate, ""
	if _, err := c.tx.SaveTask(t, c.actor(), "extend_approved", e.Reason); err != nil {
		return err
	}
	text := c.Lang.T("extension_approved", esc(t.ID), e.NewDate.String(), esc(c.r.Name))
	c.toast = c.Lang.T("extension_approved_short")
	if c.r.MessageID != 0 {
		c.out = append(c.out, &store.Message{ChatID: c.r.ChatID, Kind: store.KindEdit, EditID: c.r.MessageID, Text: text})
	}
	c.tellDept(t, text)
	return nil
}

// rejectExtension refuses the task's waiting request with the
// coordinator's reason.
func (c *call) rejectExtension(taskID, reason string) error {
	pending, err := c.tx.PendingExtensions()
	if err != nil {
		return err
	}
	var e *store.Extension
	for _, p := range pending {
		if p.TaskID == taskID {
			e = p
		}
	}
	if e == nil {
		return store.Errorf(store.ECONFLICT, "%s", c.Lang.T("extension_decided"))
	}
	t, err := c.tx.Task(taskID)
	if err != nil {
		return err
	}
	e.Decided, e.Approved, e.DecidedBy = true, false, c.r.UserID
	if err := c.tx.PutExtension(e); err != nil {
		return err
	}
	if err := c.tx.AppendHistory(&store.HistoryEntry{TaskID: t.ID, PlanID: t.PlanID, By: c.actor(), Kind: "extend_rejected",
		Note: c.Lang.T("extend_rejected_note", e.NewDate.String(), reason)}); err != nil {
		return err
	}
	text := c.Lang.T("extension_rejected", esc(t.ID), e.NewDate.String(), esc(c.r.Name), esc(reason))
	c.reply(c.Lang.T("extension_rejected_short") + "：" + text)
	c.tellDept(t, text)
	return nil
}
