package bot

import (
	"github.com/duban-bureau/duban/schedule/outbox"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// button handles a pressed inline button through the table's row of its
// action. Every press is answered (Handle does that) with c.toast.
func (c *call) button() error {
	action, arg, ok := schedule.ParseCallback(c.r.CallbackData)
	if c.role == store.RoleStranger {
		c.toast, c.refused = c.Lang.T("need_contact"), true
		return nil
	}
	row := buttons[action]
	if !ok || row == nil {
		c.toast, c.refused = c.Lang.T("button_unknown"), true
		return nil
	}
	if !row.allows(c.role) {
		c.toast, c.refused = c.Lang.T("need_"+string(row.role)), true
		return nil
	}
	return row.run(c, arg)
}

// pressDone is a department's done claim from a task's buttons.
func (c *call) pressDone(id string) error {
	t, err := c.writable(id)
	if err != nil {
		return c.toastErr(err)
	}
	return c.toastErr(c.claimDone(t, ""))
}

// pressProgress, pressExtend and pressBlocked ask for the figure, the
// date or the reason in a reply (a prompt).
func (c *call) pressProgress(id string) error {
	return c.promptFor(id, store.ActProgress, store.KindPromptProgress)
}

func (c *call) pressExtend(id string) error {
	return c.promptFor(id, store.ActExtend, store.KindPromptExtend)
}

func (c *call) pressBlocked(id string) error {
	return c.promptFor(id, store.ActBlocked, store.KindPromptBlocked)
}

// promptFor checks the lifecycle allows action on the task and asks for
// the rest of it with the prompt key.
func (c *call) promptFor(id string, action store.Action, key store.MessageKind) error {
	t, err := c.writable(id)
	if err != nil {
		return c.toastErr(err)
	}
	if m := store.Transition(t.Status, action, c.tableRole()); m.Refuse != "" {
		return c.toastErr(c.refusal(t, m.Refuse))
	}
	example := ""
	switch action {
	case store.ActProgress:
		example = c.progressExample(t)
	case store.ActExtend:
		if t.Deadline.IsZero() || t.Cadence != "" {
			return c.toastErr(store.Errorf(store.ECONFLICT, "%s", c.Lang.T("extend_continuous", esc(t.ID))))
		}
		example = extendExample(t, c.planYear()).String()
	}
	c.prompt(t.Key(), key, c.Lang.T(string(key), esc(t.ID), esc(t.Text), example))
	c.toast = c.Lang.T("toast_reply")
	return nil
}

// pressApprove and pressReject decide an extension request.
func (c *call) pressApprove(id string) error { return c.decideExtensionButton(id, true) }

func (c *call) pressReject(id string) error { return c.decideExtensionButton(id, false) }

func (c *call) decideExtensionButton(arg string, approve bool) error {
	id, _ := strconv.ParseUint(arg, 10, 64) // a forged ID finds no request
	return c.decideExtension(id, approve)
}

// pressImport and pressDiscard apply or drop a staged import.
func (c *call) pressImport(id string) error { return c.confirmImport(id, schedule.ActionImport) }

func (c *call) pressDiscard(id string) error { return c.confirmImport(id, schedule.ActionDiscard) }

func (c *call) pressImportForce(id string) error {
	return c.confirmImport(id, schedule.ActionImportForce)
}

func (c *call) pressImportExample(id string) error {
	return c.confirmImport(id, schedule.ActionImportExample)
}

func (c *call) pressImportCarry(id string) error {
	return c.confirmImport(id, schedule.ActionImportCarry)
}

// pressRevoke revokes an invite from /invites.
func (c *call) pressRevoke(id string) error { return c.toastErr(c.revokeInvite(id)) }

// pressInviteCoord makes a coordinator invite (an admin's button).
func (c *call) pressInviteCoord(string) error {
	c.toast = c.Lang.T("toast_invite")
	return c.cmdInvite(c.Lang.T("coordinator_word"))
}

// pressSignOff signs off a done claim (销号).
func (c *call) pressSignOff(t *store.Task) error {
	if t.Status != store.StatusDone {
		c.toast = c.Lang.T("review_stale", esc(t.ID), c.Lang.Status(t.Status))
		return nil
	}
	return c.signOff(t)
}

// pressCloseYes confirms the 销号 of a task never reported done.
func (c *call) pressCloseYes(t *store.Task) error {
	return c.signOff(t)
}

// onPressedTask makes a button's handler of a handler of the task its
// argument names (the review loop's buttons): a task that is gone is
// said on the button.
func onPressedTask(do func(c *call, t *store.Task) error) func(c *call, id string) error {
	return func(c *call, id string) error {
		t, err := c.tx.Task(id)
		if err != nil {
			return c.toastErr(err)
		}
		return do(c, t)
	}
}

// signOff closes t from a button and records the decision on the message.
func (c *call) signOff(t *store.Task) error {
	if err := c.closeTask(t, true); err != nil {
		return c.toastErr(err)
	}
	c.settleButtons(c.Lang.T("signed_off", esc(c.r.Name)))
	return nil
}

// pressCloseNo cancels a 销号 that asked for confirmation.
func (c *call) pressCloseNo(t *store.Task) error {
	c.toast = c.Lang.T("import_discarded_short")
	c.out = append(c.out, &store.Message{ChatID: c.r.ChatID, Kind: store.KindEdit, EditID: c.r.MessageID, TaskID: t.Key(),
		Text: c.Lang.T("close_cancelled", esc(t.ID))})
	return nil
}

// pressReturn asks for the reason a done claim goes back (退回重办).
func (c *call) pressReturn(t *store.Task) error {
	if m := store.Transition(t.Status, store.ActReturn, c.tableRole()); m.Refuse != "" {
		return c.toastErr(c.refusal(t, m.Refuse))
	}
	return c.coordinatorPrompt(t, store.KindPromptReturn)
}

// pressAnswer asks for a coordinator's answer to a blocked task.
func (c *call) pressAnswer(t *store.Task) error {
	return c.coordinatorPrompt(t, store.KindPromptAnswer)
}

// coordinatorPrompt asks a coordinator for text addressed to the task's
// department.
func (c *call) coordinatorPrompt(t *store.Task, key store.MessageKind) error {
	c.prompt(t.Key(), key, c.Lang.T(string(key), esc(t.ID), esc(t.Lead)))
	c.toast = c.Lang.T("toast_reply")
	return nil
}

// settleButtons turns the edit of the pressed message that save queued
// into a plain record of the decision (no task buttons for coordinators).
func (c *call) settleButtons(head string) {
	for _, m := range c.out {
		if m.Kind == store.KindEdit && m.EditID == c.r.MessageID && m.ChatID == c.r.ChatID {
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
	if err := c.tx.AppendHistory(&store.HistoryEntry{TaskID: t.ID, PlanID: t.PlanID, By: c.actor(), Kind: "answer", Note: text}); err != nil {
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
			lost, err := outbox.GroupLost(c.tx, c.r.ChatID, c.r.MemberStatus, c.Lang)
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
	return outbox.ContactUnreachable(c.tx, c.r.ChatID, c.Lang)
}

// coordinatorChats is where requests for coordinators go (store.Audience:
// the digest chat when one is set, else every reachable coordinator and
// admin). A failed read is an internal error, not "nobody to tell".
func (c *call) coordinatorChats() ([]int64, error) {
	to, err := c.tx.Audience(store.AboutWork, c.Admins...)
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
func (c *call) list(head string, tasks []*store.Task) {
	lines := append([]string{head}, c.litLines(tasks, nil)...)
	if len(tasks) == 0 {
		lines = append(lines, c.Lang.T("none"))
	}
	c.reply(strings.Join(lines, "\n"))
}

// litLines renders tasks as list lines with their departments, each
// followed by what more returns (nil: nothing); past listLimit a line
// gives the count of the rest.
func (c *call) litLines(tasks []*store.Task, more func(t *store.Task) string) []string {
	on := store.DateOf(c.now)
	var lines []string
	for i, t := range tasks {
		if i == listLimit {
			lines = append(lines, c.Lang.T("list_more", listLimit, len(tasks)-listLimit))
			break
		}
		line := LitLine(c.Lang, c.shown(t), on, c.planStartOf(t), true, c.lights())
		if more != nil {
			line += more(t)
		}
		lines = append(lines, line)
	}
	return lines
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
