package bot_test

import (
	"bytes"
	"context"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
	"github.com/duban-bureau/duban/store/storetest"
)

// TestChat_PoisonXLSX is issue 9's poison upload: 4,000 rows padded to
// column XFD. The coordinator gets one refusal naming the column and the
// limit, nothing is staged or changed, and the update is marked handled so
// a re-delivery (after a restart) is a duplicate, not a second attempt.
func TestChat_PoisonXLSX(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before, nHist := snapshot(h)
	var id int64
	ms := h.exchange(coordU.ID, func() string {
		id = h.fake.SendDocument(coordU, telegramtest.Chat{}, "清单.xlsx", storetest.WideXLSX(4000, false))
		return "u" + strconv.FormatInt(id, 10)
	})
	if len(ms) != 1 {
		t.Fatalf("poison file answered %d messages, want one refusal: %s", len(ms), texts(ms))
	}
	mustContain(t, "refusal", ms[0].Text, "无法导入清单.xlsx", "XFD", "64 列")
	if ms[0].ReplyMarkup != nil && len(ms[0].ReplyMarkup.InlineKeyboard) > 0 {
		t.Errorf("refusal carries buttons: %+v", ms[0].ReplyMarkup)
	}
	if after, n := snapshot(h); !reflect.DeepEqual(after, before) || n != nHist {
		t.Errorf("refused file changed the store")
	}
	h.db.View(func(tx *store.Tx) error {
		if !tx.SeenUpdate(id) {
			t.Errorf("update %d not marked handled: it would come back after a restart", id)
		}
		return nil
	})
	// The same update delivered again (Telegram re-sends what was not
	// confirmed) is recognised and not parsed again.
	res := telegram.HandleUpdate(context.Background(), h.app, adapterUpdate(t, &telegramtest.Update{ID: id, Message: &telegramtest.Message{ID: 99,
		From: &coordU, Chat: telegramtest.Chat{ID: coordU.ID, Type: telegramtest.ChatTypePrivate},
		Document: &telegramtest.Document{FileID: "gone", FileName: "清单.xlsx", FileSize: 100}}}))
	if res.Outcome != "duplicate" {
		t.Errorf("re-delivered poison update: outcome %q, want duplicate", res.Outcome)
	}
	if n := len(h.fake.Calls("getFile")); n != 1 {
		t.Errorf("%d getFile calls, want 1: the re-delivery must not fetch the file again", n)
	}
}

// TestChat_DocumentsRefusedBeforeDownload: a stranger's or a contact's
// document, a file of another type and an oversized one are refused
// without a getFile call; a coordinator's list is fetched once.
func TestChat_DocumentsRefusedBeforeDownload(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(a *bot.App) { a.MaxImportBytes = 1 << 20 })
	for _, c := range []struct {
		who        telegramtest.User
		name, want string
		data       []byte
	}{
		{strangerU, "清单.csv", "督办员", []byte(importCSV)},
		{contactA, "清单.csv", "督办员", []byte(importCSV)},
		{coordU, "照片.pdf", "不支持照片.pdf", []byte("%PDF-1.4")},
		{coordU, "大清单.csv", "超过1 MB", bytes.Repeat([]byte("x"), 1<<20+1)},
	} {
		got := texts(h.sendDoc(c.who, c.name, c.data))
		mustContain(t, c.name+" from "+c.who.FirstName, got, c.want)
		if n := len(h.fake.Calls("getFile")); n != 0 {
			t.Fatalf("%s from %s: %d getFile calls, want none before the refusal", c.name, c.who.FirstName, n)
		}
	}
	mustContain(t, "coordinator's list", texts(h.sendDoc(coordU, "清单.csv", []byte(importCSV))), "导入预览")
	if n := len(h.fake.Calls("getFile")); n != 1 {
		t.Errorf("coordinator's list: %d getFile calls, want 1", n)
	}
}

