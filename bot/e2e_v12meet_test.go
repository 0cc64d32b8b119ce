package bot_test

import (
	"context"
	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/schedule"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
)

// TestChat_CombinedMeetsLoop: the combined daily reminder of issue 13 and
// the sign-off loop of issue 12 together — a done claim made by replying
// to the combined reminder goes to the coordinators for review, and a
// closed task named in a reply or button under that reminder stays closed.
func TestChat_CombinedMeetsLoop(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	msg, ids := h.dailyReminder()
	if len(ids) < 3 {
		t.Fatalf("combined reminder has %v", ids)
	}

	before := len(h.fake.Sent(coordU.ID))
	mustContain(t, "reply 完成", h.reply(contactA, msg.ID, ids[0]+" 完成"), "待销号")
	if task := h.task(ids[0]); task.Status != store.StatusDone {
		t.Fatalf("%s status %s", ids[0], task.Status)
	}
	sent := h.fake.Sent(coordU.ID)[before:]
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "待销号") {
		t.Errorf("coordinator not told of the done claim made by a reply to the combined reminder")
	}

	// coordinator closes ids[1]
	mustContain(t, "/close 确认", h.say(coordU, "/close "+ids[1]+" 确认"), "已销号")
	if task := h.task(ids[1]); task.Status != store.StatusClosed {
		t.Fatalf("%s status %s after close", ids[1], task.Status)
	}
	mustContain(t, "reply 60% on a closed task", h.reply(contactA, msg.ID, ids[1]+" 60%"), "已销号，不能再修改")
	mustContain(t, "reply note on a closed task", h.reply(contactA, msg.ID, ids[1]+" 已完成现场检查"), "已销号，不能再修改")
	mustContain(t, "done button on a closed task", h.press(contactA, msg.ID, "done:"+ids[1]), "已销号")
	mustContain(t, "progress button on a closed task", h.press(contactA, msg.ID, "prog:"+ids[1]), "已销号")
	closedHist := len(h.history(ids[1]))
	mustContain(t, "收到 after a close", h.press(contactA, msg.ID, "ack:*"), "已收到（"+itoa(int64(len(ids)-1))+"项）")
	if task := h.task(ids[1]); task.Status != store.StatusClosed {
		t.Errorf("%s status %s; a closed task changed by a contact", ids[1], task.Status)
	}
	if n := len(h.history(ids[1])); n != closedHist {
		t.Errorf("收到 wrote %d entries in closed %s's ledger", n-closedHist, ids[1])
	}
	// prompt then plain answer
	h.press(contactA, msg.ID, "prog:"+ids[2])
	mustContain(t, "the progress prompt", h.last(contactA.ID).Text, "任务"+ids[2]+"的进度")
	mustContain(t, "a plain answer after the prompt", h.say(contactA, "70%"), "已更新进度")
	if task := h.task(ids[2]); task.Progress != 70 {
		t.Errorf("%s progress %d after prompt+plain", ids[2], task.Progress)
	}
	// reply naming a task of another department
	mustContain(t, "reply naming another department's task", h.reply(contactA, msg.ID, "4.2.1 60%"), "不属于您的单位")
	if task := h.task("4.2.1"); task.Progress != 0 {
		t.Errorf("4.2.1 progress %d after contact A's reply", task.Progress)
	}
}

// registerHead makes newcomerU the head of deptA through an invite.
func (h *harness) registerHead() {
	h.t.Helper()
	got := h.say(coordU, "/invite "+deptA+" head")
	i := strings.Index(got, "start=")
	if i < 0 {
		h.t.Fatalf("no invite link in %q", got)
	}
	token := strings.FieldsFunc(got[i+len("start="):], func(r rune) bool { return r == '"' || r == '<' || r == ' ' || r == '\n' })[0]
	mustContain(h.t, "registering a head", h.say(newcomerU, "/start "+token), "部门负责人")
}

// TestChat_HeadHearsOnlyTheLadder: a department head (issue 13) is not
// one of the department's contacts (issue 12): /remind, and the notices
// of /deadline and /assign, go to the contacts and not to the head, whose
// chat carries only the escalation ladder; /people calls the head 负责人.
func TestChat_HeadHearsOnlyTheLadder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.registerHead()
	headBefore, aBefore := len(h.fake.Sent(newcomerU.ID)), len(h.fake.Sent(contactA.ID))

	mustContain(t, "/remind", h.say(coordU, "/remind 4.1.6"), "已提醒任务4.1.6的1位联络员")
	h.say(coordU, "/deadline 4.1.4 2021-11-30")
	h.say(coordU, "/assign 4.1.5 "+deptA)
	if sent := h.fake.Sent(newcomerU.ID)[headBefore:]; len(sent) != 0 {
		t.Errorf("the head got %d messages meant for the contacts:\n%s", len(sent), texts(sent))
	}
	if n := len(h.fake.Sent(contactA.ID)) - aBefore; n != 3 {
		t.Errorf("contact A got %d messages, want the reminder and two change notices", n)
	}
	people := h.say(coordU, "/people")
	mustContain(t, "/people", people, deptA+"负责人")
	for _, line := range strings.Split(people, "\n") {
		if strings.Contains(line, itoa(newcomerU.ID)) && strings.Contains(line, deptA+"联络员") {
			t.Errorf("/people calls the head a contact: %s", line)
		}
		if strings.Contains(line, itoa(newcomerU.ID)) && !strings.Contains(line, "最近使用：2021-06-15") {
			t.Errorf("/people does not count registering as being seen: %s", line)
		}
	}
	mustContain(t, "/depts", h.say(coordU, "/depts"), deptA)
}

