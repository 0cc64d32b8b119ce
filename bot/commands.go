package bot

import (
	"github.com/duban-bureau/duban/schedule/outbox"
	"strings"
	"time"
	"unicode"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// command is one row of the chat's table: a typed command, a button or a
// sent document; who may use it, what it does and how /help, the command
// menu and the metrics name it. Adding a command or a button is one row.
type command struct {
	name   string                // what follows "/" ("" for a button); a document's row is named "document"
	button schedule.ButtonAction // the action of a button's callback data ("" for a command)
	role   store.Role            // least role needed
	run    func(c *call, args string) error
	usage  string // catalogue key of its one-line usage ("" = none)
	menu   string // catalogue key of its menu description ("" = not in the menu nor /help)
	scans  bool   // reads much of the store: App.AfterScan gives the memory back after it
}

// table is the chat contract (README 聊天命令), in the order of /help and
// setMyCommands, then the buttons, then the document upload.
var table []command

// The table's rows by what triggers them.
var (
	commands    map[string]*command                // typed commands by name
	buttons     map[schedule.ButtonAction]*command // buttons by action
	documentRow *command                           // a document sent for import
)

func init() {
	table = []command{
		{name: "start", role: store.RoleStranger, run: (*call).cmdStart, usage: "usage_start", menu: "menu_start"},
		{name: "help", role: store.RoleStranger, run: (*call).cmdHelp, usage: "usage_help", menu: "menu_help"},
		{name: "my", role: store.RoleContact, run: (*call).cmdMy, usage: "usage_my", menu: "menu_my"},
		{name: "task", role: store.RoleContact, run: (*call).cmdTask, usage: "usage_task", menu: "menu_task"},
		{name: "progress", role: store.RoleContact, run: (*call).cmdProgress, usage: "usage_progress", menu: "menu_progress"},
		{name: "done", role: store.RoleContact, run: (*call).cmdDone, usage: "usage_done", menu: "menu_done"},
		{name: "blocked", role: store.RoleContact, run: (*call).cmdBlocked, usage: "usage_blocked", menu: "menu_blocked"},
		{name: "note", role: store.RoleContact, run: (*call).cmdNote, usage: "usage_note", menu: "menu_note"},
		{name: "extend", role: store.RoleContact, run: (*call).cmdExtend, usage: "usage_extend", menu: "menu_extend"},
		{name: "overdue", role: store.RoleCoordinator, run: (*call).cmdOverdue, usage: "usage_overdue", menu: "menu_overdue", scans: true},
		{name: "due", role: store.RoleCoordinator, run: (*call).cmdDue, usage: "usage_due", menu: "menu_due"},
		{name: "stats", role: store.RoleCoordinator, run: (*call).cmdStats, usage: "usage_stats", menu: "menu_stats", scans: true},
		{name: "digest", role: store.RoleCoordinator, run: (*call).cmdDigest, usage: "usage_digest", menu: "menu_digest", scans: true},
		{name: "assign", role: store.RoleCoordinator, run: (*call).cmdAssign, usage: "usage_assign", menu: "menu_assign"},
		{name: "deadline", role: store.RoleCoordinator, run: (*call).cmdDeadline, usage: "usage_deadline", menu: "menu_deadline"},
		{name: "invite", role: store.RoleCoordinator, run: (*call).cmdInvite, usage: "usage_invite", menu: "menu_invite"},
		{name: "close", role: store.RoleCoordinator, run: (*call).cmdClose, usage: "usage_close", menu: "menu_close"},
		{name: "reopen", role: store.RoleCoordinator, run: (*call).cmdReopen, usage: "usage_reopen", menu: "menu_reopen"},
		{name: "remind", role: store.RoleCoordinator, run: (*call).cmdRemind, usage: "usage_remind", menu: "menu_remind"},
		{name: "export", role: store.RoleCoordinator, run: (*call).cmdExport, usage: "usage_export", menu: "menu_export", scans: true},
		{name: "digestchat", role: store.RoleCoordinator, run: (*call).cmdDigestChat, usage: "usage_digestchat", menu: "menu_digestchat"},
		{name: "depts", role: store.RoleCoordinator, run: (*call).cmdDepts, usage: "usage_depts", menu: "menu_depts"},
		{name: "coordinator", role: store.RoleAdmin, run: (*call).cmdCoordinator, usage: "usage_coordinator", menu: "menu_coordinator"},
		{name: "pending", role: store.RoleCoordinator, run: (*call).cmdPending, usage: "usage_pending", menu: "menu_pending"},
		{name: "return", role: store.RoleCoordinator, run: (*call).cmdReturn, usage: "usage_return", menu: "menu_return"},
		{name: "target", role: store.RoleCoordinator, run: (*call).cmdTarget, usage: "usage_target", menu: "menu_target"},
		{name: "history", role: store.RoleContact, run: (*call).cmdHistory, usage: "usage_history", menu: "menu_history"},
		{name: "people", role: store.RoleCoordinator, run: (*call).cmdPeople, usage: "usage_people", menu: "menu_people"},
		{name: "remove", role: store.RoleCoordinator, run: (*call).cmdRemove, usage: "usage_remove", menu: "menu_remove"},
		{name: "invites", role: store.RoleCoordinator, run: (*call).cmdInvites, usage: "usage_invites", menu: "menu_invites"},
		{name: "ledger", role: store.RoleCoordinator, run: (*call).cmdLedger, usage: "usage_ledger", menu: "menu_ledger"},
		{name: "notice", role: store.RoleCoordinator, run: (*call).cmdNotice, usage: "usage_notice", menu: "menu_notice"},
		{name: "score", role: store.RoleCoordinator, run: (*call).cmdScore, usage: "usage_score", menu: "menu_score"},
		{name: "plans", role: store.RoleCoordinator, run: (*call).cmdPlans, usage: "usage_plans", menu: "menu_plans"},
		{name: "restore", role: store.RoleCoordinator, run: (*call).cmdRestore, usage: "usage_restore", menu: "menu_restore"},

		// Buttons (schedule.ButtonActions): the argument is what follows
		// the action in the callback data.
		{button: schedule.ActionDone, role: store.RoleContact, run: (*call).pressDone},
		{button: schedule.ActionProgress, role: store.RoleContact, run: (*call).pressProgress},
		{button: schedule.ActionExtend, role: store.RoleContact, run: (*call).pressExtend},
		{button: schedule.ActionBlocked, role: store.RoleContact, run: (*call).pressBlocked},
		{button: schedule.ActionAck, role: store.RoleContact, run: (*call).ack},
		{button: schedule.ActionLeave, role: store.RoleContact, run: (*call).leaveDept},
		{button: schedule.ActionApprove, role: store.RoleCoordinator, run: (*call).pressApprove},
		{button: schedule.ActionReject, role: store.RoleCoordinator, run: (*call).pressReject},
		{button: schedule.ActionImport, role: store.RoleCoordinator, run: (*call).pressImport},
		{button: schedule.ActionDiscard, role: store.RoleCoordinator, run: (*call).pressDiscard},
		{button: schedule.ActionImportForce, role: store.RoleCoordinator, run: (*call).pressImportForce},
		{button: schedule.ActionImportExample, role: store.RoleCoordinator, run: (*call).pressImportExample},
		{button: schedule.ActionImportCarry, role: store.RoleCoordinator, run: (*call).pressImportCarry},
		{button: schedule.ActionRevoke, role: store.RoleCoordinator, run: (*call).pressRevoke},
		{button: schedule.ActionSignOff, role: store.RoleCoordinator, run: onPressedTask((*call).pressSignOff)},
		{button: schedule.ActionReturn, role: store.RoleCoordinator, run: onPressedTask((*call).pressReturn)},
		{button: schedule.ActionCloseYes, role: store.RoleCoordinator, run: onPressedTask((*call).pressCloseYes)},
		{button: schedule.ActionCloseNo, role: store.RoleCoordinator, run: onPressedTask((*call).pressCloseNo)},
		{button: schedule.ActionAnswer, role: store.RoleCoordinator, run: onPressedTask((*call).pressAnswer)},
		{button: schedule.ActionInviteCoord, role: store.RoleAdmin, run: (*call).pressInviteCoord},

		// A .xlsx/.csv list or a plan document sent in a private chat.
		{name: "document", role: store.RoleCoordinator, run: (*call).importDocument},
	}
	commands = map[string]*command{}
	buttons = map[schedule.ButtonAction]*command{}
	for i := range table {
		row := &table[i]
		switch {
		case row.button != "":
			buttons[row.button] = row
		case row.name == "document":
			documentRow = row
		default:
			commands[row.name] = row
		}
	}
}

// label names a row in the log and the metrics.
func (row *command) label() string {
	if row.button != "" {
		return "button:" + string(row.button)
	}
	return row.name
}

// rank orders roles so "at least coordinator" is a comparison.
func rank(r store.Role) int {
	switch r {
	case store.RoleContact, store.RoleHead:
		return 1
	case store.RoleCoordinator:
		return 2
	case store.RoleAdmin:
		return 3
	}
	return 0
}

// Allowed reports whether role may run the named command.
func Allowed(role store.Role, name string) bool {
	cmd, ok := commands[name]
	return ok && cmd.allows(role)
}

// allows reports whether role may use the row.
func (row *command) allows(role store.Role) bool { return rank(role) >= rank(row.role) }

// dispatch routes the request: membership changes, buttons, documents,
// commands, then plain replies to the bot's own messages.
func (c *call) dispatch() error {
	r := c.r
	c.touch()
	switch {
	case r.MemberStatus != "":
		return c.memberChanged()
	case r.MigrateTo != 0:
		c.enqueued++ // messages moved to the supergroup
		_, err := outbox.ChatMoved(c.tx, r.MigrateFrom, r.MigrateTo)
		return err
	case r.CallbackData != "":
		if err := c.button(); err != nil {
			return err
		}
		c.queueNotices()
		return nil
	case r.DocumentID != "":
		if c.r.Group {
			return nil
		}
		if !documentRow.allows(c.role) {
			return c.denied(documentRow.role)
		}
		return documentRow.run(c, "")
	}
	name, args, ok := Command(r.Text, c.BotName)
	if !ok {
		if r.Group && !r.ReplyToMe {
			return nil // in a group, only commands and replies to the bot
		}
		if err := c.plainText(); err != nil {
			return err
		}
		c.queueNotices()
		return nil
	}
	cmd, known := commands[name]
	if !known {
		if r.Group {
			return nil // another bot's command
		}
		c.reply(c.Lang.T("unknown_command", esc(name)))
		return nil
	}
	if !cmd.allows(c.role) {
		return c.denied(cmd.role)
	}
	c.clearPrompt()
	if err := cmd.run(c, args); err != nil {
		return err
	}
	c.queueNotices()
	return nil
}

// denied refuses with the role the command needs; strangers learn nothing
// about tasks.
func (c *call) denied(need store.Role) error {
	return store.Errorf(store.EFORBIDDEN, "%s", c.Lang.T("need_"+string(need)))
}

// usage is the one-line answer to malformed input: nothing changes.
func (c *call) usage(name string) error {
	return store.Errorf(store.EINVALID, "%s", c.Lang.T("usage")+c.Lang.T(commands[name].usage))
}

// fields splits command arguments on spaces (full-width too).
func fields(s string) []string {
	return strings.Fields(strings.ReplaceAll(s, "\u3000", " "))
}

// cutField splits off the first argument at any space (the full-width
// U+3000 that Chinese input methods type too) and returns the rest trimmed,
// its inner spacing kept: "4.1.3　设备 延迟" → "4.1.3", "设备 延迟".
func cutField(s string) (first, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// Menu lists (command, description) pairs a role may use, for setMyCommands.
func Menu(role store.Role, l Lang) [][2]string {
	var out [][2]string
	for _, row := range menuRows(role) {
		out = append(out, [2]string{row.name, l.T(row.menu)})
	}
	return out
}

// menuRows are the typed commands of the menu and /help that role may
// use, in the table's order.
func menuRows(role store.Role) []*command {
	var out []*command
	for i := range table {
		if row := &table[i]; row.menu != "" && row.button == "" && row.allows(role) {
			out = append(out, row)
		}
	}
	return out
}

// touch records when a registered person was last seen (at most hourly, so
// most requests write nothing more) and the name Telegram shows now.
func (c *call) touch() {
	if c.me == nil || c.r.MemberStatus != "" {
		return
	}
	renamed := c.r.Name != "" && (c.r.Name != c.me.Name || c.r.Username != c.me.Username)
	if !renamed && c.now.Sub(c.me.LastSeen) < time.Hour {
		return
	}
	if renamed {
		c.me.Name, c.me.Username = c.r.Name, c.r.Username // /people and /remove @name follow Telegram
	}
	c.me.LastSeen = c.now
	c.keep("record last seen", c.tx.PutContact(c.me))
}
