package bot

import (
	"math"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// cmdStart greets, and with an invite token registers the user.
func (c *call) cmdStart(args string) error {
	if token := strings.TrimSpace(args); token != "" {
		inv, err := c.tx.UseInvite(token, c.r.UserID)
		if err != nil {
			return err
		}
		ct := c.me
		if ct == nil {
			ct = &store.Contact{UserID: c.r.UserID, ChatID: c.r.UserID} // a private chat's ID is the user's
		}
		ct.Name, ct.Username, ct.Dept = c.r.Name, c.r.Username, inv.Dept
		if !c.r.Group {
			ct.ChatID = c.r.ChatID
		}
		if rank(inv.Role) > rank(ct.Role) || (inv.Role == store.RoleHead && ct.Role == store.RoleContact) {
			ct.Role = inv.Role
		}
		ct.Unreachable = false
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
		c.reply(c.Lang.T("registered", esc(inv.Dept)))
		return nil
	}
	if c.role == store.RoleStranger {
		c.reply(c.Lang.T("welcome_stranger", c.r.UserID))
		return nil
	}
	return c.cmdHelp("")
}

// cmdHelp lists the commands the user's role may run.
func (c *call) cmdHelp(string) error {
	var b strings.Builder
	b.WriteString(c.Lang.T("help_head"))
	for _, name := range commandList {
		if Allowed(c.role, name) {
			b.WriteString("\n" + esc(c.Lang.T(commands[name].usage)) + " — " + c.Lang.T(commands[name].menu))
		}
	}
	if rank(c.role) >= rank(store.RoleContact) {
		b.WriteString("\n\n" + c.Lang.T("help_reply"))
	}
	c.reply(b.String())
	return nil
}

// cmdMy lists the open tasks of the user's department, by deadline.
func (c *call) cmdMy(string) error {
	if c.me == nil || c.me.Dept == "" {
		c.reply(c.Lang.T("no_dept"))
		return nil
	}
	open, total, err := c.tx.DeptOpenPage(c.me.Dept, listLimit)
	if err != nil {
		return err
	}
	byDeadline(open)
	c.list(c.Lang.T("my_head", esc(c.me.Dept), total), open, false)
	if total > len(open) {
		c.out[len(c.out)-1].Text += "\n" + c.Lang.T("list_more", len(open), total-len(open))
	}
	return nil
}

// cmdTask shows one task with its recent history.
func (c *call) cmdTask(args string) error {
	f := fields(args)
	if len(f) != 1 {
		return c.usage("task")
	}
	t, err := c.tx.Task(f[0])
	if err != nil {
		return err
	}
	text := c.card(t)
	if h, err := c.tx.History(t.ID); err == nil && len(h) > 0 {
		text += "\n\n" + c.Lang.T("history_head")
		if len(h) > 5 {
			h = h[len(h)-5:]
		}
		for _, u := range h {
			text += "\n" + esc(historyLine(c.Lang, u, c.Loc))
		}
	}
	m := c.reply(text)
	m.TaskID = t.ID
	if c.mayChange(t) {
		m.Buttons = TaskButtons(c.Lang, t.ID)
	}
	return nil
}

// cmdProgress records progress as a percent or a count against the target.
func (c *call) cmdProgress(args string) error {
	f := fields(args)
	if len(f) != 2 {
		return c.usage("progress")
	}
	t, err := c.writable(f[0])
	if err != nil {
		return err
	}
	if err := setProgress(t, f[1]); err != nil {
		return c.usage("progress")
	}
	return c.save(t, "progress", "", "saved_progress")
}

// cmdDone marks a task done (the department's claim; 销号 is a coordinator's).
func (c *call) cmdDone(args string) error {
	id, note := cutField(args)
	if id == "" {
		return c.usage("done")
	}
	t, err := c.writable(id)
	if err != nil {
		return err
	}
	markDone(t, note)
	return c.save(t, "done", note, "saved_done")
}

// cmdBlocked marks a task blocked with a reason.
func (c *call) cmdBlocked(args string) error {
	id, reason := cutField(args)
	if id == "" || reason == "" {
		return c.usage("blocked")
	}
	t, err := c.writable(id)
	if err != nil {
		return err
	}
	t.Status, t.Latest = store.StatusBlocked, reason
	return c.save(t, "blocked", reason, "saved_blocked")
}

// cmdNote adds a progress note without changing the status.
func (c *call) cmdNote(args string) error {
	id, text := cutField(args)
	if id == "" || text == "" {
		return c.usage("note")
	}
	t, err := c.writable(id)
	if err != nil {
		return err
	}
	t.Latest = text
	if t.Status == store.StatusNotStarted {
		t.Status = store.StatusInProgress
	}
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

func (c *call) requestExtension(id, date, reason string) error {
	t, err := c.writable(id)
	if err != nil {
		return err
	}
	d, _, err := store.ParseDeadline(date, c.now.Year())
	if err != nil || d.IsZero() || reason == "" {
		return c.usage("extend")
	}
	e := &store.Extension{TaskID: t.ID, NewDate: d, Reason: reason, By: c.actor(), At: c.now}
	if err := c.tx.PutExtension(e); err != nil {
		return err
	}
	if err := c.tx.AppendHistory(&store.Update{TaskID: t.ID, By: c.actor(), Kind: "extend_request",
		Note: c.Lang.T("extend_note", t.Deadline.String(), d.String(), reason)}); err != nil {
		return err
	}
	id64 := strconv.FormatUint(e.ID, 10)
	text := c.Lang.T("extend_ask", esc(c.r.Name), esc(t.ID), esc(t.Text), t.Deadline.String(), d.String(), esc(reason))
	for _, chat := range c.coordinatorChats() {
		m := c.send(chat, "extension", text)
		m.TaskID = t.ID
		m.Buttons = [][]store.Button{{{Text: c.Lang.T("btn_approve"), Data: cbApprove + ":" + id64}, {Text: c.Lang.T("btn_reject"), Data: cbReject + ":" + id64}}}
	}
	c.reply(c.Lang.T("extend_sent", esc(t.ID), d.String()))
	c.toast = c.Lang.T("extend_sent_short")
	return nil
}

// writable loads a task the user may change: a contact only their own
// department's (lead or co-department), coordinators any.
func (c *call) writable(id string) (*store.Task, error) {
	t, err := c.tx.Task(id)
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
	return (c.role == store.RoleContact || c.role == store.RoleHead) && c.me != nil && c.me.Dept != "" && t.InDept(c.me.Dept)
}

// save writes the task with its history entry and answers with the new card.
func (c *call) save(t *store.Task, kind, note, okKey string) error {
	if _, err := c.tx.SaveTask(t, c.actor(), kind, note); err != nil {
		return err
	}
	c.toast = c.Lang.T(okKey)
	if c.r.CallbackID != "" && c.r.MessageID != 0 && !c.onCombined() {
		// A button on a message: show the new state in that message.
		c.out = append(c.out, &store.Message{ChatID: c.r.ChatID, Kind: "edit", EditID: c.r.MessageID, TaskID: t.ID,
			Text: c.card(t), Buttons: TaskButtons(c.Lang, t.ID)})
		return nil
	}
	m := c.reply(c.Lang.T(okKey) + "\n" + c.card(t))
	m.TaskID = t.ID
	return nil
}

// setProgress reads "60%", "40/85" or "40" (a count against the target, or
// a percent when the task has none) into t.
func setProgress(t *store.Task, s string) error {
	s = strings.NewReplacer("％", "%", "／", "/").Replace(strings.TrimSpace(s))
	var pct float64
	switch {
	case strings.HasSuffix(s, "%"):
		v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		if err != nil || v < 0 || v > 100 {
			return store.Errorf(store.EINVALID, "bad percent")
		}
		pct = v
		if t.HasTarget() {
			t.Current = math.Round(t.Target*v) / 100
		}
	case strings.Contains(s, "/"):
		a, b, _ := strings.Cut(s, "/")
		cur, err1 := strconv.ParseFloat(a, 64)
		tgt, err2 := strconv.ParseFloat(b, 64)
		if err1 != nil || err2 != nil || tgt <= 0 || cur < 0 || cur > tgt {
			return store.Errorf(store.EINVALID, "bad count")
		}
		t.Current, t.Target = cur, tgt
		pct = 100 * cur / tgt
	default:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 {
			return store.Errorf(store.EINVALID, "bad number")
		}
		if t.HasTarget() {
			if v > t.Target {
				return store.Errorf(store.EINVALID, "over target")
			}
			t.Current, pct = v, 100*v/t.Target
		} else {
			if v > 100 {
				return store.Errorf(store.EINVALID, "bad percent")
			}
			pct = v
		}
	}
	t.Progress = int(math.Floor(pct))
	if t.Status == store.StatusNotStarted || t.Status == store.StatusBlocked {
		t.Status = store.StatusInProgress
	}
	return nil
}

func markDone(t *store.Task, note string) {
	t.Status, t.Progress = store.StatusDone, 100
	if t.HasTarget() {
		t.Current = t.Target
	}
	if note != "" {
		t.Latest = note
	}
}

// isDoneWord reports whether a plain reply means "done".
func isDoneWord(s string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(s), "。.!！")) {
	case "完成", "已完成", "done", "办结", "已办结":
		return true
	}
	return false
}

