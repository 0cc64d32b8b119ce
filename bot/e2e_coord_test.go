package bot_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

func TestChat_CoordinatorQueries(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	got := h.say(coordU, "/overdue")
	mustContain(t, "/overdue", got, "逾期任务1项", "6.3.2", "宣传教育处", "已逾期10天")

	mustContain(t, "/overdue 宣传教育处", h.say(coordU, "/overdue 宣传教育处"), "逾期任务1项", "6.3.2")
	got = h.say(coordU, "/overdue "+deptA)
	mustContain(t, "/overdue deptA", got, "逾期任务0项", "（无）")
	mustContain(t, "/overdue unknown", h.say(coordU, "/overdue 不存在处"), "没有名为“不存在处”的单位")

	h.say(coordU, "/deadline 4.1.3 2021-06-25")
	h.say(coordU, "/deadline 4.1.6 2021-07-10")
	got = h.say(coordU, "/due")
	mustContain(t, "/due", got, "未来14天到期1项", "4.1.3", "还剩10天")
	if strings.Contains(got, "4.1.6") {
		t.Errorf("/due (14 days) lists 4.1.6 due in 25 days:\n%s", got)
	}
	got = h.say(coordU, "/due 30")
	mustContain(t, "/due 30", got, "未来30天到期2项", "4.1.3", "4.1.6")
	if strings.Index(got, "4.1.3") > strings.Index(got, "4.1.6") {
		t.Errorf("/due 30 not by deadline:\n%s", got)
	}
	mustContain(t, "/due abc", h.say(coordU, "/due abc"), "用法：/due [天数]")

	got = h.say(coordU, "/stats")
	mustContain(t, "/stats", got, "各单位进展", "2021-06-15", deptA, "逾期 1 项")

	got = h.say(coordU, "/depts")
	mustContain(t, "/depts", got, "单位", deptA+"：9 / 1", deptB)
	mustContain(t, "/depts add", h.say(coordU, "/depts add 督查室"), "单位列表已更新")
	mustContain(t, "/depts after add", h.say(coordU, "/depts"), "督查室：0 / 0")
	var has bool
	h.db.View(func(tx *store.Tx) error { has = tx.HasDepartment("督查室"); return nil })
	if !has {
		t.Errorf("department 督查室 not stored")
	}
}

func TestChat_CoordinatorChanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	t.Run("Assign", func(t *testing.T) {
		got := h.say(coordU, "/assign 4.1.3 "+deptA+"、执法局")
		mustContain(t, "/assign", got, "已指定责任单位", "配合：执法局")
		task := h.task("4.1.3")
		if task.Lead != deptA || len(task.CoDepts) != 1 || task.CoDepts[0] != "执法局" || task.LeadSuggested {
			t.Errorf("task = lead %q co %v suggested %v", task.Lead, task.CoDepts, task.LeadSuggested)
		}
		h.lastEntry("4.1.3", coordU, "assign")
		mustContain(t, "/assign unknown", h.say(coordU, "/assign 4.1.3 大气处"), "没有名为“大气处”的单位")
		if task := h.task("4.1.3"); task.Lead != deptA {
			t.Errorf("a refused /assign changed the lead to %q", task.Lead)
		}
	})
	for _, tc := range []struct{ arg, want string }{{"2021-09-30", "2021-09-30"}, {"三季度末", "2021-09-30"}, {"年底前", "2021-12-31"}} {
		t.Run("Deadline "+tc.arg, func(t *testing.T) {
			h.say(coordU, "/deadline 4.1.1 2021-07-01")
			got := h.say(coordU, "/deadline 4.1.1 "+tc.arg)
			mustContain(t, "/deadline", got, "已修改完成时限", tc.want)
			if d := h.task("4.1.1").Deadline.String(); d != tc.want {
				t.Errorf("deadline = %s, want %s", d, tc.want)
			}
			h.lastEntry("4.1.1", coordU, "deadline")
		})
	}
	t.Run("CloseReopen", func(t *testing.T) {
		h.say(contactA, "/done 4.1.2")
		mustContain(t, "/close", h.say(coordU, "/close 4.1.2"), "已销号")
		if s := h.task("4.1.2").Status; s != store.StatusClosed {
			t.Errorf("status after /close = %s", s)
		}
		h.lastEntry("4.1.2", coordU, "close")
		mustContain(t, "/reopen", h.say(coordU, "/reopen 4.1.2"), "已重新打开")
		if task := h.task("4.1.2"); task.Status != store.StatusInProgress || task.Progress != 99 {
			t.Errorf("after /reopen = %s %d%%", task.Status, task.Progress)
		}
		h.lastEntry("4.1.2", coordU, "reopen")
		mustContain(t, "/reopen open task", h.say(coordU, "/reopen 4.1.2"), "尚未完成或销号")
	})
}

