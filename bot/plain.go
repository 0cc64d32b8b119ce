package bot

import (
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/store"
)

// isDoneWord reports whether a plain reply means "done".
func isDoneWord(s string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(s), "。.!！")) {
	case "完成", "已完成", "done", "办结", "已办结":
		return true
	}
	return false
}

// plainText reads a reply to one of the bot's messages about a task (or a
// plain answer right after a prompt, or "4.1.3 60%" typed without a
// command): a percent, a count, "完成"/"done", or else a note. Prompts of
// coordinators (退回 reason, an answer to a blocker, a refusal reason)
// take the text as that.
func (c *call) plainText() error {
	text := strings.TrimSpace(c.r.Text)
	var id string
	var kind store.MessageKind
	if c.r.ReplyToID != 0 {
		id, kind = c.tx.MessageLink(c.r.ChatID, c.r.ReplyToID)
	} else if c.role != store.RoleStranger {
		if id, kind = c.openPrompt(); id == "" {
			if first, rest := cutField(text); rest != "" {
				if t := c.taskIfAny(normID(first)); t != nil && (looksLikeProgress(rest, t.Unit) || isDoneWord(rest)) {
					id, text = t.Key(), rest
				}
			}
		}
	}
	if id == "" {
		switch {
		case c.role == store.RoleStranger && c.r.ReplyToID == 0:
			c.reply(c.Lang.T("welcome_stranger", c.r.UserID))
		case c.role != store.RoleStranger:
			c.reply(c.Lang.T("plain_hint"))
		}
		return nil
	}
	if c.role == store.RoleStranger {
		return c.denied(store.RoleContact)
	}
	if text == "" {
		return nil
	}
	if kind == store.KindDaily || kind == store.KindHead || kind == store.KindLadder {
		// A reply to a combined reminder names its task ("4.1.3 60%").
		var ok bool
		if id, text, ok = c.dailyTask(id, text); !ok {
			return nil
		}
	}
	switch kind {
	case store.KindPromptExtend:
		date, reason := cutField(text)
		return c.requestExtension(id, date, reason)
	case store.KindPromptBlocked:
		t, err := c.writable(id)
		if err != nil {
			return err
		}
		return c.block(t, text)
	case store.KindReview, store.KindBlocked, store.KindExtension:
		// A coordinator's reply to what the department sent them is an
		// answer to the department, not a change of the task.
		if rank(c.role) >= rank(store.RoleCoordinator) {
			return c.answer(id, text)
		}
	case store.KindPromptReturn, store.KindPromptAnswer, store.KindPromptReject:
		if rank(c.role) < rank(store.RoleCoordinator) {
			return c.denied(store.RoleCoordinator)
		}
		switch kind {
		case store.KindPromptReturn:
			return c.returnTask(id, text)
		case store.KindPromptAnswer:
			return c.answer(id, text)
		}
		return c.rejectExtension(id, text)
	}
	t, err := c.writable(id)
	if err != nil {
		return err
	}
	switch {
	case isDoneWord(text):
		return c.claimDone(t, "")
	case looksLikeProgress(text, t.Unit):
		return c.progress(t, text)
	}
	return c.note(t, text)
}

// leaveDept removes department number i of the presser's departments.
func (c *call) leaveDept(arg string) error {
	i, err := strconv.Atoi(arg)
	if c.me == nil || err != nil || i < 0 || i >= len(c.me.Departments()) {
		c.toast = c.Lang.T("button_unknown")
		return nil
	}
	depts := c.me.Departments()
	if len(depts) < 2 {
		c.toast = c.Lang.T("leave_last")
		return nil
	}
	d := depts[i]
	c.me.RemoveDept(d)
	if err := c.tx.PutContact(c.me); err != nil {
		return err
	}
	text := c.Lang.T("left_dept", esc(d), esc(strings.Join(c.me.Departments(), c.Lang.T("list_sep"))))
	c.toast = c.Lang.T("left_dept_short", d)
	c.out = append(c.out, &store.Message{ChatID: c.r.ChatID, Kind: store.KindEdit, EditID: c.r.MessageID, Text: text})
	return nil
}
