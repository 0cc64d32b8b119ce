package bot

import (
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// This file holds the chat side of issue 13: replies to the combined daily
// reminder, the 收到 button, /notice and /score.

// dailyTask picks the task a reply to a combined reminder (or a 催办单)
// means: the reply starts with a task ID (`4.1.3 60%`). A reply naming no
// task, or naming only the task, is answered with a question and changes
// nothing; ok is then false.
func (c *call) dailyTask(linked, text string) (id, rest string, ok bool) {
	ids := schedule.DailyTaskIDs(linked)
	first, rest := cutField(strings.NewReplacer("：", " ", ":", " ", "，", " ", ",", " ").Replace(text))
	first = normID(first)
	for _, cand := range ids {
		if first == cand {
			id = cand
		}
	}
	if id == "" {
		if first != "" && c.taskIfAny(first) != nil {
			id = first // a task of theirs not on this message: still clearly named
		}
	}
	if id == "" {
		c.reply(c.Lang.T("daily_which", esc(strings.Join(ids, c.Lang.T("list_sep"))), esc(firstOr(ids))))
		return "", "", false
	}
	if rest == "" {
		c.reply(c.Lang.T("daily_what", esc(id)))
		return "", "", false
	}
	return id, rest, true
}

func firstOr(ids []string) string {
	if len(ids) == 0 {
		return "4.1.3"
	}
	return ids[0]
}

// ack records a 收到 on the tasks of the pressed message: the escalation
// ladder stops for them, and each task's history says who acknowledged.
func (c *call) ack(arg string) error {
	ids := []string{arg}
	if arg == "*" {
		linked, _ := c.tx.MessageLink(c.r.ChatID, c.r.MessageID)
		ids = schedule.DailyTaskIDs(linked)
	}
	var mine []string
	for _, id := range ids {
		// A task signed off since the reminder has nothing left to
		// escalate: no 收到 lands in its closed ledger.
		if t := c.taskIfAny(id); t != nil && c.mayChange(t) && t.Status != store.StatusClosed {
			mine = append(mine, id)
		}
	}
	if len(mine) == 0 {
		c.toast = c.Lang.T("ack_none")
		return nil
	}
	if err := schedule.Acknowledge(c.tx, mine, c.actor(), c.now); err != nil {
		return err
	}
	c.toast = c.Lang.T("ack_done", len(mine))
	return nil
}

// cmdNotice shows a numbered 催办单 again: /notice 17 (this year) or
// /notice 2026-017.
func (c *call) cmdNotice(args string) error {
	arg := strings.TrimSpace(args)
	if arg == "" {
		return c.usage("notice")
	}
	n, ok, err := schedule.FindNotice(c.tx, arg, c.now.In(c.loc()).Year())
	if err != nil {
		return err
	}
	if !ok {
		return store.Errorf(store.ENOTFOUND, "%s", c.Lang.T("notice_unknown", esc(arg)))
	}
	c.reply(n.Text)
	return nil
}

// cmdScore answers with each department's on-time rate this year.
func (c *call) cmdScore(string) error {
	sc, err := schedule.BuildScore(c.tx, c.now, c.loc())
	if err != nil {
		return err
	}
	c.reply(sc.Text(c.Lang))
	return nil
}

// isHeadWord reports whether an /invite argument asks for a department head.
func isHeadWord(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "head", "负责人", "部门负责人":
		return true
	}
	return false
}

// cutLastField splits off the last space-separated word: "水生态环境处 head"
// → "水生态环境处", "head".
func cutLastField(s string) (rest, last string) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u3000", " "))
	i := strings.LastIndexByte(s, ' ')
	if i < 0 {
		return "", s
	}
	return strings.TrimSpace(s[:i]), s[i+1:]
}

// onCombined reports whether the pressed button sits on a message about
// several tasks (the combined reminder, a 催办单): its text stays, and the
// task's new card comes as a reply instead of replacing it.
func (c *call) onCombined() bool {
	_, kind := c.tx.MessageLink(c.r.ChatID, c.r.MessageID)
	return kind == store.KindDaily || kind == store.KindHead || kind == store.KindLadder
}