// TestChat_HostileValues: values that would break export and re-import are
// refused in chat with one clear sentence and change nothing.
func TestChat_HostileValues(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before, nHist := snapshot(h)
	for _, c := range []struct{ text, want string }{
		{"/progress 4.1.3 0/Inf", "用法"},
		{"/progress 4.1.3 NaN%", "用法"},
		{"/progress 4.1.3 1e999", "用法"},
		{"/progress 4.1.3 +Inf", "用法"},
		{"/note 4.1.3 进展\x00顺利", "控制字符"},
		{"/note 4.1.3 进展\x1b[31m顺利", "控制字符"},
		{"/note 4.1.3 进展\u202e顺利", "不可见字符"},
		{"/blocked 4.1.3 资金\x01未到位", "控制字符"},
		{"/extend 4.1.3 9999-12-31 需要时间", "2000–2100"},
	} {
		mustContain(t, c.text, h.say(contactA, c.text), c.want)
	}
	for _, c := range []struct{ text, want string }{
		{"/deadline 4.1.3 0001-01-01", "2000–2100"},
		{"/deadline 4.1.3 9999-12-31", "2000–2100"},
		{"/depts add 督办员", "角色"},
		{"/depts add Coordinator", "角色"},
		{"/depts add 办公室\u200b", "不可见字符"},
		{"/depts add \ufeff综合处", "不可见字符"},
	} {
		mustContain(t, c.text, h.say(coordU, c.text), c.want)
	}
	if after, n := snapshot(h); !reflect.DeepEqual(after, before) || n != nHist {
		t.Errorf("refused input changed the store")
	}
	h.db.View(func(tx *store.Tx) error {
		for _, d := range tx.DepartmentNames() {
			if d == "督办员" || strings.EqualFold(d, "coordinator") || strings.ContainsAny(d, "\u200b\ufeff") {
				t.Errorf("department %q was added", d)
			}
		}
		return nil
	})
}

// TestChat_HugeText: a 1M-character note and a 300k-character block are
// refused at the limit in one message, not split into hundreds.
func TestChat_HugeText(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, c := range []struct{ cmd, text string }{
		{"/note 4.1.3 ", strings.Repeat("很", 1_000_000)},
		{"/blocked 4.1.3 ", strings.Repeat("难", 300_000)},
	} {
		ms := h.exchange(contactA.ID, func() string {
			return "u" + strconv.FormatInt(h.fake.SendText(contactA, telegramtest.Chat{}, c.cmd+c.text), 10)
		})
		if len(ms) != 1 {
			t.Fatalf("%s…: %d replies, want one refusal", c.cmd, len(ms))
		}
		mustContain(t, c.cmd, ms[0].Text, "2000个字符")
	}
	if got := h.task("4.1.3").Latest; len(got) > 3*store.MaxNoteRunes {
		t.Errorf("a note of %d bytes was stored", len(got))
	}
}

// TestChat_FullWidthID: an ID typed with a full-width input method finds
// the task.
func TestChat_FullWidthID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "/progress ４.１.３", h.say(contactA, "/progress ４.１.３ 60%"), "4.1.3")
	if got := h.task("4.1.3").Progress; got != 60 {
		t.Errorf("progress = %d, want 60", got)
	}
}

// TestChat_ButtonMetrics: refused and unknown buttons count as refused,
// and forged callback data never becomes a label of its own.
func TestChat_ButtonMetrics(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []bot.Result
	h := newHarness(t, func(a *bot.App) {
		a.Observe = func(r bot.Result, _ time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, r)
		}
	})
	for i, c := range []struct {
		who  telegramtest.User
		data string
	}{
		{strangerU, "done:4.1.3"},              // a stranger presses a real button
		{contactA, "imp:u1"},                   // a contact presses a coordinator's button
		{contactA, "zz" + strconv.Itoa(77777)}, // forged data
		{contactA, "\u202e<script>:1"},         // forged data
		{coordU, "nosuchkind:42"},              // forged data, even from a coordinator
	} {
		h.press(c.who, 1, c.data)
		mu.Lock()
		got := seen[len(seen)-1]
		mu.Unlock()
		if got.Outcome != "refused" {
			t.Errorf("press %d (%q by %s): outcome %q, want refused", i, c.data, c.who.FirstName, got.Outcome)
		}
		if !knownLabel[got.Command] {
			t.Errorf("press %d (%q): label %q is not one of the bounded set", i, c.data, got.Command)
		}
	}
}

