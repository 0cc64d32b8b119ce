package bot

import (
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// This file holds the chat side of issue 13: replies to the combined daily
// reminder, the 收到 button, /notice and /score.

// cbAck is the 收到 button (schedule.ActionAck).
const cbAck = schedule.ActionAck

// dailyTask picks the task a reply to a combined reminder (or a 催办单)
// means: the reply starts with a task ID (`4.1.3 60%`). A reply naming no
// task, or naming only the task, is answered with a question and changes
// nothing; ok is then false.
func (c *call) dailyTask(linked, text string) (id, rest string, ok bool) {
	ids := schedule.DailyTaskIDs(linked)
	first, rest := cutField(strings.NewReplacer("：", " ", ":", " ", "，", " ", ",", " ").Replace(text))
	for _, cand := range ids {
		if first == cand {
			id = cand
		}
	}
	if id == "" {
		if _, err := c.tx.Task(first); err == nil && first != "" {
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
		if t, err := c.tx.Task(id); err == nil && c.mayChange(t) {
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
	n, ok := schedule.FindNotice(c.tx, arg, c.now.In(c.loc()).Year())
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
	c.reply(sc.Text(string(c.Lang)))
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

func init() {
	for k, v := range catalogue13 {
		catalogue[k] = v
	}
}

// catalogue13 is issue 13's part of the catalogue, kept apart so merges of
// lang.go stay trivial.
var catalogue13 = map[string][2]string{
	"daily_which":     {"这条提醒包含多项任务（%s）。请在回复开头写上任务编号，例如 “%s 60%%” 或 “%[2]s 完成”。", "This reminder covers several tasks (%s). Start your reply with the task ID, e.g. “%s 60%%” or “%[2]s done”."},
	"daily_what":      {"请在编号后写上进展，例如 “%s 60%%”、“%[1]s 完成”或一句说明。", "Add your update after the ID, e.g. “%s 60%%”, “%[1]s done” or a note."},
	"list_sep":        {"、", ", "},
	"ack_done":        {"已收到（%d 项），不再升级催办。", "Acknowledged (%d), no escalation."},
	"ack_none":        {"这里没有您可以确认的任务。", "Nothing here for you to acknowledge."},
	"notice_unknown":  {"没有编号为 %s 的催办单。", "No notice numbered %s."},
	"registered_head": {"登记成功：您是 %s 的部门负责人。逾期提醒无人回应时会通知您；发送 /my 查看本单位任务。", "Registered as the head of %s. You will hear of overdue reminders nobody answered; /my lists the department's tasks."},
	"head_word":       {"负责人", "head"},
	"usage_notice":    {"/notice 编号（如 17 或 2026-017）", "/notice N (17 or 2026-017)"}, "menu_notice": {"查看催办单", "show a numbered notice"},
	"usage_score": {"/score", "/score"}, "menu_score": {"各部门按时完成率", "on-time rate by department"},
	"k_ack": {"收到", "acknowledged"}, "k_escalate_head": {"催办（部门负责人）", "escalated to head"},
	"k_escalate_coord": {"催办（督办员）", "escalated to coordinators"},
	"ledger_caption":   {"📎 督办台账：周报各栏未列出的任务见此表", "📎 Ledger: the tasks the digest's lists left out"},
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
	return kind == schedule.KindDaily || kind == schedule.KindHead || kind == schedule.KindLadder
}
