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
	c.list(head, tasks)
	if total > len(tasks) {
		c.out[len(c.out)-1].Text += "\n" + c.Lang.T("list_more", len(tasks), total-len(tasks))
	}
}

// cmdAssign sets the lead and co-departments of a task, confirming a
// suggested owner. The departments hear of it.
func (c *call) cmdAssign(args string) error {
	f := fields(args)
	if len(f) != 2 {
		return c.usage("assign")
	}
	depts := splitDepts(f[1])
	for _, d := range depts {
		if !c.tx.HasDepartment(d) {
			return store.Errorf(store.ENOTFOUND, "%s", c.Lang.T("unknown_dept", d))
		}
	}
	return c.changeTasks(f[0], store.ActAssign, func(t *store.Task) string {
		t.Lead, t.CoDepts, t.LeadSuggested = depts[0], depts[1:], false
		return c.Lang.T("notice_assign", esc(t.ID), esc(shortText(t.Text)), esc(t.Lead), DeadlinePhrase(c.Lang, t, store.DateOf(c.now)))
	})
}

// eachTask runs do on every task ids names, once the lifecycle allows
// action on all of them (tasksFor), so a bad ID among several changes
// nothing.
func (c *call) eachTask(ids string, action store.Action, do func(t *store.Task) error) error {
	tasks, err := c.tasksFor(ids, action)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if err := do(t); err != nil {
			return err
		}
	}
	return nil
}

// changeTasks is a coordinator's change of every task ids names: the
// move, the change (change returns the line the departments hear), the
// history entry and the new card. The history kind is the action's name.
func (c *call) changeTasks(ids string, action store.Action, change func(t *store.Task) (notice string)) error {
	return c.eachTask(ids, action, func(t *store.Task) error {
		if _, err := c.transition(t, action); err != nil {
			return err
		}
		notice := change(t)
		if err := c.save(t, string(action), "", "saved_"+string(action)); err != nil {
			return err
		}
		c.tellDept(t, notice)
		return nil
	})
}

// tasksFor loads every task a command names and checks the lifecycle
// allows action on each before anything changes, so a bad ID among several
// changes nothing.
func (c *call) tasksFor(ids string, action store.Action) ([]*store.Task, error) {
	var out []*store.Task
	for _, id := range taskIDs(ids) {
		t, err := c.tx.Task(id)
		if err != nil {
			return nil, err
		}
		if m := store.Transition(t.Status, action, c.tableRole()); m.Refuse != "" {
			return nil, c.refusal(t, m.Refuse)
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, store.Errorf(store.EINVALID, "%s", c.Lang.T("usage")+c.Lang.T("usage_"+string(action)))
	}
	return out, nil
}

// taskIDs reads "4.1.3" or "4.1.3,4.1.4、4.1.5" (a coordinator changing
// several tasks at once).
func taskIDs(s string) []string {
	var out []string
	for _, id := range splitDepts(s) {
		out = append(out, normID(id))
	}
	return out
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

// cmdDeadline sets the deadline (any 完成时限 form) of one or more tasks;
// their departments hear of it.
func (c *call) cmdDeadline(args string) error {
	f := fields(args)
	if len(f) != 2 {
		return c.usage("deadline")
	}
	d, cad, err := store.ParseDeadline(f[1], c.planYear())
	if err != nil {
		return c.usage("deadline")
	}
	return c.changeTasks(f[0], store.ActDeadline, func(t *store.Task) string {
		t.Deadline, t.Cadence = d, cad
		return c.Lang.T("notice_deadline", esc(t.ID), esc(shortText(t.Text)), DeadlinePhrase(c.Lang, t, store.DateOf(c.now)))
	})
}

// cmdClose confirms a completion (销号). A task never reported done asks
// first (a button, or /close ID 确认).
func (c *call) cmdClose(args string) error {
	f := fields(args)
	if len(f) < 1 || len(f) > 2 {
		return c.usage("close")
	}
	confirmed := len(f) == 2 && (f[1] == "确认" || strings.EqualFold(f[1], "confirm"))
	if len(f) == 2 && !confirmed {
		return c.usage("close")
	}
	return c.eachTask(f[0], store.ActClose, func(t *store.Task) error { return c.closeTask(t, confirmed) })
}

// cmdReopen takes a done or closed task back to in progress; the
// department's last report stays on the card.
func (c *call) cmdReopen(args string) error {
	f := fields(args)
	if len(f) != 1 {
		return c.usage("reopen")
	}
	return c.changeTasks(f[0], store.ActReopen, func(t *store.Task) string {
		if t.Progress >= 100 {
			t.Progress = 99
		}
		return c.Lang.T("notice_reopen", esc(t.ID), esc(shortText(t.Text)))
	})
}

// cmdReturn sends a done claim back (退回重办) with a reason.
func (c *call) cmdReturn(args string) error {
	id, reason := cutField(args)
	if id == "" || reason == "" {
		return c.usage("return")
	}
	return c.returnTask(normID(id), reason)
}

// cmdTarget sets a task's official target (only coordinators may): the
// count reported so far stays, the percent follows.
func (c *call) cmdTarget(args string) error {
	t, f, err := c.taskArgs("target", args, 2, 3)
	if err != nil {
		return err
	}
	num := widthFold(f[1])
	unit := t.Unit
	if i := strings.IndexFunc(num, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.') }); i > 0 {
		num, unit = num[:i], num[i:]
	}
	if len(f) == 3 {
		unit = f[2]
	}
	v, err := parseNumber(num)
	if err != nil || v <= 0 {
		return c.usage("target")
	}
	if _, err := c.transition(t, store.ActTarget); err != nil {
		return err
	}
	t.Target, t.Unit = v, unit
	t.Progress = int(min(100, 100*t.Current/v))
	return c.save(t, "target", "", "saved_target")
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
			if err := c.tx.SetDigestChat(0); err != nil {
				return err
			}
			c.reply(c.Lang.T("digestchat_off"))
			return nil
		}
		c.reply(c.Lang.T("digestchat_group_only"))
		return nil
	}
	if err := c.tx.SetDigestChat(c.r.ChatID); err != nil {
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
			contacts, err := c.tx.ContactsByDept(d)
			if err != nil {
				return err
			}
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