func TestChat_Remind(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	got := h.say(coordU, "/remind 4.1.3")
	mustContain(t, "/remind", got, "已提醒任务4.1.3的1位联络员")
	m := h.last(contactA.ID)
	mustContain(t, "reminder", m.Text, "督办提醒", "4.1.3", "完成85家")
	for _, b := range []string{"已完成", "更新进度", "申请延期", "遇到困难"} {
		button(t, m, b)
	}
	if n := len(h.fake.Sent(contactB.ID)); n != 0 {
		t.Errorf("contact of another department got %d messages", n)
	}
	mustContain(t, "/remind 4.2.1 (no contact)", h.say(coordU, "/remind 4.3.1"), "尚无登记的联络员")
	h.say(coordU, "/close 4.1.4 确认")
	mustContain(t, "/remind closed", h.say(coordU, "/remind 4.1.4"), "已完成或销号，无需提醒")
}

func TestChat_Digest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "/digest without a digest chat", h.say(coordU, "/digest"), "督办周报", "2021-06-15")

	group := telegramtest.GroupChat(500, "督办群")
	ms := h.sayIn(coordU, group, "/digestchat@duban_test_bot")
	mustContain(t, "/digestchat in the group", texts(ms), "本群已设为督办群")
	if v := setting(h, "digest_chat"); v != "-500" {
		t.Errorf("digest_chat = %q, want -500", v)
	}
	before := len(h.fake.Sent(group.ID))
	mustContain(t, "/digest in private", h.say(coordU, "/digest"), "周报已发到督办群")
	if sent := h.fake.Sent(group.ID)[before:]; len(sent) != 1 || !strings.Contains(sent[0].Text, "督办周报") {
		t.Errorf("group got %d messages after /digest, want the digest", len(sent))
	}
	ms = h.sayIn(coordU, group, "/digest@duban_test_bot")
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "督办周报") {
		t.Errorf("/digest@bot in the group answered %q, want the digest alone", texts(ms))
	}
	mustContain(t, "/digestchat in private", h.say(coordU, "/digestchat"), "请在督办群里发送")
	mustContain(t, "/digestchat off", h.say(coordU, "/digestchat off"), "已取消督办群")
	if v := setting(h, "digest_chat"); v != "" {
		t.Errorf("digest_chat after off = %q", v)
	}
}

func setting(h *harness, key string) string {
	var v string
	h.db.View(func(tx *store.Tx) error { v = tx.Setting(key); return nil })
	return v
}

func TestChat_Export(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(contactA, "/progress 4.1.3 40")
	ms := h.exchange(coordU.ID, func() string { return sendText(h, coordU, "/export") })
	if len(ms) != 1 || ms[0].Document == nil {
		t.Fatalf("/export answered %d messages, want one document", len(ms))
	}
	var n int
	h.db.View(func(tx *store.Tx) error { n = tx.TaskCount(); return nil })
	mustContain(t, "/export caption", ms[0].Caption, "责任清单，共"+itoa(int64(n))+"项")
	calls := h.fake.Calls("sendDocument")
	if len(calls) != 1 || len(calls[0].Files) != 1 {
		t.Fatalf("sendDocument calls = %d", len(calls))
	}
	f := calls[0].Files[0]
	if !strings.HasSuffix(f.Name, ".xlsx") {
		t.Errorf("document name %q, want .xlsx", f.Name)
	}
	x, err := excelize.OpenReader(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatalf("export does not open with excelize: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 {
		t.Errorf("export has %d rows, want header + %d tasks", len(rows), n)
	}
	var found bool
	for _, r := range rows {
		line := strings.Join(r, "|")
		if strings.HasPrefix(line, "4.1.3|") {
			found = true
			mustContain(t, "row 4.1.3", line, "完成85家挥发性有机物重点行业企业深度整治", deptA, "2021-12-31", "85", "推进中")
		}
	}
	if !found {
		t.Errorf("no row 4.1.3 in the export; header %v", rows[0])
	}
}

// sendText injects a private message and returns its settle key.
func sendText(h *harness, u telegramtest.User, text string) string {
	return "u" + itoa(h.fake.SendText(u, telegramtest.Chat{}, text))
}
