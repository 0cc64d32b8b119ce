package bot

import (
	"strings"
	"time"
	"unicode"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// command is one chat command: who may use it and what it does.
type command struct {
	role  store.Role // least role needed
	run   func(c *call, args string) error
	usage string // catalogue key of its one-line usage
	menu  string // catalogue key of its menu description ("" = not in the menu)
}

// commands is the chat contract of DESIGN.md §5; commandList fixes its
// order for /help and setMyCommands.
var commands map[string]command

var commandList = []string{"start", "help", "my", "task", "progress", "done", "blocked", "note", "extend",
	"overdue", "due", "stats", "digest", "assign", "deadline", "invite", "close", "reopen", "remind",
	"export", "digestchat", "depts", "coordinator",
	"pending", "return", "target", "history", "people", "remove", "invites", "ledger", "notice", "score",
	"plans", "restore"}

func init() {
	commands = map[string]command{
		"start":       {store.RoleStranger, (*call).cmdStart, "usage_start", "menu_start"},
		"help":        {store.RoleStranger, (*call).cmdHelp, "usage_help", "menu_help"},
		"my":          {store.RoleContact, (*call).cmdMy, "usage_my", "menu_my"},
		"task":        {store.RoleContact, (*call).cmdTask, "usage_task", "menu_task"},
		"progress":    {store.RoleContact, (*call).cmdProgress, "usage_progress", "menu_progress"},
		"done":        {store.RoleContact, (*call).cmdDone, "usage_done", "menu_done"},
		"blocked":     {store.RoleContact, (*call).cmdBlocked, "usage_blocked", "menu_blocked"},
		"note":        {store.RoleContact, (*call).cmdNote, "usage_note", "menu_note"},
		"extend":      {store.RoleContact, (*call).cmdExtend, "usage_extend", "menu_extend"},
		"overdue":     {store.RoleCoordinator, (*call).cmdOverdue, "usage_overdue", "menu_overdue"},
		"due":         {store.RoleCoordinator, (*call).cmdDue, "usage_due", "menu_due"},
		"stats":       {store.RoleCoordinator, (*call).cmdStats, "usage_stats", "menu_stats"},
		"digest":      {store.RoleCoordinator, (*call).cmdDigest, "usage_digest", "menu_digest"},
		"assign":      {store.RoleCoordinator, (*call).cmdAssign, "usage_assign", "menu_assign"},
		"deadline":    {store.RoleCoordinator, (*call).cmdDeadline, "usage_deadline", "menu_deadline"},
		"invite":      {store.RoleCoordinator, (*call).cmdInvite, "usage_invite", "menu_invite"},
		"close":       {store.RoleCoordinator, (*call).cmdClose, "usage_close", "menu_close"},
		"reopen":      {store.RoleCoordinator, (*call).cmdReopen, "usage_reopen", "menu_reopen"},
		"remind":      {store.RoleCoordinator, (*call).cmdRemind, "usage_remind", "menu_remind"},
		"export":      {store.RoleCoordinator, (*call).cmdExport, "usage_export", "menu_export"},
		"digestchat":  {store.RoleCoordinator, (*call).cmdDigestChat, "usage_digestchat", "menu_digestchat"},
		"depts":       {store.RoleCoordinator, (*call).cmdDepts, "usage_depts", "menu_depts"},
		"coordinator": {store.RoleAdmin, (*call).cmdCoordinator, "usage_coordinator", "menu_coordinator"},
		"pending":     {store.RoleCoordinator, (*call).cmdPending, "usage_pending", "menu_pending"},
		"return":      {store.RoleCoordinator, (*call).cmdReturn, "usage_return", "menu_return"},
		"target":      {store.RoleCoordinator, (*call).cmdTarget, "usage_target", "menu_target"},
		"history":     {store.RoleContact, (*call).cmdHistory, "usage_history", "menu_history"},
		"people":      {store.RoleCoordinator, (*call).cmdPeople, "usage_people", "menu_people"},
		"remove":      {store.RoleCoordinator, (*call).cmdRemove, "usage_remove", "menu_remove"},
		"invites":     {store.RoleCoordinator, (*call).cmdInvites, "usage_invites", "menu_invites"},
		"ledger":      {store.RoleCoordinator, (*call).cmdLedger, "usage_ledger", "menu_ledger"},
		"notice":      {store.RoleCoordinator, (*call).cmdNotice, "usage_notice", "menu_notice"},
		"score":       {store.RoleCoordinator, (*call).cmdScore, "usage_score", "menu_score"},
		"plans":       {store.RoleCoordinator, (*call).cmdPlans, "usage_plans", "menu_plans"},
		"restore":     {store.RoleCoordinator, (*call).cmdRestore, "usage_restore", "menu_restore"},
	}
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
	return ok && rank(role) >= rank(cmd.role)
}

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
		_, err := schedule.ChatMoved(c.tx, r.MigrateFrom, r.MigrateTo)
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
		return c.importDocument()
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
	if rank(c.role) < rank(cmd.role) {
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
	for _, name := range commandList {
		if Allowed(role, name) {
			out = append(out, [2]string{name, l.T(commands[name].menu)})
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
	c.tx.PutContact(c.me)
}
