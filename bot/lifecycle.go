package bot

import (
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// tableRole is the column of the lifecycle table the user acts in.
func (c *call) tableRole() store.Role {
	if rank(c.role) >= rank(store.RoleCoordinator) {
		return store.RoleCoordinator
	}
	if c.role == store.RoleHead {
		return store.RoleContact // a head acts on the department's tasks as its contact does
	}
	return c.role
}

// transition applies action a to t's status through store.Transition, the
// one table of who may move what where. A refusal is a user error naming
// the task; an allowed move sets t.Status.
func (c *call) transition(t *store.Task, a store.Action) (store.Move, error) {
	m := store.Transition(t.Status, a, c.tableRole())
	if m.Refuse != "" {
		return m, c.refusal(t, m.Refuse)
	}
	t.Status = m.To
	return m, nil
}

// refusal is the sentence for a refused move.
func (c *call) refusal(t *store.Task, reason string) error {
	switch reason {
	case store.RefuseRole:
		return c.denied(store.RoleCoordinator)
	case store.RefuseOpen:
		return store.Errorf(store.ECONFLICT, "%s", c.Lang.T("not_finished", t.ID))
	}
	return store.Errorf(store.ECONFLICT, "%s", c.Lang.T("refuse_"+reason, t.ID))
}

// toCoordinators is the one place this package tells the coordinators
// something (a done claim, a blocker, an extension request); who hears it
// is store.Audience's rule (through coordinatorChats).
func (c *call) toCoordinators(kind store.MessageKind, taskID, text string, buttons [][]store.Button) error {
	chats, err := c.coordinatorChats()
	if err != nil {
		return err
	}
	for _, chat := range chats {
		if chat == c.r.ChatID && !c.r.Group {
			continue // the coordinator who acted knows
		}
		m := c.send(chat, kind, text)
		m.TaskID, m.Buttons = taskID, buttons
	}
	return nil
}

// tellDept queues a line for every reachable contact of the task's lead and
// co-departments (not the user who acted). Lines to one chat are joined
// into one message when the call flushes, so a coordinator changing many
// tasks at once sends each contact one message.
func (c *call) tellDept(t *store.Task, line string) {
	seen := map[int64]bool{c.r.ChatID: true}
	for _, d := range append([]string{t.Lead}, t.CoDepts...) {
		if d == "" {
			continue
		}
		contacts, err := c.tx.ContactsByDept(d)
		if err != nil {
			c.keep("read the contacts of "+d, err) // not "nobody to tell"
			return
		}
		for _, ct := range contacts {
			if ct.Unreachable || ct.ChatID == 0 || seen[ct.ChatID] {
				continue
			}
			seen[ct.ChatID] = true
			if c.notices == nil {
				c.notices = map[int64][]string{}
			}
			if len(c.notices[ct.ChatID]) == 0 {
				c.noticeOrder = append(c.noticeOrder, ct.ChatID)
			}
			c.notices[ct.ChatID] = append(c.notices[ct.ChatID], line)
		}
	}
}

// queueNotices turns the collected department lines into one message per
// chat.
func (c *call) queueNotices() {
	for _, chat := range c.noticeOrder {
		lines := c.notices[chat]
		text := strings.Join(lines, "\n")
		if len(lines) > 1 {
			text = c.Lang.T("notice_many", len(lines)) + "\n" + text
		}
		c.send(chat, store.KindNotice, text)
	}
	c.notices, c.noticeOrder = nil, nil
}

// reviewButtons go under a done claim sent to the coordinators.
func (c *call) reviewButtons(id string) [][]store.Button {
	return [][]store.Button{{{Text: c.Lang.T("btn_signoff"), Data: schedule.CallbackData(schedule.ActionSignOff, id)}, {Text: c.Lang.T("btn_return"), Data: schedule.CallbackData(schedule.ActionReturn, id)}}}
}

// claimDone records a department's done claim (待销号) and sends it for
// review.
func (c *call) claimDone(t *store.Task, note string) error {
	if _, err := c.transition(t, store.ActDone); err != nil {
		return err
	}
	markDone(t, note)
	if err := c.save(t, "done", note, "saved_done"); err != nil {
		return err
	}
	text := c.Lang.T("review_ask", esc(c.r.Name), esc(t.Lead)) + "\n" + c.card(t) // the card carries the note as 最新进展
	return c.toCoordinators(store.KindReview, t.Key(), text, c.reviewButtons(t.Key()))
}

// closeTask signs a task off (销号) and tells its department.
func (c *call) closeTask(t *store.Task, confirmed bool) error {
	m, err := c.transition(t, store.ActClose)
	if err != nil {
		return err
	}
	if m.Confirm && !confirmed {
		old, err := c.tx.Task(t.Key()) // the stored state: t has the move applied
		if err != nil {
			return err
		}
		msg := c.reply(c.Lang.T("close_confirm", esc(t.ID), c.Lang.Status(old.Status), old.Progress) + "\n" + c.card(old))
		msg.TaskID = t.Key()
		msg.Buttons = [][]store.Button{{{Text: c.Lang.T("btn_close_yes"), Data: schedule.CallbackData(schedule.ActionCloseYes, t.Key())}, {Text: c.Lang.T("btn_discard"), Data: schedule.CallbackData(schedule.ActionCloseNo, t.Key())}}}
		return nil
	}
	if err := c.save(t, "close", "", "saved_close"); err != nil {
		return err
	}
	c.tellDept(t, c.Lang.T("notice_close", esc(t.ID), esc(shortText(t.Text))))
	return nil
}

// undoClaim gives a returned task back the progress and count it had
// before the done claim (the claim set them to 100% and the target): a
// task sent back as 数量不实 must not read "85/85家" and light green.
func (c *call) undoClaim(t *store.Task) error {
	hist, err := c.tx.History(t.Key())
	if err != nil {
		return err
	}
	for i := len(hist) - 1; i >= 0; i-- {
		u := hist[i]
		if u.Kind != "done" {
			continue
		}
		for _, ch := range u.Changes {
			switch ch.Field {
			case "progress":
				if n, err := strconv.Atoi(ch.Old); err == nil && ch.New == strconv.Itoa(t.Progress) {
					t.Progress = n
				}
			case "current":
				if f, err := strconv.ParseFloat(ch.Old, 64); err == nil && ch.New == store.FormatNumber(t.Current) {
					t.Current = f
				}
			}
		}
		return nil
	}
	return nil
}

// returnTask sends a done claim back (退回重办) with the coordinator's
// reason; the department sees the task in 推进中 with the reason.
func (c *call) returnTask(id, reason string) error {
	t, err := c.tx.Task(id)
	if err != nil {
		return err
	}
	if _, err := c.transition(t, store.ActReturn); err != nil {
		return err
	}
	if err := c.undoClaim(t); err != nil {
		return err
	}
	if t.Progress >= 100 {
		t.Progress = 99
	}
	if err := c.save(t, "return", reason, "saved_return"); err != nil {
		return err
	}
	c.tellDept(t, c.Lang.T("notice_return", esc(t.ID), esc(shortText(t.Text)), esc(reason)))
	return nil
}

// shortText cuts a task's text for a one-line notice.
func shortText(s string) string {
	r := []rune(s)
	if len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}
