package bot

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// listLimit bounds a list in chat: past it the reply gives the count and
// the most urgent tasks (an export has the rest).
const listLimit = 100

// cmdOverdue lists overdue tasks, oldest deadline first, optionally of one
// department.
func (c *call) cmdOverdue(args string) error {
	dept := strings.TrimSpace(args)
	on := store.DateOf(c.now)
	var tasks []*store.Task
	var total int
	var err error
	if dept != "" {
		if !c.tx.HasDepartment(dept) {
			return store.Errorf(store.ENOTFOUND, "%s", c.Lang.T("unknown_dept", dept))
		}
		all, err := c.tx.TasksByDept(dept, true)
		if err != nil {
			return err
		}
		for _, t := range all {
			if t.Overdue(on) {
				tasks = append(tasks, t)
			}
		}
		byDeadline(tasks)
		total = len(tasks)
		if len(tasks) > listLimit {
			tasks = tasks[:listLimit]
		}
	} else if tasks, total, err = c.tx.OpenTasksDuePage(1, on.AddDays(-1), listLimit); err != nil {
		return err
	}
	byDeadline(tasks)
	c.listPage(c.Lang.T("overdue_head", total), tasks, total)
	return nil
}

// cmdDue lists open tasks due in the next N days (default 14).
func (c *call) cmdDue(args string) error {
	days := 14
	if s := strings.TrimSpace(args); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 366 {
			return c.usage("due")
		}
		days = n
	}
	on := store.DateOf(c.now)
	tasks, total, err := c.tx.OpenTasksDuePage(on, on.AddDays(days), listLimit)
	if err != nil {
		return err
	}
	byDeadline(tasks)
	c.listPage(c.Lang.T("due_head", days, total), tasks, total)
	return nil
}

// listPage is list with a note when only the first tasks are shown.
func (c *call) listPage(head string, tasks []*store.Task, total int) {
	c.list(head, tasks, true)
	if total > len(tasks) {
		c.out[len(c.out)-1].Text += "\n" + c.Lang.T("list_more", len(tasks), total-len(tasks))
	}
}

// cmdAssign sets the lead and co-departments of a task, confirming a
// suggested owner.
func (c *call) cmdAssign(args string) error {
	f := fields(args)
	if len(f) != 2 {
		return c.usage("assign")
	}
	t, err := c.tx.Task(f[0])
	if err != nil {
		return err
	}
	depts := splitDepts(f[1])
	for _, d := range depts {
		if !c.tx.HasDepartment(d) {
			return store.Errorf(store.ENOTFOUND, "%s", c.Lang.T("unknown_dept", d))
		}
	}
	t.Lead, t.CoDepts, t.LeadSuggested = depts[0], depts[1:], false
	return c.save(t, "assign", "", "saved_assign")
}

