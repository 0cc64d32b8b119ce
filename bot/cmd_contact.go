package bot

import (
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// cmdStart greets, and with an invite token registers the user.
func (c *call) cmdStart(args string) error {
	if token := strings.TrimSpace(args); token != "" {
		inv, err := c.tx.UseInviteIf(token, c.r.UserID, c.inviteFits)
		if err != nil {
			return err
		}
		ct := c.me
		if ct == nil {
			ct = &store.Contact{UserID: c.r.UserID, ChatID: c.r.UserID} // a private chat's ID is the user's
		}
		ct.Name, ct.Username = c.r.Name, c.r.Username
		// Roles are a set: an invite for another department adds it,
		// never moves the person out of the one they hold.
		before := len(ct.Departments())
		ct.AddDept(inv.Dept)
		if !c.r.Group {
			ct.ChatID = c.r.ChatID
		}
		if rank(inv.Role) > rank(ct.Role) || (inv.Role == store.RoleHead && ct.Role == store.RoleContact) {
			ct.Role = inv.Role
		}
		if inv.Role == store.RoleHead {
			ct.Head = true // kept when the head is (or becomes) a coordinator too
		}
		ct.Unreachable = false
		ct.LastSeen = c.now // registering is being seen (/people said 无记录)
		if err := c.tx.PutContact(ct); err != nil {
			return err
		}
		if rank(c.role) < rank(ct.Role) {
			c.roles = append(c.roles, roleChange{ct.ChatID, ct.Role})
		}
		if inv.Role == store.RoleCoordinator {
			c.reply(c.Lang.T("registered_coord"))
			return nil
		}
		if inv.Role == store.RoleHead {
			c.reply(c.Lang.T("registered_head", esc(inv.Dept)))
			return nil
		}
		if depts := ct.Departments(); before > 0 && len(depts) > before {
			// Ask whether the new department replaces an old one.
			m := c.reply(c.Lang.T("registered_more", esc(inv.Dept), esc(strings.Join(depts, c.Lang.T("list_sep")))) + "\n" + c.Lang.T("registered_leave_ask"))
			for i, d := range depts[:before] {
				m.Buttons = append(m.Buttons, []store.Button{{Text: c.Lang.T("btn_leave", d), Data: schedule.CallbackData(schedule.ActionLeave, strconv.Itoa(i))}})
			}
			return nil
		}
		c.reply(c.Lang.T("registered", esc(inv.Dept)))
		return nil
	}
	if c.role == store.RoleStranger {
		c.reply(c.Lang.T("welcome_stranger", c.r.UserID))
		return nil
	}
	if c.role == store.RoleAdmin && c.tx.IsExamplePlan() {
		c.reply(c.Lang.T("example_plan_admin"))
	}
	return c.cmdHelp("")
}

// inviteFits refuses an invite that would mix the two department roles
// in one registration: a person's departments are all held either as
// contact (daily reminders) or as head (the escalation ladder only), so a
// contact of another department cannot become a head, nor a head a
// contact — either would silently stop reminders someone relies on.
func (c *call) inviteFits(inv *store.Invite) error {
	ct := c.me
	if ct == nil || inv.Dept == "" {
		return nil
	}
	depts := ct.Departments()
	switch {
	case inv.Role == store.RoleHead && !ct.IsHead():
		for _, d := range depts {
			if d != inv.Dept {
				return store.Errorf(store.ECONFLICT, "%s", c.Lang.T("invite_head_mixed", esc(strings.Join(depts, c.Lang.T("list_sep"))), esc(inv.Dept)))
			}
		}
	case inv.Role == store.RoleContact && ct.IsHead():
		return store.Errorf(store.ECONFLICT, "%s", c.Lang.T("invite_contact_is_head", esc(strings.Join(depts, c.Lang.T("list_sep"))), esc(inv.Dept)))
	}
	return nil
}

// cmdHelp lists the commands the user's role may run.
func (c *call) cmdHelp(string) error {
	var b strings.Builder
	b.WriteString(c.Lang.T("help_head"))
	for _, row := range menuRows(c.role) {
		b.WriteString("\n" + esc(c.Lang.T(row.usage)) + " — " + c.Lang.T(row.menu))
	}
	if c.role == store.RoleAdmin {
		b.WriteString("\n" + esc(c.Lang.T("usage_invite_coord")) + " — " + c.Lang.T("menu_invite_coord"))
	}
	if rank(c.role) >= rank(store.RoleCoordinator) {
		b.WriteString("\n\n" + c.Lang.T("help_loop"))
	}
	if rank(c.role) >= rank(store.RoleContact) {
		b.WriteString("\n\n" + c.Lang.T("help_reply"))
	}
	c.reply(b.String())
	return nil
}

// cmdMy lists the open tasks of the user's departments, by deadline,
// marking those the department only supports (配合).
func (c *call) cmdMy(string) error {
	if c.me == nil || len(c.me.Departments()) == 0 {
		c.reply(c.Lang.T("no_dept"))
		return nil
	}
	on := store.DateOf(c.now)
	for _, d := range c.me.Departments() {
		open, total, err := c.tx.DeptOpenPage(d, listLimit)
		if err != nil {
			return err
		}
		byDeadline(open)
		lead := 0
		for _, t := range open {
			if t.Lead == d {
				lead++
			}
		}
		lines := []string{c.Lang.T("my_head", esc(d), total) + "\n" + c.Lang.T("my_split", lead, len(open)-lead)}
		for _, t := range open {
			line := LitLine(c.Lang, c.shown(t), on, c.planStartOf(t), false, c.lights())
			if t.Lead != d {
				line += c.Lang.T("my_co", esc(t.Lead))
			}
			lines = append(lines, line)
		}
		if len(open) == 0 {
			lines = append(lines, c.Lang.T("none"))
		}
		if total > len(open) {
			lines = append(lines, c.Lang.T("list_more", len(open), total-len(open)))
		}
		c.reply(strings.Join(lines, "\n"))
	}
	return nil
}

// cmdTask shows one task with its recent history.
func (c *call) cmdTask(args string) error {
	t, _, err := c.taskArgs("task", args, 1, 1)
	if err != nil {
		return err
	}
	text := c.card(t)
	h, err := c.tx.History(t.Key())
	if err != nil {
		return err
	}
	if len(h) > 0 {
		text += "\n\n" + c.Lang.T("history_head")
		n := len(h)
		if len(h) > 5 {
			h = h[len(h)-5:]
		}
		for _, u := range h {
			text += "\n" + esc(historyLine(c.Lang, u, c.Loc))
		}
		if n > 5 {
			text += "\n" + c.Lang.T("history_more", n, esc(t.ID))
		}
	}
	m := c.reply(text)
	m.TaskID = t.Key()
	if c.mayChange(t) {
		m.Buttons = TaskButtons(c.Lang, t.Key())
	}
	return nil
}

// cmdProgress records progress as a percent or a count against the target.
func (c *call) cmdProgress(args string) error {
	return c.onTask("progress", args, true, c.progress)
}

// taskArgs reads "/name ID …" of lo to hi arguments, the first a task's
// ID: the task and the arguments.
func (c *call) taskArgs(name, args string, lo, hi int) (*store.Task, []string, error) {
	f := fields(args)
	if len(f) < lo || len(f) > hi {
		return nil, nil, c.usage(name)
	}
	t, err := c.tx.Task(normID(f[0]))
	return t, f, err
}

// onTask runs a department's command "/name ID text" (text optional unless
// needText): on a task the user may change, with what follows its ID.
func (c *call) onTask(name, args string, needText bool, act func(t *store.Task, text string) error) error {
	id, text := cutField(args)
	if id == "" || needText && text == "" {
		return c.usage(name)
	}
	t, err := c.writable(id)
	if err != nil {
		return err
	}
	return act(t, text)
}

// progress records a figure on t, saying how it was read.
func (c *call) progress(t *store.Task, fig string) error {
	if _, err := c.transition(t, store.ActProgress); err != nil {
		return err
	}
	key, args, err := setProgress(t, fig)
	if err != nil {
		return c.progressRefused(t, err)
	}
	c.readAs = c.Lang.T(key, args...)
	return c.save(t, "progress", "", "saved_progress")
}

// progressRefused explains why a figure was not taken.
func (c *call) progressRefused(t *store.Task, err error) error {
	pe, ok := err.(progressError)
	if !ok {
		return err
	}
	if pe.key == "progress_bad" {
		return c.usage("progress")
	}
	return store.Errorf(store.EINVALID, "%s", c.Lang.T(pe.key, t.ID, store.FormatNumber(t.Target), t.Unit))
}

// cmdDone marks a task done (the department's claim; 销号 is a coordinator's).
func (c *call) cmdDone(args string) error {
	return c.onTask("done", args, false, c.claimDone)
}

// cmdBlocked marks a task blocked with a reason; without arguments a
// coordinator gets the list of blocked tasks.
func (c *call) cmdBlocked(args string) error {
	if strings.TrimSpace(args) == "" && rank(c.role) >= rank(store.RoleCoordinator) {
		return c.listBlocked()
	}
	return c.onTask("blocked", args, true, c.block)
}

// block records a blocker and tells the coordinators, with a button to
// answer the department.
func (c *call) block(t *store.Task, reason string) error {
	if _, err := c.transition(t, store.ActBlocked); err != nil {
		return err
	}
	t.Latest = reason
	if err := c.save(t, "blocked", reason, "saved_blocked"); err != nil {
		return err
	}
	text := c.Lang.T("blocked_ask", esc(c.r.Name), esc(t.Lead), esc(t.ID), esc(shortText(t.Text)), esc(reason))
	return c.toCoordinators(store.KindBlocked, t.Key(), text, [][]store.Button{{{Text: c.Lang.T("btn_answer"), Data: schedule.CallbackData(schedule.ActionAnswer, t.Key())}}})
}

// cmdNote adds a progress note without changing the status.
func (c *call) cmdNote(args string) error {
	return c.onTask("note", args, true, c.note)
}

func (c *call) note(t *store.Task, text string) error {
	if _, err := c.transition(t, store.ActNote); err != nil {
		return err
	}
	t.Latest = text
	c.readAs = c.Lang.T("note_only", t.Progress)
	return c.save(t, "note", text, "saved_note")
}

// cmdExtend asks coordinators to move a deadline.
func (c *call) cmdExtend(args string) error {
	id, rest := cutField(args)
	date, reason := cutField(rest)
	if reason == "" {
		return c.usage("extend")
	}
	return c.requestExtension(id, date, reason)
}

// writable loads a task the user may change: a contact only their own
// department's (lead or co-department), coordinators any.
func (c *call) writable(id string) (*store.Task, error) {
	t, err := c.tx.Task(normID(id))
	if err != nil {
		return nil, err
	}
	if !c.mayChange(t) {
		return nil, store.Errorf(store.EFORBIDDEN, "%s", c.Lang.T("not_your_task", t.ID, t.Lead))
	}
	return t, nil
}

func (c *call) mayChange(t *store.Task) bool {
	if rank(c.role) >= rank(store.RoleCoordinator) {
		return true
	}
	if (c.role != store.RoleContact && c.role != store.RoleHead) || c.me == nil {
		return false
	}
	for _, d := range c.me.Departments() {
		if t.InDept(d) {
			return true
		}
	}
	return false
}

// save writes the task with its history entry and answers with the new card.
func (c *call) save(t *store.Task, kind, note, okKey string) error {
	if _, err := c.tx.SaveTask(t, c.actor(), kind, note); err != nil {
		return err
	}
	c.toast = c.Lang.T(okKey)
	if c.r.CallbackID != "" && c.r.MessageID != 0 && !c.onCombined() {
		// A button on a message: show the new state in that message.
		c.out = append(c.out, &store.Message{ChatID: c.r.ChatID, Kind: store.KindEdit, EditID: c.r.MessageID, TaskID: t.Key(),
			Text: c.card(t), Buttons: TaskButtons(c.Lang, t.Key())})
		return nil
	}
	head := c.Lang.T(okKey)
	if c.readAs != "" {
		head += c.readAs
	}
	m := c.reply(head + "\n" + c.card(t))
	m.TaskID = t.Key()
	return nil
}

func markDone(t *store.Task, note string) {
	t.Status, t.Progress = store.StatusDone, 100
	if t.HasTarget() && t.Current < t.Target {
		t.Current = t.Target // an over-fulfilled count stays
	}
	if note != "" {
		t.Latest = note
	}
}