// TestChat_PendingExtensionButtonsShowTheOldDeadline: under /pending each
// extension request's own message (the one with 同意 / 驳回) says which
// deadline it would move, like the list above it.
func TestChat_PendingExtensionButtonsShowTheOldDeadline(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "/extend", h.say(contactA, "/extend 4.1.3 2022-03-31 设备未到货"), "等待督办员审批")
	before := len(h.fake.Sent(coordU.ID))
	h.say(coordU, "/pending")
	sent := h.fake.Sent(coordU.ID)[before:]
	last := sent[len(sent)-1]
	if last.ReplyMarkup == nil || len(last.ReplyMarkup.InlineKeyboard) == 0 {
		t.Fatalf("last /pending message has no buttons: %s", last.Text)
	}
	mustContain(t, "/pending request", last.Text, "2021-12-31→2022-03-31")
}

// TestChat_StatsLegendIsThePolicysLights: the /stats legend (issue 12)
// explains the lights as issue 13 computes them — by 序时进度, with the
// policy's thresholds — not the old "due within 7 days or behind" rule.
func TestChat_StatsLegendIsThePolicysLights(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "/stats legend", h.say(coordU, "/stats"), "🔴逾期或受阻，或落后序时进度超过30个百分点", "🟡落后序时进度10–30个百分点，或7天内到期")

	h2 := newHarness(t, func(a *bot.App) {
		a.Reporter.(*schedule.Reporter).Policy.Lights = schedule.Lights{YellowBehind: 20, RedBehind: 50, DueSoonDays: 3}
	})
	mustContain(t, "/stats legend with a policy", h2.say(coordU, "/stats"), "超过50个百分点", "落后序时进度20–50个百分点，或3天内到期")

	en := newHarness(t, withLang("en"))
	mustContain(t, "/stats legend en", en.say(coordU, "/stats"), "more than 30 points behind schedule", "10–30 points behind, or due within 7 days")
}

// TestChat_CardsLightAsTheDigest: with a policy's light thresholds
// (issue 13) the chat's cards and lists (/task, /my, /remind) light a task
// as the digest's counts do — not by the default thresholds.
func TestChat_CardsLightAsTheDigest(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(a *bot.App) {
		a.Reporter.(*schedule.Reporter).Policy.Lights = schedule.Lights{YellowBehind: 20, RedBehind: 50, DueSoonDays: 3}
	})
	// Mid-June, 4.1.3 (due 12-31) at 0% is about 45 points behind: yellow
	// under these thresholds, red under the defaults.
	mustContain(t, "/stats", h.say(coordU, "/stats"), "🔴 1  🟡 75")
	mustContain(t, "/task", h.say(contactA, "/task 4.1.3"), "0/85家 · 🟡")
	mustContain(t, "/my", h.say(contactA, "/my"), "🟡 4.1.3 ")
	h.say(coordU, "/remind 4.1.3")
	mustContain(t, "/remind card", h.last(contactA.ID).Text, "0/85家 · 🟡")
}

