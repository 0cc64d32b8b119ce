package bot_test

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/duban-bureau/duban/store"
)

const markupText = "整治 <VOCs> & 臭氧 > 标准 <b>不是标签</b>"

func TestChat_Escaping(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	err := h.db.Update(func(tx *store.Tx) error {
		return tx.PutTask(&store.Task{ID: "4.1.7", Section: "四 & <一>", Text: markupText, Lead: deptA,
			Deadline: store.NewDate(2021, 6, 10), Status: store.StatusNotStarted})
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what, got string, want ...string) {
		t.Helper()
		mustContain(t, what, got, want...)
		if strings.Contains(got, "&amp;") || strings.Contains(got, "&lt;") {
			t.Errorf("%s shows escaped entities: %q", what, got)
		}
	}
	check("/task", h.say(contactA, "/task 4.1.7"), markupText)
	check("/my", h.say(contactA, "/my"), "整治 <VOCs> & 臭氧 > 标准")
	check("/overdue", h.say(coordU, "/overdue"), "整治 <VOCs> & 臭氧 > 标准")
	check("/note", h.say(contactA, "/note 4.1.7 a<b && c>d"), "最新进展：a<b && c>d")
	check("/extend", h.say(contactA, "/extend 4.1.7 2022-01-31 <原因> & 说明"), "已提交任务4.1.7延期至2022-01-31")
	check("extension request", h.last(coordU.ID).Text, markupText, "理由：<原因> & 说明")
	check("/remind", h.say(coordU, "/remind 4.1.7"), "已提醒")
	check("reminder", h.last(contactA.ID).Text, markupText)
	check("/stats", h.say(coordU, "/stats"), "各单位进展")
	check("/digest", h.say(coordU, "/digest"), "督办周报")
	check("/task <x>", h.say(contactA, "/task <x>&"), "没有编号为 <x>& 的任务")
	check("/overdue <x>", h.say(coordU, "/overdue <x>&"), "没有名为“<x>&”的单位")
	check("/depts add", h.say(coordU, "/depts add 督查&<室>"), "单位列表已更新")
	check("/depts", h.say(coordU, "/depts"), "督查&<室>：0 / 0")

	csv := "编号,工作任务,牵头单位,完成时限\n9.1.1,\"新任务 <a> & b > c\",大气环境与应对气候变化处,2021-09-30\n"
	ms := h.sendDoc(coordU, "清单 <1>&.csv", []byte(csv))
	if len(ms) != 1 {
		t.Fatalf("import answered %d messages", len(ms))
	}
	check("preview", ms[0].Text, "清单 <1>&.csv", "新增1项")
	h.press(coordU, ms[0].ID, button(t, ms[0], "确认导入"))
	check("/task 9.1.1", h.say(coordU, "/task 9.1.1"), "新任务 <a> & b > c")
	bad := "编号,工作任务,牵头单位,完成时限\n9.1.2,任务,<大气>&处,2021-09-30\n"
	check("refused import", texts(h.sendDoc(coordU, "坏<2>.csv", []byte(bad))), "无法导入坏<2>.csv", "未知单位“<大气>&处”")
}

func TestChat_English(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withLang("en"))
	mustContain(t, "/task", h.say(contactA, "/task 4.1.3"), "Lead: "+deptA, "Deadline: 2021-12-31", "Status: not started")
	mustContain(t, "/progress", h.say(contactA, "/progress 4.1.3 40"), "Progress saved.", "47%")
	mustContain(t, "/progress abc", h.say(contactA, "/progress 4.1.3 abc"), "Usage: /progress ID 60% or 40/85")
	mustContain(t, "/my", h.say(contactA, "/my"), "open tasks by deadline")
	mustContain(t, "/overdue", h.say(contactA, "/overdue"), "This needs a coordinator.")
	mustContain(t, "stranger", h.say(strangerU, "/start"), "You are not registered")
	mustContain(t, "/help", h.say(coordU, "/help"), "Commands:", "/due [days]")
	mustContain(t, "/stats", h.say(coordU, "/stats"), "By department")
	mustContain(t, "/digest", h.say(coordU, "/digest"), "Weekly digest")
	h.say(coordU, "/remind 4.1.3")
	r := h.last(contactA.ID)
	mustContain(t, "reminder", r.Text, "Reminder")
	button(t, r, "Done")
	if toast := h.press(contactA, r.ID, button(t, r, "Progress")); toast != "Reply to the message just sent." {
		t.Errorf("toast = %q", toast)
	}
}

