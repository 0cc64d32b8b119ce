package bot

import (
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/store"
)

// cmdPlans lists the plans: year, tasks, done share and state (/plans).
func (c *call) cmdPlans(args string) error {
	if strings.TrimSpace(args) != "" {
		return c.usage("plans")
	}
	sums, err := c.tx.PlanSummaries()
	if err != nil {
		return err
	}
	if len(sums) == 0 {
		c.reply(c.Lang.T("plans_none"))
		return nil
	}
	lines := []string{c.Lang.T("plans_head", len(sums))}
	for _, s := range sums {
		state := c.Lang.T("plan_active")
		switch {
		case s.Plan.ID == "":
			state = c.Lang.T("plan_loose")
		case !s.Plan.Active():
			state = c.Lang.T("plan_archived")
		}
		if c.tx.IsExamplePlan() && s.Plan.Example {
			state += c.Lang.T("plan_example")
		}
		title := s.Plan.Title
		if title == "" {
			title = "—"
		}
		lines = append(lines, c.Lang.T("plans_line", esc(s.Plan.ID), esc(title), s.Tasks, s.DonePercent(), state))
	}
	lines = append(lines, c.Lang.T("plans_hint"))
	c.reply(strings.Join(lines, "\n"))
	return nil
}

// removeTask is /remove ID 原因: the task leaves lists, reminders,
// digests and exports; its history records who and why.
func (c *call) removeTask(ref, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("remove_task_reason", esc(ref)))
	}
	t, err := c.tx.RemoveTask(normID(ref), c.actor(), reason)
	if err != nil {
		return err
	}
	c.reply(c.Lang.T("task_removed", esc(c.tx.Ref(t)), esc(shortText(t.Text)), esc(t.Key())))
	return nil
}

// cmdRestore brings a removed task back with its history (/restore ID).
func (c *call) cmdRestore(args string) error {
	ref, note := cutField(args)
	if ref == "" {
		return c.usage("restore")
	}
	t, err := c.tx.RestoreTask(normID(ref), c.actor(), note)
	if err != nil {
		return err
	}
	c.reply(c.Lang.T("task_restored", esc(c.tx.Ref(t)), esc(shortText(t.Text))) + "\n\n" + c.card(t))
	return nil
}

// planWord names a plan in a reply (2026).
func planWord(p *store.Plan) string {
	if p.Year != 0 && p.ID != strconv.Itoa(p.Year) {
		return p.ID + "（" + strconv.Itoa(p.Year) + "）"
	}
	return p.ID
}
