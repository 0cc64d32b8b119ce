package bot_test

import (
	"reflect"
	"testing"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

const importCSV = "编号,章节,工作任务,牵头单位,配合单位,完成时限,目标值,计量单位\n" +
	"4.1.3,四、深入打好污染防治攻坚战,完成85家挥发性有机物重点行业企业深度整治。,大气环境与应对气候变化处,执法局,2021-10-31,85,家\n" +
	"8.1.1,八、新增任务,开展臭氧污染成因分析。,大气环境与应对气候变化处,,三季度末,,\n"

// snapshot is every task and the count of history entries, to show that
// something changed nothing.
func snapshot(h *harness) (map[string]store.Task, int) {
	h.t.Helper()
	tasks := map[string]store.Task{}
	n := 0
	h.db.View(func(tx *store.Tx) error {
		ts, err := tx.Tasks()
		for _, t := range ts {
			tasks[t.ID] = *t
			hist, _ := tx.History(t.ID)
			n += len(hist)
		}
		return err
	})
	return tasks, n
}

func TestChat_Import(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before, nHist := snapshot(h)

	preview := func(name, data string) telegramtest.Message {
		t.Helper()
		ms := h.sendDoc(coordU, name, []byte(data))
		if len(ms) != 1 {
			t.Fatalf("document answered %d messages, want one preview", len(ms))
		}
		mustContain(t, "preview", ms[0].Text, "导入预览", name, "共2项：新增1项，更新1项，未变0项")
		return ms[0]
	}

	t.Run("Cancel", func(t *testing.T) {
		m := preview("清单.csv", importCSV)
		if toast := h.press(coordU, m.ID, button(t, m, "取消")); toast != "已取消" {
			t.Errorf("cancel toast = %q", toast)
		}
		mustContain(t, "preview after cancel", h.fake.Sent(coordU.ID)[len(h.fake.Sent(coordU.ID))-1].Text, "已取消导入清单.csv")
		if after, n := snapshot(h); !reflect.DeepEqual(after, before) || n != nHist {
			t.Errorf("cancel changed the store (%d tasks, %d entries; before %d, %d)", len(after), n, len(before), nHist)
		}
		if toast := h.press(coordU, m.ID, button(t, m, "确认导入")); toast != "该导入已处理或已过期。" {
			t.Errorf("confirm after cancel: toast %q", toast)
		}
	})
	t.Run("Confirm", func(t *testing.T) {
		m := preview("清单2.csv", importCSV)
		if toast := h.press(coordU, m.ID, button(t, m, "确认导入")); toast != "已导入" {
			t.Errorf("confirm toast = %q", toast)
		}
		got, _ := h.fake.Message(coordU.ID, m.ID)
		mustContain(t, "preview after confirm", got.Text, "已导入清单2.csv：新增1项，更新1项，未变0项")
		if got.ReplyMarkup != nil && len(got.ReplyMarkup.InlineKeyboard) > 0 {
			t.Errorf("confirmed preview still has buttons")
		}
		task := h.task("4.1.3")
		if task.Deadline.String() != "2021-10-31" || len(task.CoDepts) != 1 || task.CoDepts[0] != "执法局" {
			t.Errorf("4.1.3 after import: deadline %s co %v", task.Deadline, task.CoDepts)
		}
		if nt := h.task("8.1.1"); nt.Deadline.String() != "2021-09-30" || nt.Lead != deptA {
			t.Errorf("8.1.1 after import: %+v", nt)
		}
		hist := h.history("4.1.3")
		e := hist[len(hist)-1]
		if e.Kind != "import" || e.By.UserID != coordU.ID || e.By.Via != "import" {
			t.Errorf("import entry = %+v", e)
		}
		if toast := h.press(coordU, m.ID, button(t, m, "确认导入")); toast != "该导入已处理或已过期。" {
			t.Errorf("second confirm: toast %q", toast)
		}
	})
}

func TestChat_ImportRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before, nHist := snapshot(h)
	bad := "编号,工作任务,牵头单位,完成时限\n" +
		"9.1.1,一项任务,大气处,2021-09-30\n" +
		"9.1.2,另一项,执法局,明年某天\n" +
		"9.1.3,好的一项,执法局,2021-09-30\n"
	var key string
	ms := h.exchange(coordU.ID, func() string {
		key = "u" + itoa(h.fake.SendDocument(coordU, telegramtest.Chat{}, "bad.csv", []byte(bad)))
		return key
	})
	if len(ms) != 1 {
		t.Fatalf("bad document answered %d messages", len(ms))
	}
	mustContain(t, "bad CSV", ms[0].Text, "无法导入bad.csv，未做任何修改", "2 处错误",
		"第2行 牵头单位: 未知单位“大气处”（是否为“大气环境与应对气候变化处”？）", "第3行 完成时限")
	if ms[0].ReplyMarkup != nil {
		t.Errorf("refused import offers buttons")
	}
	var staged []byte
	h.db.View(func(tx *store.Tx) error { staged, _ = tx.Staged(key); return nil })
	if staged != nil {
		t.Errorf("refused import was staged")
	}
	if after, n := snapshot(h); !reflect.DeepEqual(after, before) || n != nHist {
		t.Errorf("refused import changed the store")
	}

	got := texts(h.sendDoc(contactA, "清单.csv", []byte(importCSV)))
	mustContain(t, "contact's import", got, "需要督办员权限")
	if after, _ := snapshot(h); !reflect.DeepEqual(after, before) {
		t.Errorf("contact's document changed the store")
	}
}
