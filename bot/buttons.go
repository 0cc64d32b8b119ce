package bot

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// button handles a pressed inline button. Every press is answered (Handle
// does that) with c.toast.
func (c *call) button() error {
	kind, arg, _ := strings.Cut(c.r.CallbackData, ":")
	if c.role == store.RoleStranger {
		c.toast = c.Lang.T("need_contact")
		return nil
	}
	switch kind {
	case cbDone:
		t, err := c.writable(arg)
		if err != nil {
			return c.toastErr(err)
		}
		markDone(t, "")
		return c.save(t, "done", "", "saved_done")
	case cbProgress, cbExtend, cbBlocked:
		t, err := c.writable(arg)
		if err != nil {
			return c.toastErr(err)
		}
		key := map[string]string{cbProgress: kindPromptProgress, cbExtend: kindPromptExtend, cbBlocked: kindPromptBlocked}[kind]
		m := c.reply(c.Lang.T(key, esc(t.ID), esc(t.Text)))
		m.TaskID, m.Kind, m.ReplyTo = t.ID, key, c.r.MessageID
		c.toast = c.Lang.T("toast_reply")
		return nil
	case cbAck:
		return c.ack(arg)
	case cbApprove, cbReject:
		if rank(c.role) < rank(store.RoleCoordinator) {
			c.toast = c.Lang.T("need_coordinator")
			return nil
		}
		id, _ := strconv.ParseUint(arg, 10, 64)
		return c.decideExtension(id, kind == cbApprove)
	case cbImport, cbDiscard:
		if rank(c.role) < rank(store.RoleCoordinator) {
			c.toast = c.Lang.T("need_coordinator")
			return nil
		}
		return c.confirmImport(arg, kind == cbImport)
	}
	c.toast = c.Lang.T("button_unknown")
	return nil
}

// toastErr shows a refusal on the button itself rather than as a message.
func (c *call) toastErr(err error) error {
	if store.ErrorCode(err) == store.EINTERNAL {
		return err
	}
	c.toast = store.ErrorMessage(err)
	return nil
}

// decideExtension approves (moving the deadline) or rejects a request; both
// land in the task's history and the requester is told.
func (c *call) decideExtension(id uint64, ok bool) error {
	e, err := c.tx.Extension(id)
	if err != nil {
		return c.toastErr(err)
	}
	if e.Decided {
		c.toast = c.Lang.T("extension_decided")
		return nil
	}
	t, err := c.tx.Task(e.TaskID)
	if err != nil {
		return c.toastErr(err)
	}
	e.Decided, e.Approved, e.DecidedBy = true, ok, c.r.UserID
	if err := c.tx.PutExtension(e); err != nil {
		return err
	}
	kind, key := "extend_rejected", "extension_rejected"
	if ok {
		t.Deadline, t.Cadence = e.NewDate, ""
		kind, key = "extend_approved", "extension_approved"
	}
	if _, err := c.tx.SaveTask(t, c.actor(), kind, e.Reason); err != nil {
		return err
	}
	if !ok {
		// SaveTask writes nothing when no field changed: record the refusal.
		if err := c.tx.AppendHistory(&store.Update{TaskID: t.ID, By: c.actor(), Kind: kind, Note: e.Reason}); err != nil {
			return err
		}
	}
	text := c.Lang.T(key, esc(t.ID), e.NewDate.String(), esc(c.r.Name))
	c.toast = c.Lang.T(key + "_short")
	c.out = append(c.out, &store.Message{ChatID: c.r.ChatID, Kind: "edit", EditID: c.r.MessageID, Text: text})
	if e.By.ChatID != 0 {
		m := c.send(e.By.ChatID, "notice", text)
		m.TaskID = t.ID
	}
	return nil
}

// memberChanged tracks a user blocking (kicked) or unblocking the bot in a
// private chat; groups are tracked for the digest chat only by /digestchat.
func (c *call) memberChanged() error {
	if c.r.Group {
		if c.r.MemberStatus == "kicked" || c.r.MemberStatus == "left" {
			_, err := c.tx.SetReachable(c.r.ChatID, false)
			return err
		}
		return nil
	}
	ok := c.r.MemberStatus != "kicked" && c.r.MemberStatus != "left"
	_, err := c.tx.SetReachable(c.r.ChatID, ok)
	return err
}

// coordinatorChats is where requests for coordinators go: the digest chat
// when one is set, else every reachable coordinator and admin.
func (c *call) coordinatorChats() []int64 {
	if v := c.tx.Setting("digest_chat"); v != "" {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			return []int64{id}
		}
	}
	contacts, _ := c.tx.Contacts()
	admins := make([]int64, 0, len(c.Admins))
	for id := range c.Admins {
		admins = append(admins, id)
	}
	return schedule.CoordinatorChats(c.tx, contacts, admins)
}

// list replies with a heading and one line per task, split by the sender
// when long.
func (c *call) list(head string, tasks []*store.Task, withDept bool) {
	on := store.DateOf(c.now)
	lines := []string{head}
	for _, t := range tasks {
		lines = append(lines, Line(c.Lang, t, on, schedule.PlanStart(c.tx), withDept))
	}
	if len(tasks) == 0 {
		lines = append(lines, c.Lang.T("none"))
	}
	c.reply(strings.Join(lines, "\n"))
}

// byDeadline orders tasks by deadline (continuous last), then ID.
func byDeadline(ts []*store.Task) {
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i].Deadline, ts[j].Deadline
		if a.IsZero() != b.IsZero() {
			return b.IsZero()
		}
		if a != b {
			return a < b
		}
		return store.CompareIDs(ts[i].ID, ts[j].ID) < 0
	})
}

// historyLine renders one history entry: when, who, what.
func historyLine(l Lang, u store.Update, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	var parts []string
	for _, ch := range u.Changes {
		if ch.Field == "lead_suggested" {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s → %s", l.Field(ch.Field), orDash(ch.Old), orDash(ch.New)))
	}
	if u.Note != "" {
		parts = append(parts, u.Note)
	}
	who := u.By.Name
	if who == "" {
		who = u.By.Via
	}
	return fmt.Sprintf("%s %s %s %s", u.At.In(loc).Format("01-02 15:04"), who, l.Kind(u.Kind), strings.Join(parts, "；"))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
