package bot

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// PeopleText lists everyone who may use the bot: admins (named on the
// command line), coordinators and contacts, with their departments,
// whether the bot can reach them, and when they were last seen. The chat's
// /people and the CLI's `duban people` print it.
func PeopleText(tx *store.Tx, l Lang, admins store.Admins, loc *time.Location) (string, error) {
	all, err := tx.Contacts()
	if err != nil {
		return "", err
	}
	byID := map[int64]*store.Contact{}
	for _, c := range all {
		byID[c.UserID] = c
	}
	ids := make([]int64, 0, len(all)+len(admins))
	for _, c := range all {
		ids = append(ids, c.UserID)
	}
	for _, id := range admins {
		if byID[id] == nil && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	lines := []string{l.T("people_head", len(ids))}
	for _, id := range ids {
		c := byID[id]
		if c == nil {
			lines = append(lines, l.T("people_admin", id))
			continue
		}
		var roles []string
		if admins.Has(id) {
			roles = append(roles, l.T("role_admin"))
		}
		if c.Role == store.RoleCoordinator {
			roles = append(roles, l.T("coordinator_word"))
		}
		if d := c.Departments(); len(d) > 0 && c.IsHead() {
			roles = append(roles, l.T("role_head", strings.Join(d, l.T("list_sep"))))
		} else if len(d) > 0 {
			roles = append(roles, l.T("role_contact", strings.Join(d, l.T("list_sep"))))
		}
		name := c.Name
		if c.Username != "" {
			name += " @" + c.Username
		}
		reach := l.T("people_reachable")
		if c.Unreachable {
			reach = l.T("people_unreachable")
		}
		seen := l.T("people_never")
		if !c.LastSeen.IsZero() {
			seen = c.LastSeen.In(loc).Format("2006-01-02")
		}
		lines = append(lines, l.T("people_line", esc(name), id, esc(strings.Join(roles, l.T("list_sep"))), reach, seen))
	}
	return strings.Join(lines, "\n"), nil
}

// cmdPeople lists the registered people.
func (c *call) cmdPeople(string) error {
	text, err := PeopleText(c.tx, c.Lang, c.Admins, c.loc())
	if err != nil {
		return err
	}
	c.reply(text)
	return nil
}

// cmdRemove takes a departed person's registration away at once (their
// history stays). Only admins remove coordinators.
func (c *call) cmdRemove(args string) error {
	who := strings.TrimSpace(args)
	if first, reason := cutField(who); !userArg(who) && first != "" {
		return c.removeTask(first, reason) // /remove 6.3.2 原因: a task
	}
	if !userArg(who) {
		return c.usage("remove")
	}
	ct, err := c.tx.FindContact(who)
	if err != nil {
		return err
	}
	if ct.Role == store.RoleCoordinator && c.role != store.RoleAdmin {
		return c.denied(store.RoleAdmin)
	}
	if err := c.tx.DeleteContact(ct.UserID); err != nil {
		return err
	}
	if !c.Admins.Has(ct.UserID) {
		c.roles = append(c.roles, roleChange{ct.ChatID, store.RoleStranger})
	}
	c.reply(c.Lang.T("removed", esc(ct.Name), ct.UserID))
	return nil
}

// cmdInvites lists the open invites, or revokes one: /invites revoke ID.
func (c *call) cmdInvites(args string) error {
	f := fields(args)
	if len(f) == 2 && (f[0] == "revoke" || f[0] == "撤销") {
		return c.revokeInvite(f[1])
	}
	if len(f) != 0 {
		return c.usage("invites")
	}
	open, err := c.tx.Invites()
	if err != nil {
		return err
	}
	if len(open) == 0 {
		c.reply(c.Lang.T("invites_none"))
		return nil
	}
	lines := []string{c.Lang.T("invites_head", len(open))}
	var buttons [][]store.Button
	for _, inv := range open {
		who := InviteFor(c.Lang, inv)
		id := store.InviteID(inv)
		lines = append(lines, c.Lang.T("invite_line", id, esc(who), inv.ExpiresAt.In(c.loc()).Format("2006-01-02 15:04")))
		if len(buttons) < 20 {
			buttons = append(buttons, []store.Button{{Text: c.Lang.T("btn_revoke", id), Data: schedule.CallbackData(schedule.ActionRevoke, id)}})
		}
	}
	m := c.reply(strings.Join(lines, "\n"))
	m.Buttons = buttons
	return nil
}

// revokeInvite revokes an invite (the /invites button) and says whose it was.
func (c *call) revokeInvite(id string) error {
	inv, err := c.tx.RevokeInvite(id)
	if err != nil {
		return err
	}
	who := InviteFor(c.Lang, *inv)
	c.toast = c.Lang.T("invite_revoked", id, who)
	c.reply(c.Lang.T("invite_revoked", id, esc(who)))
	return nil
}

// cmdCoordinator makes a registered user a coordinator, or with "off"
// takes it away (admins only). Group IDs and users who never started the
// bot are refused: they get an invite instead.
func (c *call) cmdCoordinator(args string) error {
	f := fields(args)
	if len(f) < 1 || len(f) > 2 || len(f) == 2 && f[1] != "off" && f[1] != "取消" || !userArg(f[0]) {
		return c.usage("coordinator")
	}
	if id, err := strconv.ParseInt(f[0], 10, 64); err == nil && id <= 0 {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("coordinator_group", id))
	}
	ct, err := c.tx.FindContact(f[0])
	if err != nil {
		if store.ErrorCode(err) != store.ENOTFOUND {
			return err
		}
		// Offer an invite instead: the bot cannot message someone who never
		// pressed Start.
		m := c.reply(esc(c.Lang.T("coordinator_unknown", f[0])))
		m.Buttons = [][]store.Button{{{Text: c.Lang.T("btn_invite_coord"), Data: schedule.CallbackData(schedule.ActionInviteCoord, "")}}}
		return nil
	}
	if len(f) == 2 {
		if ct.Role != store.RoleCoordinator {
			return store.Errorf(store.ECONFLICT, "%s", c.Lang.T("coordinator_not", ct.UserID))
		}
		ct.Role = store.RoleContact
		if ct.IsHead() {
			ct.Role = store.RoleHead // a head made coordinator is a head again
		}
		if len(ct.Departments()) == 0 {
			err = c.tx.DeleteContact(ct.UserID)
		} else {
			err = c.tx.PutContact(ct)
		}
		if err != nil {
			return err
		}
		if !c.Admins.Has(ct.UserID) {
			role := ct.Role
			if len(ct.Departments()) == 0 {
				role = store.RoleStranger
			}
			c.roles = append(c.roles, roleChange{ct.ChatID, role})
		}
		c.reply(c.Lang.T("coordinator_off", ct.UserID))
		c.send(ct.ChatID, store.KindNotice, c.Lang.T("you_are_not_coordinator"))
		return nil
	}
	ct.Head = ct.IsHead()
	ct.Role = store.RoleCoordinator
	if err := c.tx.PutContact(ct); err != nil {
		return err
	}
	if !c.Admins.Has(ct.UserID) {
		c.roles = append(c.roles, roleChange{ct.ChatID, store.RoleCoordinator})
	}
	c.reply(c.Lang.T("saved_coordinator", ct.UserID))
	c.send(ct.ChatID, store.KindNotice, c.Lang.T("you_are_coordinator"))
	return nil
}

// userArg reports whether s names a user: a numeric ID or @username.
func userArg(s string) bool {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return true
	}
	return len(s) > 1 && s[0] == '@' && !strings.ContainsAny(s, " \u3000")
}

// InviteFor names whom an invite registers: the department (its contact),
// the department's head, or 督办员.
func InviteFor(l Lang, inv store.Invite) string {
	switch inv.Role {
	case store.RoleCoordinator:
		return l.T("coordinator_word")
	case store.RoleHead:
		return l.T("role_head", inv.Dept)
	}
	return inv.Dept
}