// TestChat_ExtensionRequestStopsTheLadder: a contact who answers an overdue
// reminder with /extend (issue 12) has answered it: while the request
// waits for the coordinators, the escalation ladder (issue 13) does not
// send the department head a 催办单 saying the reminder got "neither 收到
// nor an update". A task nobody answered still climbs.
func TestChat_ExtensionRequestStopsTheLadder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.registerHead()
	h.say(coordU, "/deadline 4.1.3 2021-06-16")
	h.say(coordU, "/deadline 4.1.4 2021-06-16")
	p, cal := schedule.DefaultPolicy(), schedule.NewCalendar()
	r := &schedule.Runner{DB: h.db, Policy: p, Cal: cal, Loc: shanghai, Lang: "zh", Now: h.clock.Now, Wake: h.app.Wake}
	tick := func(day string) {
		t.Helper()
		d, err := store.ParseDate(day)
		if err != nil {
			t.Fatal(err)
		}
		h.clock.Add(d.In(shanghai).Add(9*time.Hour + 5*time.Minute).Sub(h.clock.Now()))
		if err := r.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		h.settle("")
	}
	tick("2021-06-16")
	aBefore := len(h.fake.Sent(contactA.ID))
	tick("2021-06-17") // D+1: the first overdue reminder
	if got := texts(h.fake.Sent(contactA.ID)[aBefore:]); !strings.Contains(got, "4.1.3") || !strings.Contains(got, "4.1.4") {
		t.Fatalf("contact A's overdue reminder on 06-17:\n%s", got)
	}
	mustContain(t, "/extend", h.say(contactA, "/extend 4.1.3 2021-07-31 设备未到货"), "等待督办员审批")

	headBefore := len(h.fake.Sent(newcomerU.ID))
	for _, d := range []string{"2021-06-18", "2021-06-21", "2021-06-22", "2021-06-23"} {
		tick(d)
	}
	got := texts(h.fake.Sent(newcomerU.ID)[headBefore:])
	mustContain(t, "the head's 催办单", got, "催办单", "4.1.4")
	if strings.Contains(got, "4.1.3") {
		t.Errorf("the head was told 4.1.3's reminders went unanswered while its extension request waits:\n%s", got)
	}
	// The head answers the 催办单 by replying to it.
	heads := h.fake.Sent(newcomerU.ID)
	mustContain(t, "the head's reply to the 催办单", h.reply(newcomerU, heads[len(heads)-1].ID, "4.1.4 60%"), "已更新进度")
	if task := h.task("4.1.4"); task.Progress != 60 {
		t.Errorf("4.1.4 progress %d after the head's reply", task.Progress)
	}
}

// TestChat_HeadMayUpdate: the head's invite says a head may update the
// department's tasks (issue 13) and the 催办单 asks for /extend; the
// transition table of issue 12 lets a head do what a contact does.
func TestChat_HeadMayUpdate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.registerHead()
	mustContain(t, "head /progress", h.say(newcomerU, "/progress 4.1.3 60%"), "已更新进度")
	mustContain(t, "head /extend", h.say(newcomerU, "/extend 4.1.6 2022-03-31 设备未到货"), "等待督办员审批")
	mustContain(t, "head /done", h.say(newcomerU, "/done 4.1.5"), "待销号")
	mustContain(t, "head on another department's task", h.say(newcomerU, "/progress 4.2.1 60%"), "不属于您的单位")
	h.say(coordU, "/close 4.1.3 确认")
	mustContain(t, "head on a closed task", h.say(newcomerU, "/progress 4.1.3 70%"), "已销号")
	if task := h.task("4.1.3"); task.Status != store.StatusClosed {
		t.Errorf("4.1.3 %s after the head's update of a closed task", task.Status)
	}
}

// inviteToken asks coordU for an invite and returns its token.
func (h *harness) inviteToken(args string) string {
	h.t.Helper()
	got := h.say(coordU, "/invite "+args)
	i := strings.Index(got, "start=")
	if i < 0 {
		h.t.Fatalf("no invite link in %q", got)
	}
	return strings.FieldsFunc(got[i+len("start="):], func(r rune) bool { return r == '"' || r == '<' || r == ' ' || r == '\n' })[0]
}

