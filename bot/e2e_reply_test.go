package bot_test

import (
	"testing"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// userMsg returns the ID of the user's latest message in their private chat.
func (h *harness) userMsg(u telegramtest.User) int {
	h.t.Helper()
	ms := h.fake.Messages(u.ID)
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].From != nil && ms[i].From.ID == u.ID {
			return ms[i].ID
		}
	}
	h.t.Fatalf("no message from user %d", u.ID)
	return 0
}

func TestChat_Replies(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(contactA, "/task 4.1.3")
	card := h.last(contactA.ID)
	h.say(coordU, "/remind 4.1.3")
	reminder := h.last(contactA.ID)

	for _, tc := range []struct {
		name    string
		to      *telegramtest.Message
		text    string
		kind    string
		status  store.Status
		pct     int
		latest  string
		wantMsg string
	}{
		{"CardPercent", &card, "60%", "progress", store.StatusInProgress, 60, "", "已更新进度"},
		{"ReminderCount", &reminder, "40/85", "progress", store.StatusInProgress, 47, "", "40/85家"},
		{"ReminderNote", &reminder, "已完成30家现场检查", "note", store.StatusInProgress, 47, "已完成30家现场检查", "已记录进展"},
		{"ReminderDoneZh", &reminder, "完成", "done", store.StatusDone, 100, "已完成30家现场检查", "已标记完成"},
		{"CardDoneEn", &card, "done", "done", store.StatusDone, 100, "已完成30家现场检查", "已标记完成"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "CardDoneEn" {
				h.say(coordU, "/reopen 4.1.3")
			}
			got := h.reply(contactA, tc.to.ID, tc.text)
			mustContain(t, "reply "+tc.text, got, tc.wantMsg)
			task := h.task("4.1.3")
			if task.Status != tc.status || task.Progress != tc.pct || task.Latest != tc.latest {
				t.Errorf("task = %s %d%% %q, want %s %d%% %q", task.Status, task.Progress, task.Latest, tc.status, tc.pct, tc.latest)
			}
			if e := h.lastEntry("4.1.3", contactA, tc.kind); e.By.MessageID != h.userMsg(contactA) {
				t.Errorf("entry message ID %d, want the reply's %d", e.By.MessageID, h.userMsg(contactA))
			}
		})
	}
	t.Run("NotAReply", func(t *testing.T) {
		nHist := len(h.history("4.1.3"))
		mustContain(t, "plain text", h.say(contactA, "60%"), "请回复提醒消息")
		if n := len(h.history("4.1.3")); n != nHist {
			t.Errorf("plain text changed history: %d → %d entries", nHist, n)
		}
	})
}

func TestChat_ReminderButtons(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	remind := func(id string) telegramtest.Message {
		t.Helper()
		h.say(coordU, "/remind "+id)
		return h.last(contactA.ID)
	}

	t.Run("Done", func(t *testing.T) {
		r := remind("4.1.3")
		toast := h.press(contactA, r.ID, button(t, r, "已完成"))
		if toast != "已标记完成，待督办员审核销号。" {
			t.Errorf("toast = %q", toast)
		}
		edited, _ := h.fake.Message(contactA.ID, r.ID)
		mustContain(t, "reminder after 已完成", edited.Text, "4.1.3", "状态：待销号", "进度 100%")
		button(t, edited, "更新进度")
		if s := h.task("4.1.3").Status; s != store.StatusDone {
			t.Errorf("status = %s, want done", s)
		}
		if e := h.lastEntry("4.1.3", contactA, "done"); e.By.MessageID != r.ID {
			t.Errorf("entry message ID %d, want the reminder's %d", e.By.MessageID, r.ID)
		}
	})
	t.Run("Progress", func(t *testing.T) {
		r := remind("4.1.2")
		if toast := h.press(contactA, r.ID, button(t, r, "更新进度")); toast != "请回复刚收到的消息。" {
			t.Errorf("toast = %q", toast)
		}
		prompt := h.last(contactA.ID)
		mustContain(t, "prompt", prompt.Text, "请直接回复本消息，填写任务4.1.2的进度")
		if prompt.ReplyToMessage == nil || prompt.ReplyToMessage.ID != r.ID {
			t.Errorf("prompt does not reply to the reminder")
		}
		mustContain(t, "reply 30%", h.reply(contactA, prompt.ID, "30%"), "已更新进度", "进度 30%")
		if task := h.task("4.1.2"); task.Progress != 30 || task.Status != store.StatusInProgress {
			t.Errorf("4.1.2 = %s %d%%", task.Status, task.Progress)
		}
		h.lastEntry("4.1.2", contactA, "progress")
	})
	t.Run("Extend", func(t *testing.T) {
		r := remind("4.1.4")
		h.press(contactA, r.ID, button(t, r, "申请延期"))
		prompt := h.last(contactA.ID)
		mustContain(t, "prompt", prompt.Text, "申请延期任务4.1.4")
		mustContain(t, "reply", h.reply(contactA, prompt.ID, "2022-01-31 设备延迟"), "已提交任务4.1.4延期至2022-01-31")
		if e := h.lastEntry("4.1.4", contactA, "extend_request"); e.Note == "" {
			t.Errorf("request entry has no note")
		}
		req := h.last(coordU.ID)
		mustContain(t, "request", req.Text, "延期申请", "4.1.4", "2022-01-31", "设备延迟")
		h.press(coordU, req.ID, button(t, req, "同意"))
		if d := h.task("4.1.4").Deadline.String(); d != "2022-01-31" {
			t.Errorf("deadline = %s after approval", d)
		}
	})
	t.Run("Blocked", func(t *testing.T) {
		r := remind("4.1.5")
		h.press(contactA, r.ID, button(t, r, "遇到困难"))
		prompt := h.last(contactA.ID)
		mustContain(t, "prompt", prompt.Text, "说明任务4.1.5遇到的困难")
		mustContain(t, "reply", h.reply(contactA, prompt.ID, "需要跨部门协调"), "已记录困难")
		if task := h.task("4.1.5"); task.Status != store.StatusBlocked || task.Latest != "需要跨部门协调" {
			t.Errorf("4.1.5 = %s %q", task.Status, task.Latest)
		}
		h.lastEntry("4.1.5", contactA, "blocked")
	})
	t.Run("OtherDepartment", func(t *testing.T) {
		h.say(contactA, "/task 4.2.1")
		if m := h.last(contactA.ID); m.ReplyMarkup != nil {
			t.Errorf("card of another department's task offers buttons")
		}
		before := *h.task("4.2.1")
		toast := h.press(contactA, 1, "done:4.2.1")
		mustContain(t, "toast", toast, "不属于您的单位", "水生态环境处")
		if after := h.task("4.2.1"); after.Status != before.Status || after.Progress != before.Progress {
			t.Errorf("another department's task changed: %s %d%%", after.Status, after.Progress)
		}
	})
	t.Run("Stranger", func(t *testing.T) {
		if toast := h.press(strangerU, 1, "done:4.1.6"); toast != "此操作需要联络员身份：请通过督办员发来的邀请链接登记。" {
			t.Errorf("stranger's toast = %q", toast)
		}
		if s := h.task("4.1.6").Status; s != store.StatusNotStarted {
			t.Errorf("stranger changed 4.1.6 to %s", s)
		}
	})
	if n, presses := len(h.fake.Callbacks()), len(h.fake.Calls("answerCallbackQuery")); n != presses || n != 7 {
		t.Errorf("%d callbacks answered in %d calls, want the 7 presses once each", n, presses)
	}
}
