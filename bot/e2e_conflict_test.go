package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// TestChat_ReimportOldExportConflicts is issue 11's complaint: an export
// taken before a contact's /progress 4.1.3 80%, imported back, used to
// revert the progress silently ("进度: 80 → 0"). Now the preview lists the
// conflict with both values and nothing changes on 确认导入; 强制导入
// applies the file and the history says it was forced.
func TestChat_ReimportOldExportConflicts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.exchange(coordU.ID, func() string { return sendText(h, coordU, "/export") })
	calls := h.fake.Calls("sendDocument")
	if len(calls) != 1 || len(calls[0].Files) != 1 {
		t.Fatalf("/export sent %d documents", len(calls))
	}
	export := calls[0].Files[0].Data

	h.clock.Add(2 * time.Hour)
	mustContain(t, "/progress", h.say(contactA, "/progress 4.1.3 80%"), "已更新进度")
	if p := h.task("4.1.3").Progress; p != 80 {
		t.Fatalf("4.1.3 at %d%% after /progress, want 80", p)
	}
	before, nHist := snapshot(h)

	preview := func() (text string, msgID int, force string) {
		t.Helper()
		ms := h.sendDoc(coordU, "旧清单.xlsx", export)
		if len(ms) != 1 {
			t.Fatalf("document answered %d messages, want one preview", len(ms))
		}
		m := ms[0]
		return m.Text, m.ID, button(t, m, "强制导入")
	}
	text, id, _ := preview()
	mustContain(t, "preview", text, "共86项：新增0项，更新0项，未变85项", "冲突1项",
		"4.1.3", "进度：文件0%，库中80%", "大气 联络员")
	if strings.Contains(text, "进度：80%→0%") {
		t.Errorf("preview offers to revert the progress as an update:\n%s", text)
	}
	if toast := h.press(coordU, id, button(t, h.last(coordU.ID), "确认导入")); toast != "已导入" {
		t.Errorf("confirm toast = %q", toast)
	}
	got, _ := h.fake.Message(coordU.ID, id)
	mustContain(t, "result", got.Text, "已导入旧清单.xlsx：新增0项，更新0项，未变85项", "冲突1项", "进度：文件0%，库中80%")
	if after, n := snapshot(h); !equalTasks(after, before) || n != nHist {
		t.Errorf("a confirmed import with only a conflict changed the store (%d history entries, before %d)", n, nHist)
	}

	_, id, force := preview()
	if toast := h.press(coordU, id, force); toast != "已导入" {
		t.Errorf("force toast = %q", toast)
	}
	got, _ = h.fake.Message(coordU.ID, id)
	mustContain(t, "forced result", got.Text, "更新1项", "强制导入1项", "4.1.3")
	if p := h.task("4.1.3").Progress; p != 0 {
		t.Errorf("4.1.3 at %d%% after the forced import, want the file's 0", p)
	}
	hist := h.history("4.1.3")
	if e := hist[len(hist)-1]; e.Kind != "import_forced" || e.By.UserID != coordU.ID || !hasChange(e, "progress", "80", "0") {
		t.Errorf("forced entry %+v does not record 进度 80 → 0", e)
	}
	mustContain(t, "/history", h.say(coordU, "/history 4.1.3"), "强制导入", "进度：80%→0%")
}

func equalTasks(a, b map[string]store.Task) bool {
	if len(a) != len(b) {
		return false
	}
	for id, t := range a {
		u, ok := b[id]
		if !ok || !t.UpdatedAt.Equal(u.UpdatedAt) || store.Diff(&t, &u) != nil {
			return false
		}
	}
	return true
}

func hasChange(u store.HistoryEntry, field, old, new string) bool {
	for _, c := range u.Changes {
		if c.Field == field && c.Old == old && c.New == new {
			return true
		}
	}
	return false
}