// knownLabel is the bounded set of button labels.
var knownLabel = map[string]bool{"button:done": true, "button:prog": true, "button:ext": true, "button:blk": true, "button:xa": true,
	"button:xr": true, "button:imp": true, "button:impx": true, "button:unknown": true}

// TestChat_RoundTrip is the property of issue 9: whatever the chat
// accepts exports and re-imports to the same list.
func TestChat_RoundTrip(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, text := range []string{
		"/progress 4.1.3 40/85", "/progress 4.1.6 33.3%", "/note 4.1.3 进展\t顺利\n第二行", "/note 4.1.6 =SUM(A1)",
		"/note 3.1.1 _x0000_ 与 _x001B_ 是文字", "/blocked 4.1.3 资金“未到位”, 需协调", "/progress ４.１.６ 7",
		// refused today; before issue 9 accepted, and the list no longer re-imported:
		"/progress 4.1.3 0/Inf", "/note 4.1.6 进展\x00顺利", "/note 3.1.1 \u202e反向",
	} {
		h.say(contactA, text)
	}
	for _, text := range []string{"/deadline 4.1.3 2100-12-31", "/deadline 4.1.6 2000-01-01", "/depts add 新设（局）",
		"/deadline 3.1.1 9999-12-31"} {
		h.say(coordU, text)
	}
	var tasks []*store.Task
	h.db.View(func(tx *store.Tx) (err error) { tasks, err = tx.Tasks(); return err })
	var depts []string
	h.db.View(func(tx *store.Tx) error { depts = tx.DepartmentNames(); return nil })
	for _, f := range []listfile.Format{listfile.CSV, listfile.XLSX} {
		var b bytes.Buffer
		var err error
		if f == listfile.CSV {
			err = listfile.WriteCSV(&b, tasks)
		} else {
			err = listfile.WriteXLSX(&b, tasks)
		}
		if err != nil {
			t.Fatalf("%s export: %v", f, err)
		}
		rows, err := listfile.Read(&b, f, listfile.Options{Year: 2021, Departments: depts})
		if err != nil {
			t.Fatalf("%s re-import refused what the chat accepted: %v", f, err)
		}
		if len(rows) != len(tasks) {
			t.Fatalf("%s: %d rows back, want %d", f, len(rows), len(tasks))
		}
		for i, r := range rows {
			w := tasks[i]
			g := r.Task
			if g.ID != w.ID || g.Text != w.Text || g.Latest != w.Latest || g.Deadline != w.Deadline ||
				g.Progress != w.Progress || g.Status != w.Status || g.Target != w.Target || g.Lead != w.Lead {
				t.Errorf("%s row %d: got %+v\nwant %+v", f, r.Line, g, w)
			}
		}
	}
}

// TestChat_ImportRowLimit: a list longer than the chat's limit is refused
// with the limit in the message, read no further than the limit, and
// nothing is staged.
func TestChat_ImportRowLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var b strings.Builder
	b.WriteString("编号,工作任务,牵头单位,完成时限\n")
	for i := 0; i <= bot.MaxChatImport; i++ {
		b.WriteString("9." + strconv.Itoa(i/100+1) + "." + strconv.Itoa(i%100+1) + ",开展专项整治," + deptA + ",年底前\n")
	}
	ms := h.sendDoc(coordU, "大清单.csv", []byte(b.String()))
	if len(ms) != 1 {
		t.Fatalf("%d replies, want one refusal", len(ms))
	}
	mustContain(t, "row limit", ms[0].Text, "无法导入大清单.csv", strconv.Itoa(bot.MaxChatImport))
	if ms[0].ReplyMarkup != nil && len(ms[0].ReplyMarkup.InlineKeyboard) > 0 {
		t.Errorf("refusal offers to import")
	}
}

