package bot_test

import (
	"strings"
	"testing"

	"github.com/duban-bureau/duban/store"
)

func TestChat_My(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(coordU, "/close 4.1.4 确认")
	h.say(coordU, "/deadline 4.1.6 2021-09-30")
	got := h.say(contactA, "/my")
	mustContain(t, "/my", got, deptA, "未完成任务8项", "4.1.3", "4.1.6", "3.1.1")
	for _, other := range []string{"4.1.4", "4.2.1", "6.3.2"} {
		if strings.Contains(got, "<b>"+other+"</b>") || strings.Contains(got, " "+other+" ") {
			t.Errorf("/my of %s lists %s:\n%s", deptA, other, got)
		}
	}
	// By deadline: 09-30 first, the continuous task last.
	i416, i413, i311 := strings.Index(got, "4.1.6"), strings.Index(got, "4.1.3"), strings.Index(got, "3.1.1")
	if !(i416 < i413 && i413 < i311) {
		t.Errorf("/my not by deadline (4.1.6 at %d, 4.1.3 at %d, continuous 3.1.1 at %d):\n%s", i416, i413, i311, got)
	}
}

func TestChat_ContactUpdates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	got := h.say(contactA, "/task 4.1.3")
	mustContain(t, "/task 4.1.3", got, "完成85家挥发性有机物重点行业企业深度整治", deptA, "2021-12-31", "0/85家")

	for _, tc := range []struct {
		arg      string
		pct      int
		current  float64
		shownPct string
	}{
		{"40", 47, 40, "进度 47% · 40/85家"},
		{"60%", 60, 51, "进度 60% · 51/85家"},
		{"40/85", 47, 40, "进度 47% · 40/85家"},
	} {
		t.Run("Progress "+tc.arg, func(t *testing.T) {
			got := h.say(contactA, "/progress 4.1.3 "+tc.arg)
			mustContain(t, "/progress 4.1.3 "+tc.arg, got, "已更新进度", tc.shownPct)
			task := h.task("4.1.3")
			if task.Progress != tc.pct || task.Current != tc.current || task.Status != store.StatusInProgress {
				t.Errorf("task = %d%% %v %s, want %d%% %v in_progress", task.Progress, task.Current, task.Status, tc.pct, tc.current)
			}
			h.lastEntry("4.1.3", contactA, "progress")
		})
	}

	t.Run("Done", func(t *testing.T) {
		mustContain(t, "/done", h.say(contactA, "/done 4.1.2 模式已建立"), "已标记完成", "待销号")
		task := h.task("4.1.2")
		if task.Status != store.StatusDone || task.Progress != 100 || task.Latest != "模式已建立" {
			t.Errorf("task 4.1.2 = %s %d%% %q, want done 100%% with the note", task.Status, task.Progress, task.Latest)
		}
		if e := h.lastEntry("4.1.2", contactA, "done"); e.Note != "模式已建立" {
			t.Errorf("done entry note = %q", e.Note)
		}
	})
	t.Run("Blocked", func(t *testing.T) {
		mustContain(t, "/blocked", h.say(contactA, "/blocked 4.1.4 资金未到位"), "已记录困难", "受阻", "资金未到位")
		if task := h.task("4.1.4"); task.Status != store.StatusBlocked || task.Latest != "资金未到位" {
			t.Errorf("task 4.1.4 = %s %q, want blocked", task.Status, task.Latest)
		}
		h.lastEntry("4.1.4", contactA, "blocked")
	})
	t.Run("Note", func(t *testing.T) {
		mustContain(t, "/note", h.say(contactA, "/note 4.1.5 已召开协调会"), "已记录进展", "已召开协调会")
		if task := h.task("4.1.5"); task.Status != store.StatusInProgress || task.Latest != "已召开协调会" {
			t.Errorf("task 4.1.5 = %s %q, want in progress with the note", task.Status, task.Latest)
		}
		h.lastEntry("4.1.5", contactA, "note")
	})
}

