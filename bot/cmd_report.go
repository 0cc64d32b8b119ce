package bot

import (
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// cmdStats answers with the per-department completion table.
func (c *call) cmdStats(string) error {
	if c.Reporter == nil {
		return store.Errorf(store.EINTERNAL, "no reporter")
	}
	text, err := c.Reporter.Stats(c.tx, c.now)
	if err != nil {
		return err
	}
	// The digest's table is the schedule's (with its 受阻 column); the hint
	// to the blocked list and the legend of the lights are added here.
	_, n, err := c.blockedByDept()
	if err != nil {
		return err
	}
	text = strings.TrimRight(text, "\n")
	if n > 0 {
		text += "\n" + c.Lang.T("stats_blocked", n) + c.Lang.T("stats_blocked_hint")
	}
	lights := c.lights()
	text += "\n" + c.Lang.T("lights_legend", lights.RedBehind, lights.YellowBehind, lights.DueSoonDays)
	c.reply(text)
	return nil
}

// cmdDigest sends the weekly digest now: to the coordinators' chat when one
// is set (and says so here), else to this chat.
func (c *call) cmdDigest(string) error {
	if c.Reporter == nil {
		return store.Errorf(store.EINTERNAL, "no reporter")
	}
	text, cut, err := c.digestText()
	if err != nil {
		return err
	}
	target := c.r.ChatID
	if id := c.tx.DigestChat(); id != 0 {
		target = id
	}
	c.send(target, store.KindDigest, text)
	if cut {
		if err := c.attachLedger(target); err != nil {
			return err
		}
	}
	if target != c.r.ChatID {
		c.reply(c.Lang.T("digest_sent"))
	}
	return nil
}

// cmdRemind nudges the owners of one task now, with the reminder buttons.
func (c *call) cmdRemind(args string) error {
	id := strings.TrimSpace(args)
	if id == "" || strings.ContainsRune(id, ' ') {
		return c.usage("remind")
	}
	t, err := c.tx.Task(id)
	if err != nil {
		return err
	}
	if !t.Open() {
		return store.Errorf(store.ECONFLICT, "%s", c.Lang.T("remind_finished", t.ID))
	}
	if c.Reporter == nil {
		return store.Errorf(store.EINTERNAL, "no reporter")
	}
	msgs, err := c.Reporter.Nudge(c.tx, t, c.now)
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		c.reply(c.Lang.T("remind_nobody", esc(t.Lead)))
		return nil
	}
	for i, m := range msgs {
		if m.Key == "" {
			m.Key = store.MessageKey("nudge", t.Key(), c.r.UpdateID, strconv.FormatInt(c.now.UnixNano(), 36), i)
		}
		c.out = append(c.out, m)
	}
	c.reply(c.Lang.T("remind_sent", esc(t.ID), len(msgs)))
	return nil
}

// lights are the 红黄绿灯 thresholds the schedule lights tasks with: the
// policy's when the reporter is the schedule's, the defaults otherwise.
func (c *call) lights() schedule.Lights {
	if r, ok := c.Reporter.(*schedule.Reporter); ok && r.Policy.Lights.RedBehind != 0 {
		return r.Policy.Lights
	}
	return schedule.DefaultLights()
}
