package main

import (
	"context"
	"fmt"
	"html"
	"strconv"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/store"
)

// runPeople lists or manages the registered people from the server: the
// chat's /people, /remove, /coordinator and /invites for an admin at the
// console (the database must not be held open by serve).
func runPeople(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "people", "[remove 用户 | coordinator 用户 [off] | invites [revoke 编号]]",
		"列出登记人员（角色、单位、能否送达、最近使用），或取消登记、设置或取消督办员、列出和撤销邀请。用户为ID或@用户名。")
	pos, err := c.parse(fs, args, -1, "")
	if err != nil {
		return err
	}
	return c.withDB(readWrite, func(db *store.DB) error {
		l := bot.Lang(c.Lang)
		say := func(s string) { fmt.Fprintln(env.Stdout, html.UnescapeString(tags.ReplaceAllString(s, ""))) }
		find := func(tx *store.Tx, who string) (*store.Contact, error) {
			if id, err := strconv.ParseInt(who, 10, 64); err == nil && id <= 0 {
				return nil, fmt.Errorf("%s", l.T("coordinator_group", id))
			}
			ct, err := tx.FindContact(who)
			if store.ErrorCode(err) == store.ENOTFOUND {
				return nil, fmt.Errorf("%s", l.T("coordinator_unknown", who))
			}
			return ct, err
		}
		switch {
		case len(pos) == 0:
			return db.View(func(tx *store.Tx) error {
				text, err := bot.PeopleText(tx, l, nil, c.loc)
				say(text)
				return err
			})
		case pos[0] == "remove" && len(pos) == 2:
			return db.Update(func(tx *store.Tx) error {
				ct, err := find(tx, pos[1])
				if err != nil {
					return err
				}
				if err := tx.DeleteContact(ct.UserID); err != nil {
					return err
				}
				say(l.T("removed", ct.Name, ct.UserID))
				return nil
			})
		case pos[0] == "coordinator" && (len(pos) == 2 || len(pos) == 3 && pos[2] == "off"):
			return db.Update(func(tx *store.Tx) error {
				ct, err := find(tx, pos[1])
				if err != nil {
					return err
				}
				if len(pos) == 3 {
					if ct.Role != store.RoleCoordinator {
						return fmt.Errorf("%s", l.T("coordinator_not", ct.UserID))
					}
					ct.Role = store.RoleContact
					if ct.IsHead() {
						ct.Role = store.RoleHead // a head made coordinator is a head again
					}
					if len(ct.Departments()) == 0 {
						err = tx.DeleteContact(ct.UserID)
					} else {
						err = tx.PutContact(ct)
					}
					say(l.T("coordinator_off", ct.UserID))
					return err
				}
				ct.Head = ct.IsHead()
				ct.Role = store.RoleCoordinator
				say(l.T("saved_coordinator", ct.UserID))
				return tx.PutContact(ct)
			})
		case pos[0] == "invites" && len(pos) == 1:
			return db.View(func(tx *store.Tx) error {
				open, err := tx.Invites()
				if err != nil {
					return err
				}
				if len(open) == 0 {
					say(l.T("invites_none"))
				} else {
					say(l.T("invites_head", len(open)))
				}
				for _, inv := range open {
					who := bot.InviteFor(l, inv)
					say(l.T("invite_line", store.InviteID(inv), who, inv.ExpiresAt.In(c.loc).Format("2006-01-02 15:04")))
				}
				return nil
			})
		case pos[0] == "invites" && len(pos) == 3 && pos[1] == "revoke":
			return db.Update(func(tx *store.Tx) error {
				inv, err := tx.RevokeInvite(pos[2])
				if err != nil {
					return err
				}
				who := bot.InviteFor(l, *inv)
				say(l.T("invite_revoked", pos[2], who))
				return nil
			})
		}
		return usagef("用法：duban people [remove 用户 | coordinator 用户 [off] | invites [revoke 编号]]")
	})
}