// splitDepts reads "大气处、水处,海洋处" into names.
func splitDepts(s string) []string {
	var out []string
	for _, d := range strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' }) {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// cmdDeadline sets a task's deadline (any 完成时限 form).
func (c *call) cmdDeadline(args string) error {
	f := fields(args)
	if len(f) != 2 {
		return c.usage("deadline")
	}
	t, err := c.tx.Task(f[0])
	if err != nil {
		return err
	}
	d, cad, err := store.ParseDeadline(f[1], c.now.Year())
	if err != nil {
		return c.usage("deadline")
	}
	t.Deadline, t.Cadence = d, cad
	return c.save(t, "deadline", "", "saved_deadline")
}

// cmdClose confirms a completion (销号).
func (c *call) cmdClose(args string) error {
	f := fields(args)
	if len(f) != 1 {
		return c.usage("close")
	}
	t, err := c.tx.Task(f[0])
	if err != nil {
		return err
	}
	t.Status = store.StatusClosed
	return c.save(t, "close", "", "saved_close")
}

// cmdReopen takes a done or closed task back to in progress.
func (c *call) cmdReopen(args string) error {
	f := fields(args)
	if len(f) != 1 {
		return c.usage("reopen")
	}
	t, err := c.tx.Task(f[0])
	if err != nil {
		return err
	}
	if t.Open() {
		return store.Errorf(store.ECONFLICT, "%s", c.Lang.T("not_finished", t.ID))
	}
	t.Status = store.StatusInProgress
	if t.Progress >= 100 {
		t.Progress = 99
	}
	return c.save(t, "reopen", "", "saved_reopen")
}

// cmdInvite makes a single-use deep link that registers its user as a
// contact of dept (or as a coordinator, for admins: /invite 督办员).
func (c *call) cmdInvite(args string) error {
	dept := strings.TrimSpace(args)
	if dept == "" {
		return c.usage("invite")
	}
	role := store.RoleContact
	if name, kind := cutLastField(dept); name != "" && isHeadWord(kind) {
		role, dept = store.RoleHead, name // /invite 部门 head: the department's head
	}
	if role == store.RoleHead {
		if !c.tx.HasDepartment(dept) {
			return store.Errorf(store.ENOTFOUND, "%s", c.Lang.T("unknown_dept", dept))
		}
	} else if dept == c.Lang.T("coordinator_word") || dept == "coordinator" {
		if c.role != store.RoleAdmin {
			return c.denied(store.RoleAdmin)
		}
		role, dept = store.RoleCoordinator, ""
	} else if !c.tx.HasDepartment(dept) {
		return store.Errorf(store.ENOTFOUND, "%s", c.Lang.T("unknown_dept", dept))
	}
	token, err := NewToken()
	if err != nil {
		return err
	}
	exp := c.now.Add(7 * 24 * time.Hour)
	if err := c.tx.PutInvite(token, store.Invite{Dept: dept, Role: role, CreatedBy: c.r.UserID, ExpiresAt: exp}); err != nil {
		return err
	}
	who := dept
	if role == store.RoleCoordinator {
		who = c.Lang.T("coordinator_word")
	}
	if role == store.RoleHead {
		who = dept + " " + c.Lang.T("head_word")
	}
	c.reply(c.Lang.T("invite_made", esc(who), esc(InviteLink(c.BotName, token)), exp.Format("2006-01-02 15:04")))
	return nil
}

// NewToken returns 128 random bits, URL-safe (Telegram start parameters
// allow A-Z a-z 0-9 _ -).
func NewToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// InviteLink is the deep link that opens the bot with /start TOKEN.
func InviteLink(botName, token string) string {
	if botName == "" {
		return "/start " + token
	}
	return "https://t.me/" + botName + "?start=" + token
}

// cmdDigestChat makes the current group the coordinators' chat for digests
// and escalations.
func (c *call) cmdDigestChat(args string) error {
	if !c.r.Group {
		if strings.TrimSpace(args) == "off" {
			if err := c.tx.SetSetting("digest_chat", ""); err != nil {
				return err
			}
			c.reply(c.Lang.T("digestchat_off"))
			return nil
		}
		c.reply(c.Lang.T("digestchat_group_only"))
		return nil
	}
	if err := c.tx.SetSetting("digest_chat", strconv.FormatInt(c.r.ChatID, 10)); err != nil {
		return err
	}
	c.reply(c.Lang.T("digestchat_set"))
	return nil
}

// cmdDepts lists departments, or adds, renames or removes one.
func (c *call) cmdDepts(args string) error {
	f := fields(args)
	if len(f) == 0 {
		var lines []string
		for _, d := range c.tx.DepartmentNames() {
			contacts, _ := c.tx.ContactsByDept(d)
			lines = append(lines, c.Lang.T("dept_line", esc(d), c.tx.DeptTaskCount(d), len(contacts)))
		}
		c.reply(c.Lang.T("depts_head", len(lines)) + "\n" + strings.Join(lines, "\n"))
		return nil
	}
	var err error
	switch {
	case f[0] == "add" && len(f) == 2:
		err = c.tx.AddDepartment(f[1])
	case f[0] == "rename" && len(f) == 3:
		err = c.tx.RenameDepartment(f[1], f[2], c.actor())
	case f[0] == "remove" && len(f) == 2:
		err = c.tx.RemoveDepartment(f[1])
	default:
		return c.usage("depts")
	}
	if err != nil {
		return err
	}
	c.reply(c.Lang.T("saved_depts"))
	return nil
}

// cmdCoordinator makes a registered user a coordinator (admins only).
func (c *call) cmdCoordinator(args string) error {
	id, err := strconv.ParseInt(strings.TrimSpace(args), 10, 64)
	if err != nil || id == 0 {
		return c.usage("coordinator")
	}
	ct, err := c.tx.Contact(id)
	if err != nil {
		ct = &store.Contact{UserID: id, ChatID: id}
	}
	ct.Role = store.RoleCoordinator
	if err := c.tx.PutContact(ct); err != nil {
		return err
	}
	if !c.Admins[id] {
		c.roles = append(c.roles, roleChange{ct.ChatID, store.RoleCoordinator})
	}
	c.reply(c.Lang.T("saved_coordinator", id))
	c.send(ct.ChatID, "notice", c.Lang.T("you_are_coordinator"))
	return nil
}
