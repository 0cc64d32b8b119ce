package bot_test

import (
	"context"
	"sync"
	"testing"

	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

func TestChat_Group(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	group := telegramtest.GroupChat(600, "大气处工作群")

	for _, text := range []string{"/my@duban_test_bot", "/my", "/MY@Duban_Test_Bot"} {
		ms := h.sayIn(contactA, group, text)
		if len(ms) != 1 {
			t.Fatalf("%s in a group answered %d messages, want 1", text, len(ms))
		}
		mustContain(t, text+" in a group", ms[0].Text, deptA, "4.1.3")
		if ms[0].ReplyToMessage == nil || ms[0].ReplyToMessage.From.ID != contactA.ID {
			t.Errorf("%s: the answer does not reply to the command", text)
		}
	}
	for _, text := range []string{"/my@otherbot", "/task@other_bot 4.1.3", "/foo", "大家好", "60%"} {
		if ms := h.sayIn(contactA, group, text); len(ms) != 0 {
			t.Errorf("%q in a group answered %q, want silence", text, texts(ms))
		}
	}
	if ms := h.exchange(group.ID, func() string {
		return "u" + itoa(h.fake.SendDocument(coordU, group, "清单.csv", []byte(importCSV)))
	}); len(ms) != 0 {
		t.Errorf("a document in a group answered %q", texts(ms))
	}

	// A reply to the bot's own card updates the task; a reply to a person
	// is not for the bot.
	card := h.sayIn(contactA, group, "/task@duban_test_bot 4.1.3")[0]
	mustContain(t, "reply to the card", h.replyIn(contactA, group, card.ID, "60%"), "已更新进度")
	if task := h.task("4.1.3"); task.Progress != 60 {
		t.Errorf("progress after a group reply = %d", task.Progress)
	}
	h.lastEntry("4.1.3", contactA, "progress")
	userMsg := h.fake.Messages(group.ID)[0]
	if got := h.replyIn(contactB, group, userMsg.ID, "80%"); got != "" {
		t.Errorf("reply to a person answered %q", got)
	}
	if task := h.task("4.1.3"); task.Progress != 60 {
		t.Errorf("progress after a reply to a person = %d", task.Progress)
	}
}

func TestChat_Duplicate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	update := func(id int64, text string) *telegramtest.Update {
		chat := telegramtest.PrivateChat(contactA)
		from := contactA
		return &telegramtest.Update{ID: id, Message: &telegramtest.Message{ID: 7000 + int(id%1000), From: &from, Chat: chat, Text: text}}
	}
	before := len(h.fake.Sent(contactA.ID))
	hist := len(h.history("4.1.3"))

	u := adapterUpdate(t, update(900001, "/note 4.1.3 第一次"))
	first := telegram.HandleUpdate(context.Background(), h.app, u)
	second := telegram.HandleUpdate(context.Background(), h.app, u)
	if first.Outcome != "ok" || second.Outcome != "duplicate" {
		t.Errorf("outcomes = %q, %q; want ok, duplicate", first.Outcome, second.Outcome)
	}

	// Two deliveries at once (a webhook retry racing the first).
	u = adapterUpdate(t, update(900002, "/note 4.1.3 第二次"))
	var wg sync.WaitGroup
	outcomes := make([]string, 2)
	for i := range outcomes {
		wg.Add(1)
		go func() { defer wg.Done(); outcomes[i] = telegram.HandleUpdate(context.Background(), h.app, u).Outcome }()
	}
	wg.Wait()
	if !(outcomes[0] == "ok" && outcomes[1] == "duplicate" || outcomes[0] == "duplicate" && outcomes[1] == "ok") {
		t.Errorf("concurrent outcomes = %v, want one ok and one duplicate", outcomes)
	}
	h.settle("")

	if n := len(h.history("4.1.3")) - hist; n != 2 {
		t.Errorf("%d history entries for two updates delivered twice each, want 2", n)
	}
	if n := len(h.fake.Sent(contactA.ID)) - before; n != 2 {
		t.Errorf("%d replies for two updates delivered twice each, want 2", n)
	}
	if task := h.task("4.1.3"); task.Latest != "第二次" || task.Status != store.StatusInProgress {
		t.Errorf("task = %s %q", task.Status, task.Latest)
	}

	// The poller confirms each update only once handled; later updates still
	// flow after the direct deliveries above.
	mustContain(t, "after duplicates", h.say(contactA, "/task 4.1.3"), "第二次")
}
