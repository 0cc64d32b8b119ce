package bot_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// dailyReminder lets the schedule run on the first day from mid-June 2021
// when contact A has several tasks, and returns that combined message as
// Telegram delivered it, with its task IDs.
func (h *harness) dailyReminder() (telegramtest.Message, []string) {
	h.t.Helper()
	p, cal := schedule.DefaultPolicy(), schedule.NewCalendar()
	var on store.Date
	var ids []string
	h.db.View(func(tx *store.Tx) error {
		s, err := schedule.LoadSnapshot(tx, nil, "zh", shanghai)
		if err != nil {
			h.t.Fatal(err)
		}
		for d := store.DateOf(start).AddDays(1); d < store.DateOf(start).AddDays(220) && on == 0; d = d.AddDays(1) {
			for _, r := range schedule.Preview(p, cal, s, d).Reminders {
				if r.ChatID == contactA.ID && r.Kind == store.KindDaily {
					on, ids = d, r.Tasks
				}
			}
		}
		return nil
	})
	if on == 0 {
		h.t.Fatal("no day with a combined reminder for contact A")
	}
	r := &schedule.Runner{DB: h.db, Policy: p, Cal: cal, Loc: shanghai, Lang: "zh", Now: h.clock.Now, Wake: h.app.Wake}
	h.clock.Add(on.In(shanghai).Add(8 * time.Hour).Sub(h.clock.Now()))
	if err := r.Tick(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	h.clock.Add(65 * time.Minute) // 09:05
	before := len(h.fake.Sent(contactA.ID))
	if err := r.Tick(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	h.settle("")
	sent := h.fake.Sent(contactA.ID)[before:]
	if len(sent) != 1 {
		h.t.Fatalf("contact A got %d messages on %s, want one combined reminder", len(sent), on)
	}
	return sent[0], ids
}

func TestChat_CombinedReminder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	msg, ids := h.dailyReminder()
	if len(ids) < 2 || !strings.Contains(msg.Text, "今日督办") || !strings.Contains(msg.Text, ids[1]) {
		t.Fatalf("combined reminder for %v:\n%s", ids, msg.Text)
	}
	id := ids[1]

	t.Run("ReplyNamingNoTask", func(t *testing.T) {
		n := len(h.history(id))
		got := h.reply(contactA, msg.ID, "60%")
		mustContain(t, "reply without an ID", got, "请在回复开头写上任务编号")
		mustContain(t, "reply without an ID", got, ids[0])
		if len(h.history(id)) != n {
			t.Errorf("a reply naming no task changed %s", id)
		}
	})
	t.Run("ReplyNamingTask", func(t *testing.T) {
		got := h.reply(contactA, msg.ID, id+" 60%")
		mustContain(t, "reply with an ID", got, "已更新进度")
		if task := h.task(id); task.Progress != 60 {
			t.Errorf("%s progress %d, want 60", id, task.Progress)
		}
		h.lastEntry(id, contactA, "progress")
		got = h.reply(contactA, msg.ID, ids[0]+"：完成")
		mustContain(t, "done with a full-width colon", got, "已标记完成")
		if task := h.task(ids[0]); task.Status != store.StatusDone {
			t.Errorf("%s status %s, want done", ids[0], task.Status)
		}
	})
	t.Run("ButtonKeepsTheMessage", func(t *testing.T) {
		id := ids[len(ids)-1]
		if got := h.press(contactA, msg.ID, "done:"+id); !strings.Contains(got, "已标记完成") {
			t.Errorf("done toast %q", got)
		}
		if task := h.task(id); task.Status != store.StatusDone {
			t.Errorf("%s status %s after the button", id, task.Status)
		}
		if m, ok := h.fake.Message(contactA.ID, msg.ID); !ok || !strings.Contains(m.Text, "今日督办") {
			t.Errorf("the combined reminder was replaced by one task's card:\n%s", m.Text)
		}
		if len(h.fake.Calls("editMessageText")) != 0 {
			t.Errorf("a button on the combined reminder edited a message")
		}
	})
	t.Run("Ack", func(t *testing.T) {
		if got := h.press(contactA, msg.ID, "ack:*"); !strings.Contains(got, "已收到") {
			t.Errorf("ack toast %q", got)
		}
		for _, id := range ids {
			if e := h.history(id); e[len(e)-1].Kind != "ack" || e[len(e)-1].By.UserID != contactA.ID {
				t.Errorf("%s last entry %+v, want the ack", id, e[len(e)-1])
			}
		}
		var acks map[string]time.Time
		h.db.View(func(tx *store.Tx) (err error) { acks, err = schedule.LoadAcks(tx); return err })
		if acks[h.task(id).Key()].IsZero() { // keyed by the task's store key
			t.Errorf("ack not recorded for the ladder: %v", acks)
		}
	})
}

func TestChat_HeadScoreNotice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	got := h.say(coordU, "/invite "+deptA+" head")
	mustContain(t, "/invite head", got, deptA+" 负责人")
	i := strings.Index(got, "start=")
	if i < 0 {
		t.Fatalf("no invite link in %q", got)
	}
	token := strings.FieldsFunc(got[i+len("start="):], func(r rune) bool { return r == '"' || r == '<' || r == ' ' || r == '\n' })[0]
	mustContain(t, "registering a head", h.say(newcomerU, "/start "+token), "部门负责人")
	var c *store.Contact
	h.db.View(func(tx *store.Tx) (err error) { c, err = tx.Contact(newcomerU.ID); return err })
	if c == nil || c.Role != store.RoleHead || c.Dept != deptA {
		t.Fatalf("head registered as %+v", c)
	}
	mustContain(t, "head /my", h.say(newcomerU, "/my"), "4.1.3")
	mustContain(t, "/invite unknown head", h.say(coordU, "/invite 不存在处 head"), "没有名为")

	mustContain(t, "/score", h.say(coordU, "/score"), "按时完成率")
	mustContain(t, "/score by a contact", h.say(contactA, "/score"), "督办员")
	mustContain(t, "/notice unknown", h.say(coordU, "/notice 2021-001"), "没有编号为2021-001的催办单")
	mustContain(t, "/notice bad", h.say(coordU, "/notice"), "/notice")
}

// TestChat_DigestAttachesLedger: /digest on a list whose sections are cut
// at 20 lines sends the 台账 after it, a workbook with the on-time sheet.
func TestChat_DigestAttachesLedger(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Add(50 * 24 * time.Hour) // every task 50 days without an update: the stale list is cut
	before := len(h.fake.Calls("sendDocument"))
	got := h.say(coordU, "/digest")
	mustContain(t, "/digest", got, "……另有")
	mustContain(t, "/digest", got, "见附件《督办台账》")
	docs := h.fake.Calls("sendDocument")[before:]
	if len(docs) != 1 {
		t.Fatalf("%d documents after /digest, want the 台账", len(docs))
	}
	sent := h.fake.Sent(coordU.ID)
	last := sent[len(sent)-1]
	if last.Document == nil || !strings.HasPrefix(last.Document.FileName, "督办台账-") {
		t.Fatalf("the last message is %+v, want the 台账 after the digest", last)
	}
	_, data, ok := h.fake.File(last.Document.FileID)
	if !ok {
		t.Fatal("the fake has no file for the 台账")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(bot.ScoreSheet)
	if err != nil || len(rows) < 2 || rows[0][0] != "单位" || rows[len(rows)-1][0] != "合计" {
		t.Errorf("on-time sheet rows %v (%v)", rows, err)
	}
}