func TestChat_Extension(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(coordU, "/deadline 4.1.6 2021-09-30")

	// ask requests an extension of 4.1.6 and returns the request as the
	// coordinator sees it.
	ask := func(from, date, reason string) (msgID int, data string) {
		t.Helper()
		got := h.say(contactA, "/extend 4.1.6 "+date+" "+reason)
		mustContain(t, "/extend", got, "已提交任务4.1.6延期至"+date)
		h.lastEntry("4.1.6", contactA, "extend_request")
		for _, u := range []int64{coordU.ID, adminU.ID} {
			mustContain(t, "request to coordinators", h.last(u).Text, "延期申请", "4.1.6", "原时限："+from, date, reason)
		}
		m := h.last(coordU.ID)
		button(t, m, "驳回")
		return m.ID, button(t, m, "同意")
	}

	t.Run("Approve", func(t *testing.T) {
		id, data := ask("2021-09-30", "2021-12-31", "设备到货延迟")
		if toast := h.press(coordU, id, data); toast != "已同意" {
			t.Errorf("approve toast = %q", toast)
		}
		if d := h.task("4.1.6").Deadline.String(); d != "2021-12-31" {
			t.Errorf("deadline after approval = %s, want 2021-12-31", d)
		}
		e := h.lastEntry("4.1.6", coordU, "extend_approved")
		if len(e.Changes) != 1 || e.Changes[0].Old != "2021-09-30" || e.Changes[0].New != "2021-12-31" {
			t.Errorf("approval changes = %+v", e.Changes)
		}
		hist := h.history("4.1.6")
		if req := hist[len(hist)-2]; req.Kind != "extend_request" || req.By.UserID != contactA.ID {
			t.Errorf("entry before the approval = %+v, want the request", req)
		}
		mustContain(t, "coordinator's message after approval", h.last(coordU.ID).Text, "延期至2021-12-31的申请已同意")
		mustContain(t, "notice to the contact", h.last(contactA.ID).Text, "4.1.6", "已同意")
		if toast := h.press(coordU, id, data); toast != "该申请已处理过。" {
			t.Errorf("second approval toast = %q", toast)
		}
	})
	t.Run("Reject", func(t *testing.T) {
		id, data := ask("2021-12-31", "2022-03-31", "人手不足")
		reject := strings.Replace(data, "xa:", "xr:", 1)
		// A refusal asks the coordinator for the reason first.
		if toast := h.press(coordU, id, reject); toast != "请回复刚收到的消息。" {
			t.Errorf("reject toast = %q", toast)
		}
		prompt := h.last(coordU.ID)
		mustContain(t, "reason prompt", prompt.Text, "不同意任务4.1.6延期至2022-03-31的理由")
		hist := len(h.history("4.1.6"))
		mustContain(t, "reason", h.reply(coordU, prompt.ID, "年内必须完成"), "已驳回")
		if d := h.task("4.1.6").Deadline.String(); d != "2021-12-31" {
			t.Errorf("deadline after rejection = %s, want it unchanged", d)
		}
		if e := h.lastEntry("4.1.6", coordU, "extend_rejected"); !strings.Contains(e.Note, "年内必须完成") {
			t.Errorf("refusal entry note = %q, want the reason", e.Note)
		}
		if n := len(h.history("4.1.6")); n != hist+1 {
			t.Errorf("a refusal wrote %d history entries, want 1", n-hist)
		}
		mustContain(t, "notice to the contact", h.last(contactA.ID).Text, "未获同意", "理由：年内必须完成")
		if toast := h.press(coordU, id, reject); toast != "该申请已处理过。" {
			t.Errorf("second refusal toast = %q", toast)
		}
	})
	t.Run("ContactCannotApprove", func(t *testing.T) {
		id, data := ask("2021-12-31", "2022-01-31", "再议")
		if toast := h.press(contactA, id, data); toast != "此操作需要督办员权限。" {
			t.Errorf("contact approving: toast %q", toast)
		}
		if d := h.task("4.1.6").Deadline.String(); d != "2021-12-31" {
			t.Errorf("deadline after a contact's approval = %s, want unchanged", d)
		}
	})
}
