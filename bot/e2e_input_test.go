package bot_test

import (
	"testing"

	"github.com/duban-bureau/duban/store"
)

// TestChat_Spacing: Chinese input methods type the ideographic space
// U+3000; people type two spaces. Every command reads both like one space.
func TestChat_Spacing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "/done", h.say(contactA, "/done 4.1.2\u3000提前完成"), "已标记完成")
	if task := h.task("4.1.2"); task.Status != store.StatusDone || task.Latest != "提前完成" {
		t.Errorf("4.1.2 = %s %q", task.Status, task.Latest)
	}
	mustContain(t, "/blocked", h.say(contactA, "/blocked 4.1.4\u3000资金未到位"), "已记录困难")
	if task := h.task("4.1.4"); task.Status != store.StatusBlocked || task.Latest != "资金未到位" {
		t.Errorf("4.1.4 = %s %q", task.Status, task.Latest)
	}
	mustContain(t, "/note", h.say(contactA, "/note  4.1.5  已召开协调会"), "已记录进展")
	if task := h.task("4.1.5"); task.Latest != "已召开协调会" {
		t.Errorf("4.1.5 latest = %q", task.Latest)
	}
	mustContain(t, "/note after U+3000", h.say(contactA, "/note\u30004.1.6\u3000设备 已订购"), "已记录进展")
	if task := h.task("4.1.6"); task.Latest != "设备 已订购" {
		t.Errorf("4.1.6 latest = %q", task.Latest)
	}
	for _, text := range []string{"/extend 4.1.3\u30002022-03-31\u3000设备延迟", "/extend 4.1.6  2022-03-31  设备延迟"} {
		mustContain(t, text, h.say(contactA, text), "延期至2022-03-31")
		mustContain(t, "request", h.last(coordU.ID).Text, "理由：设备延迟")
	}
	h.say(coordU, "/remind 4.1.1")
	r := h.last(contactA.ID)
	h.press(contactA, r.ID, button(t, r, "申请延期"))
	prompt := h.last(contactA.ID)
	mustContain(t, "reply", h.reply(contactA, prompt.ID, "2022-01-31\u3000设备延迟"), "已提交任务4.1.1延期至2022-01-31")
	mustContain(t, "request", h.last(coordU.ID).Text, "理由：设备延迟")
}

func TestChat_UnknownCommandEscaped(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "/<b>", h.say(contactA, "/<b>&"), "没有/<b>&这个命令")
}
