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
	mustContain(t, "a qualified ID", h.say(contactA, "/progress 2022/4.1.3 10%"), "已更新进度")
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
