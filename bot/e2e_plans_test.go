package bot_test

import (
	"strings"
	"testing"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
)

// TestChat_Plans: /plans lists the plans; with next year's plan imported
// a bare ID both plans hold is answered with the candidates, a qualified
// one works, and this year's progress is untouched.
func TestChat_Plans(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "/plans", h.say(coordU, "/plans"), "计划", "2021", "86项", "进行中")
	mustContain(t, "progress", h.say(contactA, "/progress 4.1.3 40%"), "已更新进度")
	err := h.db.Update(func(tx *store.Tx) error {
		im, err := intake.Read(tx, seeds.BundledName, seeds.Bundled(), intake.Options{Year: 2022})
		if err != nil {
			return err
		}
		_, err = im.Apply(tx, intake.ApplyOptions{By: store.Actor{Via: "import"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "/plans with two", h.say(coordU, "/plans"), "• 2021 2021年", "• 2022 2022年")
	mustContain(t, "an ambiguous bare ID", h.say(contactA, "/progress 4.1.3 50%"), "2021/4.1.3", "2022/4.1.3")
	mustContain(t, "/my over two plans names each task's plan", h.say(contactA, "/my"), "2021/4.1.3", "2022/4.1.3")
	mustContain(t, "a qualified ID", h.say(contactA, "/progress 2022/4.1.3 10%"), "已更新进度", "2022/4.1.3")
	if task := h.task("2021/4.1.3"); task.Progress != 40 {
		t.Errorf("2021/4.1.3 at %d%%, want 40 (untouched by next year)", task.Progress)
	}
	if task := h.task("2022/4.1.3"); task.Progress != 10 {
		t.Errorf("2022/4.1.3 at %d%%, want 10", task.Progress)
	}
}

// TestChat_RemoveTask: a coordinator removes a task with a reason; it
// leaves /my and /overdue; /restore brings it back with its history.
func TestChat_RemoveTask(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "my before", h.say(contactA, "/my"), "4.1.6")
	mustContain(t, "no reason", h.say(coordU, "/remove 4.1.6"), "须写明原因")
	mustContain(t, "a contact may not", h.say(contactA, "/remove 4.1.6 不做了"), "督办员")
	mustContain(t, "remove", h.say(coordU, "/remove 4.1.6 与4.1.5合并办理"), "已删除任务4.1.6", "/restore")
	if got := h.say(contactA, "/my"); strings.Contains(got, "4.1.6") {
		t.Errorf("/my still lists the removed 4.1.6:\n%s", got)
	}
	mustContain(t, "task after removal", h.say(contactA, "/task 4.1.6"), "已删除")
	mustContain(t, "restore", h.say(coordU, "/restore 4.1.6"), "已恢复任务4.1.6")
	mustContain(t, "my after", h.say(contactA, "/my"), "4.1.6")
	hist := h.history("4.1.6")
	if n := len(hist); n < 3 || hist[n-2].Kind != "remove" || hist[n-2].Note != "与4.1.5合并办理" || hist[n-2].By.UserID != coordU.ID || hist[n-1].Kind != "restore" {
		t.Errorf("history after remove+restore = %+v", hist)
	}
}

// TestChat_ImportCarriesOver: next year's plan sent in chat offers
// 导入并结转 while this year's plan has unfinished work; pressing it moves
// those tasks into the new plan with their history, marked 结转.
func TestChat_ImportCarriesOver(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "progress", h.say(contactA, "/progress 4.1.3 40%"), "已更新进度")
	mustContain(t, "close", h.say(coordU, "/close 4.1.4"), "4.1.4")
	next := strings.ReplaceAll(string(seeds.Bundled()), "2021年", "2022年")
	h.sendDoc(coordU, "2022年工作要点.txt", []byte(next))
	preview := h.last(coordU.ID)
	mustContain(t, "the preview", preview.Text, "导入并结转")
	data := button(t, preview, "导入并结转")
	mustContain(t, "the carry-over", h.press(coordU, preview.ID, data), "导入")
	mustContain(t, "the result", h.last(coordU.ID).Text, "结转")
	carried := h.task("2022/2021-4.1.3")
	if carried.CarriedFrom != "2021/4.1.3" || carried.Progress != 40 {
		t.Errorf("carried task = %+v; want 2021's 4.1.3 at 40%%, marked as carried", carried)
	}
	hist := h.history("2022/2021-4.1.3")
	if len(hist) < 3 || hist[len(hist)-1].Kind != "carry_over" || hist[len(hist)-2].Kind != "progress" {
		t.Errorf("carried task's history = %+v; want its own history, then the carry-over", hist)
	}
	if task := h.task("2022/4.1.3"); task.Progress != 0 {
		t.Errorf("2022's own 4.1.3 at %d%%", task.Progress)
	}
	mustContain(t, "a closed task stays", h.say(coordU, "/task 2021/4.1.4"), "4.1.4")
}