// TestChat_PoisonAfterCrash: had a document ever killed the process, its
// update comes back after the restart. The mark left by the dead run makes
// the bot answer it with an apology and mark it handled, without fetching
// or parsing the file again.
func TestChat_PoisonAfterCrash(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const id = 900001
	fileID := h.fake.AddFile("清单.xlsx", storetest.WideXLSX(10, false))
	// What a run that died while handling update 900001 left behind.
	if err := h.db.Update(func(tx *store.Tx) error { return tx.SetSetting("attempt/900001", "deadrun") }); err != nil {
		t.Fatal(err)
	}
	before, nHist := snapshot(h)
	res := telegram.HandleUpdate(context.Background(), h.app, adapterUpdate(t, &telegramtest.Update{ID: id, Message: &telegramtest.Message{ID: 99,
		From: &coordU, Chat: telegramtest.Chat{ID: coordU.ID, Type: telegramtest.ChatTypePrivate},
		Document: &telegramtest.Document{FileID: fileID, FileName: "清单.xlsx", FileSize: 3000}}}))
	if res.Outcome != "invalid" {
		t.Errorf("outcome %q, want invalid (refused with an apology)", res.Outcome)
	}
	if n := len(h.fake.Calls("getFile")); n != 0 {
		t.Errorf("%d getFile calls: the poison file was fetched again", n)
	}
	h.db.View(func(tx *store.Tx) error {
		if !tx.SeenUpdate(id) {
			t.Errorf("update not marked handled: it would come back again")
		}
		if v := tx.Setting("attempt/900001"); v != "" {
			t.Errorf("attempt mark %q left behind", v)
		}
		m, err := tx.Message("r|900001|" + strconv.FormatInt(coordU.ID, 10) + "|99|0")
		if err != nil {
			t.Fatalf("no apology queued: %v", err)
		}
		mustContain(t, "apology", m.Text, "上次处理清单.xlsx时机器人中断", "未做任何修改")
		return nil
	})
	if after, n := snapshot(h); !reflect.DeepEqual(after, before) || n != nHist {
		t.Errorf("the skipped file changed the store")
	}
	// A document handled normally leaves no mark.
	mustContain(t, "a later list", texts(h.sendDoc(coordU, "清单.csv", []byte(importCSV))), "导入预览")
	h.db.View(func(tx *store.Tx) error {
		for i := int64(1); i < 100; i++ {
			if v := tx.Setting("attempt/" + strconv.FormatInt(i, 10)); v != "" {
				t.Errorf("attempt mark left for update %d", i)
			}
		}
		return nil
	})
}

// TestChat_HugeArgumentQuoted: a refusal quotes what was typed; with a
// 300k-character ID or department name (/task, /overdue, /invite,
// /assign, /ledger) it was split into dozens of messages (25 for 100k
// characters). Every refusal is one message.
func TestChat_HugeArgumentQuoted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	huge := strings.Repeat("长", 300_000)
	for _, cmd := range []string{"/task ", "/overdue ", "/invite ", "/assign 4.1.3 ", "/ledger ", "/history "} {
		ms := h.exchange(coordU.ID, func() string {
			return "u" + strconv.FormatInt(h.fake.SendText(coordU, telegramtest.Chat{}, cmd+huge), 10)
		})
		if len(ms) != 1 || utf8.RuneCountInString(ms[0].Text) > 4096 {
			t.Errorf("%s<300k characters>: %d replies, want one refusal", cmd, len(ms))
		}
	}
}