func TestChat_LongListSplit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Add(time.Date(2022, 1, 5, 10, 0, 0, 0, shanghai).Sub(start))
	var overdue int
	h.db.View(func(tx *store.Tx) error {
		ts, err := tx.OverdueTasks(store.NewDate(2022, 1, 5))
		overdue = len(ts)
		return err
	})
	calls := len(h.fake.Calls("sendMessage"))
	got := h.say(coordU, "/overdue")
	parts := h.fake.Calls("sendMessage")[calls:]
	if utf8.RuneCountInString(got) <= 4096 || len(parts) < 2 {
		t.Fatalf("/overdue of %d tasks: %d characters in %d messages, want more than 4096 split", overdue, utf8.RuneCountInString(got), len(parts))
	}
	lines := 0
	for i, p := range parts {
		if n := utf8.RuneCountInString(p.Params["text"]); n > 4096 {
			t.Errorf("part %d has %d characters", i, n)
		}
		for j, line := range strings.Split(p.Params["text"], "\n") {
			if i == 0 && j == 0 {
				mustContain(t, "first line", line, "逾期任务</b>"+itoa(int64(overdue))+"项")
				continue
			}
			lines++
			if !strings.HasPrefix(line, "🔴 <b>") || !strings.Contains(line, "（已逾期") {
				t.Errorf("part %d line %d is not a whole task line: %q", i, j, line)
			}
		}
	}
	if lines != overdue {
		t.Errorf("%d task lines arrived, want %d", lines, overdue)
	}
}

func TestChat_BadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(contactA, "/progress 4.1.3 40")
	for _, tc := range []struct{ text, want string }{
		{"/progress 4.1.3 abc", "用法：/progress 编号 60% 或 40/85"},
		{"/progress", "用法：/progress 编号 60% 或 40/85"},
		{"/progress 4.1.3 50/40", "目标值是85家，只有督办员能用/target修改"},
		{"/progress 4.1.3 8.5", "完成数须为整数"},
		{"/progress 4.1.3 200%", "进度百分比须在0%到100%之间"},
		{"/deadline 4.1.3 明天", "用法：/deadline 编号 日期"},
		{"/deadline 4.1.3", "用法：/deadline 编号 日期"},
		{"/task 9.9.9", "没有编号为 9.9.9 的任务"},
		{"/task", "用法：/task 编号"},
		{"/done", "用法：/done 编号 [说明]"},
		{"/blocked 4.1.3", "用法：/blocked 编号 困难说明"},
		{"/note 4.1.3", "用法：/note 编号 进展说明"},
		{"/extend 4.1.3 某天 理由", "用法：/extend 编号 新日期 理由"},
		{"/extend 4.1.3 2021-12-31", "用法：/extend 编号 新日期 理由"},
		{"/assign 4.1.3", "用法：/assign 编号 牵头单位[、配合单位…]"},
		{"/close 9.9.9", "没有编号为 9.9.9 的任务"},
		{"/nosuch", "没有/nosuch这个命令"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			before, hist := *h.task("4.1.3"), len(h.history("4.1.3"))
			got := h.say(coordU, tc.text)
			if got != strings.TrimSpace(got) || strings.Contains(got, "\n") || !strings.Contains(got, tc.want) {
				t.Errorf("%s answered %q, want the one line %q", tc.text, got, tc.want)
			}
			if after := h.task("4.1.3"); !reflect.DeepEqual(*after, before) || len(h.history("4.1.3")) != hist {
				t.Errorf("%s changed 4.1.3: %+v → %+v", tc.text, before, *after)
			}
		})
	}
}