// TestChat_FirstRealPlanOffersExampleRemoval: while the bundled example plan
// is loaded (not adopted), a real plan document's preview offers
// 「导入并移除示例」 beside 确认导入; pressing it deletes the example's tasks
// and their history and imports the plan. An edited export of the example
// itself gets no such offer.
func TestChat_FirstRealPlanOffersExampleRemoval(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if err := h.db.Update(func(tx *store.Tx) error {
		return tx.SetSetting(store.ExamplePlanSetting, store.ExamplePlanLoaded)
	}); err != nil {
		t.Fatal(err)
	}
	h.exchange(coordU.ID, func() string { return sendText(h, coordU, "/export") })
	export := h.fake.Calls("sendDocument")[0].Files[0].Data
	ms := h.sendDoc(coordU, "示例清单.xlsx", export)
	if len(ms) != 1 || strings.Contains(texts(ms), "导入并移除示例") || hasButton(ms[0], "导入并移除示例") {
		t.Errorf("the example's own export offers to remove the example:\n%s", texts(ms))
	}

	plan := "2027年某局工作要点\n一、重点任务\n（一）治理大气污染。6月底前完成85家企业整治。年底前建成监测网络。\n"
	ms = h.sendDoc(coordU, "2027要点.txt", []byte(plan))
	var preview *models.Message
	for i := range ms {
		if hasButton(ms[i], "确认导入") {
			preview = &ms[i]
		}
	}
	if preview == nil {
		t.Fatalf("no preview with buttons among %d messages:\n%s", len(ms), texts(ms))
	}
	mustContain(t, "preview", preview.Text, "内置示例计划的86项任务")
	row := preview.ReplyMarkup.InlineKeyboard[0]
	if len(row) != 3 || row[0].Text != "确认导入" || row[1].Text != "导入并移除示例" {
		t.Errorf("first row of buttons = %+v, want 确认导入 beside 导入并移除示例", row)
	}
	if toast := h.press(coordU, preview.ID, button(t, *preview, "导入并移除示例")); toast != "已导入" {
		t.Errorf("toast = %q", toast)
	}
	got, _ := h.fake.Message(coordU.ID, preview.ID)
	mustContain(t, "result", got.Text, "新增2项", "已移除内置示例计划的86项任务")
	h.db.View(func(tx *store.Tx) error {
		ts, _ := tx.Tasks()
		if len(ts) != 2 || tx.IsExamplePlan() {
			t.Errorf("after removal: %d tasks, example=%v; want the plan's 2 only", len(ts), tx.IsExamplePlan())
		}
		if hist, _ := tx.History("4.1.3"); len(hist) != 0 {
			t.Errorf("the example task 4.1.3 kept %d history entries", len(hist))
		}
		return nil
	})
	if err := h.db.Check(); err != nil {
		t.Error(err)
	}
}

func hasButton(m models.Message, label string) bool {
	if m.ReplyMarkup == nil {
		return false
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.Text == label {
				return true
			}
		}
	}
	return false
}

// TestChat_ImportPreviewListsChanges: the preview names every field that
// changes, per task (old → new), not just counts, capped at 15 lines with
// "…还有N项"; the result after 确认导入 lists what was written.
func TestChat_ImportPreviewListsChanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var csv strings.Builder
	csv.WriteString("编号,工作任务,牵头单位,完成时限\n")
	h.db.View(func(tx *store.Tx) error {
		ts, _ := tx.Tasks()
		for _, task := range ts[:20] {
			lead := task.Lead
			if task.LeadSuggested {
				lead += listfile.SuggestedMark
			}
			csv.WriteString(task.ID + ",\"" + task.Text + "\"," + lead + ",2021-11-30\n")
		}
		return nil
	})
	ms := h.sendDoc(coordU, "改时限.csv", []byte(csv.String()))
	if len(ms) != 1 {
		t.Fatalf("%d messages, want the preview", len(ms))
	}
	first := h.task("3.1.2")
	mustContain(t, "preview", ms[0].Text, "共20项：新增0项，更新", "3.1.2 完成时限："+first.Deadline.String()+"→2021-11-30", "…还有")
	if n := strings.Count(ms[0].Text, "→2021-11-30"); n != 15 {
		t.Errorf("preview lists %d changed tasks, want the cap of 15:\n%s", n, ms[0].Text)
	}
	h.press(coordU, ms[0].ID, button(t, ms[0], "确认导入"))
	got, _ := h.fake.Message(coordU.ID, ms[0].ID)
	mustContain(t, "result", got.Text, "已导入改时限.csv", "3.1.2 完成时限："+first.Deadline.String()+"→2021-11-30")
	if d := h.task("3.1.2").Deadline.String(); d != "2021-11-30" {
		t.Errorf("3.1.2 deadline %s after the import", d)
	}
}