// TestChat_HeadStaysHead: roles are a set (issue 12) and a head hears only
// the ladder (issue 13). A head made coordinator and demoted again is a
// head, not a contact getting daily reminders; a coordinator who takes a
// head invite is that department's head, not its contact; an invite that
// would make one person a contact of one department and head of another
// is refused, changes nothing and stays usable.
func TestChat_HeadStaysHead(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.registerHead()
	contact := func(id int64) *store.Contact {
		var c *store.Contact
		h.db.View(func(tx *store.Tx) (err error) { c, err = tx.Contact(id); return err })
		return c
	}
	dailyTo := func(on string) map[int64]bool {
		d, _ := store.ParseDate(on)
		out := map[int64]bool{}
		h.db.View(func(tx *store.Tx) error {
			s, err := schedule.LoadSnapshot(tx, nil, "zh", shanghai)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range schedule.Preview(schedule.DefaultPolicy(), schedule.NewCalendar(), s, d).Reminders {
				if r.Kind == store.KindDaily || r.Kind == store.KindReminder {
					out[r.ChatID] = true
				}
			}
			return nil
		})
		return out
	}
	const busy = "2021-12-01" // contact A has a combined reminder that day
	if to := dailyTo(busy); !to[contactA.ID] || to[newcomerU.ID] {
		t.Fatalf("reminders on %s go to %v", busy, to)
	}

	mustContain(t, "/coordinator head", h.say(adminU, "/coordinator "+itoa(newcomerU.ID)), "督办员")
	if to := dailyTo(busy); to[newcomerU.ID] {
		t.Errorf("a head made coordinator gets the department's daily reminders")
	}
	mustContain(t, "/people", h.say(coordU, "/people"), "督办员、"+deptA+"负责人")
	h.say(adminU, "/coordinator "+itoa(newcomerU.ID)+" off")
	if c := contact(newcomerU.ID); c == nil || c.Role != store.RoleHead {
		t.Errorf("after /coordinator off the head is %+v, want a head again", c)
	}
	if to := dailyTo(busy); to[newcomerU.ID] {
		t.Errorf("a demoted head gets the department's daily reminders")
	}

	// A coordinator with no department takes a head invite.
	mustContain(t, "coordinator takes a head invite", h.say(coordU, "/start "+h.inviteToken(deptA+" head")), "部门负责人")
	if to := dailyTo(busy); to[coordU.ID] {
		t.Errorf("a coordinator registered as head gets the department's daily reminders")
	}

	// Contact A (of deptA) takes a head invite for deptB: refused, unused.
	tok := h.inviteToken(deptB + " head")
	mustContain(t, "contact takes another department's head invite", h.say(contactA, "/start "+tok), "不能再登记为"+deptB+"的负责人", "邀请链接未使用")
	if c := contact(contactA.ID); c.Role != store.RoleContact || strings.Join(c.Departments(), ",") != deptA {
		t.Errorf("after the refusal contact A is %+v", c)
	}
	mustContain(t, "the refused invite still works", h.say(strangerU, "/start "+tok), "部门负责人")
	// The head takes a contact invite for deptB: refused.
	mustContain(t, "head takes a contact invite", h.say(newcomerU, "/start "+h.inviteToken(deptB)), "不能再登记为"+deptB+"的联络员")
	if c := contact(newcomerU.ID); c.Role != store.RoleHead || strings.Join(c.Departments(), ",") != deptA {
		t.Errorf("after the refusal the head is %+v", c)
	}
}

// TestChat_ScoreAfterReturn: a done claim sent back (退回重办, issue 12) is
// not a finish; the on-time rate (issue 13) dates the task by the claim
// that was signed off. Claimed on time, returned, redone and closed after
// the deadline, the task counts as done late.
func TestChat_ScoreAfterReturn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(coordU, "/deadline 4.1.3 2021-06-20")
	mustContain(t, "/done", h.say(contactA, "/done 4.1.3"), "待销号")
	mustContain(t, "/return", h.say(coordU, "/return 4.1.3 数量不实"), "退回")
	h.clock.Add(10 * 24 * time.Hour) // 06-25, after the deadline
	h.say(contactA, "/done 4.1.3 已核实")
	mustContain(t, "/close", h.say(coordU, "/close 4.1.3"), "已销号")
	var row schedule.ScoreRow
	h.db.View(func(tx *store.Tx) error {
		sc, err := schedule.BuildScore(tx, h.clock.Now(), shanghai)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range sc.Depts {
			if r.Dept == deptA {
				row = r
			}
		}
		return nil
	})
	if row.Due != 1 || row.OnTime != 0 || row.Late != 1 {
		t.Errorf("%s score %+v: a task redone after the deadline counted as on time", deptA, row)
	}
	mustContain(t, "/score", h.say(coordU, "/score"), "按时完成 0，逾期完成 1")
}

// TestChat_InvitesNameTheHead: /invites tells a head's invite from the
// contact's invite of the same department, so the coordinator revokes the
// right one.
func TestChat_InvitesNameTheHead(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.inviteToken(deptB + " head")
	h.inviteToken(deptB)
	got := h.say(coordU, "/invites")
	mustContain(t, "/invites", got, "："+deptB+"负责人，", "："+deptB+"，")
}

// TestChat_ReturnRestoresTheReport: a done claim sent back (退回重办) is
// back at the department's last reported progress and count, not at the
// 100% and target the claim set: returned as 数量不实 it must not read
// "85/85家" and light green.
func TestChat_ReturnRestoresTheReport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "/progress", h.say(contactA, "/progress 4.1.3 43"), "43/85家")
	mustContain(t, "/done", h.say(contactA, "/done 4.1.3"), "85/85家")
	got := h.say(coordU, "/return 4.1.3 数量不实")
	mustContain(t, "/return", got, "推进中", "43/85家")
	if task := h.task("4.1.3"); task.Status != store.StatusInProgress || task.Current != 43 || task.Progress != 50 {
		t.Errorf("after the return 4.1.3 is %s %v/%v %d%%", task.Status, task.Current, task.Target, task.Progress)
	}
	mustContain(t, "the department's card", h.say(contactA, "/task 4.1.3"), "43/85家", "数量不实")
}