// plainText reads a reply to one of the bot's messages about a task: a
// percent, a count, "完成"/"done", or else a note.
func (c *call) plainText() error {
	if c.r.ReplyToID == 0 {
		if c.role == store.RoleStranger {
			c.reply(c.Lang.T("welcome_stranger", c.r.UserID))
			return nil
		}
		c.reply(c.Lang.T("plain_hint"))
		return nil
	}
	id, kind := c.tx.MessageLink(c.r.ChatID, c.r.ReplyToID)
	if id == "" {
		if c.role == store.RoleStranger {
			return nil
		}
		c.reply(c.Lang.T("plain_hint"))
		return nil
	}
	if c.role == store.RoleStranger {
		return c.denied(store.RoleContact)
	}
	text := strings.TrimSpace(c.r.Text)
	if text == "" {
		return nil
	}
	if kind == schedule.KindDaily || kind == schedule.KindHead || kind == schedule.KindLadder {
		var ok bool
		if id, text, ok = c.dailyTask(id, text); !ok {
			return nil
		}
	}
	switch kind {
	case kindPromptExtend:
		date, reason := cutField(text)
		return c.requestExtension(id, date, reason)
	case kindPromptBlocked:
		t, err := c.writable(id)
		if err != nil {
			return err
		}
		t.Status, t.Latest = store.StatusBlocked, text
		return c.save(t, "blocked", text, "saved_blocked")
	}
	t, err := c.writable(id)
	if err != nil {
		return err
	}
	switch {
	case isDoneWord(text):
		markDone(t, "")
		return c.save(t, "done", "", "saved_done")
	case looksLikeProgress(text):
		if err := setProgress(t, text); err != nil {
			return c.usage("progress")
		}
		return c.save(t, "progress", "", "saved_progress")
	}
	t.Latest = text
	if t.Status == store.StatusNotStarted {
		t.Status = store.StatusInProgress
	}
	return c.save(t, "note", text, "saved_note")
}

// looksLikeProgress is true for "60%", "40/85" and bare numbers.
func looksLikeProgress(s string) bool {
	s = strings.NewReplacer("％", "%", "／", "/").Replace(s)
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == '%' || r == '/') {
			return false
		}
	}
	return true
}
