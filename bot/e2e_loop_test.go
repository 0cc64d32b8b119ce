package bot_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bureau/duban/store"
)

// TestChat_SignOffSticks: after a coordinator's 销号, nothing a contact
// does changes the task; only /reopen does (issue 12, point 1).
func TestChat_SignOffSticks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(coordU, "/remind 4.1.3")
	reminder := h.last(contactA.ID)
	h.say(contactA, "/progress 4.1.3 40")
	mustContain(t, "/close", h.say(coordU, "/close 4.1.3 确认"), "已销号")
	closed := *h.task("4.1.3")
	if closed.Status != store.StatusClosed {
		t.Fatalf("4.1.3 after /close = %s", closed.Status)
	}
	for _, text := range []string{"/done 4.1.3", "/blocked 4.1.3 资金未到位", "/progress 4.1.3 50%", "/note 4.1.3 补充说明", "/extend 4.1.3 2022-03-31 延期"} {
		mustContain(t, text, h.say(contactA, text), "4.1.3已销号，不能再修改", "/reopen 4.1.3")
	}
	mustContain(t, "/progress by a coordinator", h.say(coordU, "/progress 4.1.3 50%"), "已销号")
	mustContain(t, "/deadline on a closed task", h.say(coordU, "/deadline 4.1.3 2021-11-30"), "已销号")
	if toast := h.press(contactA, reminder.ID, button(t, reminder, "已完成")); !strings.Contains(toast, "已销号") {
		t.Errorf("done button on a closed task: toast %q", toast)
	}
	mustContain(t, "reply 完成 to the old reminder", h.reply(contactA, reminder.ID, "60%"), "已销号")
	if after := h.task("4.1.3"); after.Status != closed.Status || after.Progress != closed.Progress || after.Current != closed.Current {
		t.Errorf("closed task changed: %s %d%% → %s %d%%", closed.Status, closed.Progress, after.Status, after.Progress)
	}
	mustContain(t, "/close twice", h.say(coordU, "/close 4.1.3 确认"), "已销号")
	mustContain(t, "/reopen", h.say(coordU, "/reopen 4.1.3"), "已重新打开", "推进中")
	mustContain(t, "/progress after reopen", h.say(contactA, "/progress 4.1.3 50"), "已更新进度")
	if s := h.task("4.1.3").Status; s != store.StatusInProgress {
		t.Errorf("status after reopen and progress = %s", s)
	}
}

// TestChat_DoneGoesToReview: /done puts the task in 待销号 and asks the
// coordinators, who sign off or return it with a reason that reaches the
// department (point 2).
func TestChat_DoneGoesToReview(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	got := h.say(contactA, "/done 4.1.3 85家已全部整治")
	mustContain(t, "/done", got, "待督办员审核销号", "待销号")
	for _, u := range []int64{coordU.ID, adminU.ID} {
		ask := h.last(u)
		mustContain(t, "review request", ask.Text, "待销号", "4.1.3", "85家已全部整治", deptA)
		button(t, ask, "销号")
		button(t, ask, "退回重办")
	}
	mustContain(t, "/pending", h.say(coordU, "/pending"), "待销号1项", "4.1.3")
	mustContain(t, "/progress while in review", h.say(contactA, "/progress 4.1.3 50"), "正等待督办员审核销号")

	// 退回重办 asks for a reason (a reply), then tells the department.
	ask := h.last(coordU.ID)
	if toast := h.press(coordU, ask.ID, button(t, ask, "退回重办")); toast != "请回复刚收到的消息。" {
		t.Errorf("return toast = %q", toast)
	}
	prompt := h.last(coordU.ID)
	mustContain(t, "return prompt", prompt.Text, "退回任务4.1.3的理由")
	mustContain(t, "reason", h.reply(coordU, prompt.ID, "缺少整治台账"), "已退回重办")
	if task := h.task("4.1.3"); task.Status != store.StatusInProgress || task.Progress >= 100 {
		t.Errorf("4.1.3 after return = %s %d%%", task.Status, task.Progress)
	}
	mustContain(t, "notice to the department", h.last(contactA.ID).Text, "4.1.3", "退回重办", "推进中", "缺少整治台账")
	if e := h.lastEntry("4.1.3", coordU, "return"); e.Note != "缺少整治台账" {
		t.Errorf("return entry note = %q", e.Note)
	}

	// The second claim is signed off from the button.
	h.say(contactA, "/done 4.1.3 台账已补齐")
	ask = h.last(coordU.ID)
	if toast := h.press(coordU, ask.ID, button(t, ask, "销号")); toast != "已销号。" {
		t.Errorf("sign-off toast = %q", toast)
	}
	if s := h.task("4.1.3").Status; s != store.StatusClosed {
		t.Errorf("status after sign-off = %s", s)
	}
	edited, _ := h.fake.Message(coordU.ID, ask.ID)
	mustContain(t, "review message after sign-off", edited.Text, "已销号（督办 员）")
	if edited.ReplyMarkup != nil && len(edited.ReplyMarkup.InlineKeyboard) > 0 {
		t.Errorf("review message keeps buttons after sign-off: %+v", edited.ReplyMarkup)
	}
	mustContain(t, "notice to the department", h.last(contactA.ID).Text, "4.1.3", "已销号")
	mustContain(t, "/pending after", h.say(coordU, "/pending"), "没有待销号的任务")

	// /close of a task never reported done asks first.
	got = h.say(coordU, "/close 4.1.4")
	mustContain(t, "/close unreported", got, "尚未报完成", "确定销号吗")
	if s := h.task("4.1.4").Status; s == store.StatusClosed {
		t.Fatalf("/close without confirmation closed 4.1.4")
	}
	confirm := h.last(coordU.ID)
	h.press(coordU, confirm.ID, button(t, confirm, "确认销号"))
	if s := h.task("4.1.4").Status; s != store.StatusClosed {
		t.Errorf("4.1.4 after 确认销号 = %s", s)
	}

	// /reopen keeps the department's last report on the card.
	mustContain(t, "/reopen", h.say(coordU, "/reopen 4.1.3"), "推进中", "台账已补齐")
}

// TestChat_BlockedReachesCoordinators: a blocker is one message to the
// coordinators with a button to answer, a /blocked list and a /stats count
// (point 3).
func TestChat_BlockedReachesCoordinators(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before := len(h.fake.Sent(coordU.ID))
	mustContain(t, "/blocked", h.say(contactA, "/blocked 4.1.4 资金未到位"), "已告知督办员")
	sent := h.fake.Sent(coordU.ID)[before:]
	if len(sent) != 1 {
		t.Fatalf("coordinator got %d messages about the blocker, want 1", len(sent))
	}
	mustContain(t, "blocker notice", sent[0].Text, "任务受阻", "4.1.4", "资金未到位", deptA)
	h.press(coordU, sent[0].ID, button(t, sent[0], "回复联络员"))
	prompt := h.last(coordU.ID)
	mustContain(t, "answer prompt", prompt.Text, "对任务4.1.4的答复")
	mustContain(t, "answer", h.reply(coordU, prompt.ID, "已协调财政局下周拨付"), "已将答复转告")
	mustContain(t, "answer to the department", h.last(contactA.ID).Text, "4.1.4", "已协调财政局下周拨付")
	h.lastEntry("4.1.4", coordU, "answer")

	// A plain reply to the notice answers the department too.
	mustContain(t, "reply to the notice", h.reply(coordU, sent[0].ID, "请先报预算"), "已将答复转告")
	mustContain(t, "reply reaches the department", h.last(contactA.ID).Text, "请先报预算")
	if s := h.task("4.1.4"); s.Status != store.StatusBlocked || s.Latest != "资金未到位" {
		t.Errorf("a coordinator's reply changed 4.1.4: %s %q", s.Status, s.Latest)
	}
	mustContain(t, "/blocked list", h.say(coordU, "/blocked"), "受阻任务1项", "4.1.4", "困难：资金未到位")
	stats := h.say(coordU, "/stats")
	mustContain(t, "/stats", stats, "受阻1项", "🔴逾期或受阻")
	// The table's 受阻 column (after 推进中) counts the unit's blocked task.
	var head, row []string
	for _, line := range strings.Split(stats, "\n") {
		switch f := strings.Fields(line); {
		case len(f) > 0 && f[0] == "单位":
			head = f
		case len(f) > 0 && f[0] == deptA:
			row = f
		}
	}
	if i := slices.Index(head, "受阻"); i < 0 || len(row) <= i || row[i] != "1" {
		t.Errorf("/stats table: header %v, %s row %v: want 受阻 1", head, deptA, row)
	}
}

// TestChat_DepartmentHearsChanges: /assign, /deadline, /close, /reopen
// and extension decisions reach the department, one message per change,
// one message for many changes at once (point 4).
func TestChat_DepartmentHearsChanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	count := func() int { return len(h.fake.Sent(contactA.ID)) }
	n := count()
	h.say(coordU, "/assign 4.2.1 "+deptA)
	if count() != n+1 {
		t.Fatalf("/assign sent %d messages to the new lead, want 1", count()-n)
	}
	mustContain(t, "assign notice", h.last(contactA.ID).Text, "4.2.1", "交由"+deptA+"牵头")
	n = count()
	h.say(coordU, "/deadline 4.1.3,4.1.4、4.1.5 2021-11-30")
	if count() != n+1 {
		t.Fatalf("/deadline of 3 tasks sent %d messages, want 1", count()-n)
	}
	mustContain(t, "batched deadline notice", h.last(contactA.ID).Text, "调整了3项任务", "4.1.3", "4.1.4", "4.1.5", "2021-11-30")
	for _, tc := range []struct{ cmd, want string }{
		{"/close 4.1.5 确认", "已销号"},
		{"/reopen 4.1.5", "已重新打开"},
	} {
		n = count()
		h.say(coordU, tc.cmd)
		if count() != n+1 {
			t.Errorf("%s sent %d messages to the department, want 1", tc.cmd, count()-n)
		}
		mustContain(t, tc.cmd+" notice", h.last(contactA.ID).Text, "4.1.5", tc.want)
	}
	if n := len(h.fake.Sent(contactB.ID)); n != 0 {
		t.Errorf("another department's contact got %d messages", n)
	}
	// A bad ID among several changes nothing and tells no one.
	n = count()
	mustContain(t, "/deadline with a bad ID", h.say(coordU, "/deadline 4.1.6,9.9.9 2021-10-31"), "没有编号为 9.9.9 的任务")
	h.say(coordU, "/close 4.1.1 确认")
	mustContain(t, "/close with a closed one", h.say(coordU, "/close 4.1.2,4.1.1 确认"), "4.1.1已销号")
	if d, s := h.task("4.1.6").Deadline.String(), h.task("4.1.2").Status; d != "2021-12-31" || s == store.StatusClosed {
		t.Errorf("a refused batch changed tasks: 4.1.6 due %s, 4.1.2 %s", d, s)
	}
	if got := count(); got != n+1 {
		t.Errorf("refused batches sent %d messages to the department, want only the /close 4.1.1 notice", got-n)
	}
}

// TestChat_ExtensionRules (point 5).
func TestChat_ExtensionRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct{ text, want string }{
		{"/extend 4.1.3 2021-10-31 设备延迟", "须晚于现时限2021-12-31"},
		{"/extend 4.1.3 2021-06-01 设备延迟", "须晚于现时限"},
		{"/extend 3.1.1 2021-12-31 设备延迟", "持续推进任务，没有完成时限，无需延期"},
	} {
		before := len(h.history(strings.Fields(tc.text)[1]))
		mustContain(t, tc.text, h.say(contactA, tc.text), tc.want)
		if after := len(h.history(strings.Fields(tc.text)[1])); after != before {
			t.Errorf("%s wrote history", tc.text)
		}
	}
	mustContain(t, "first request", h.say(contactA, "/extend 4.1.3 2022-01-31 设备延迟"), "已提交任务4.1.3延期至2022-01-31")
	first := h.last(coordU.ID)
	mustContain(t, "second request", h.say(contactA, "/extend 4.1.3 2022-02-28 设备仍未到货"), "延至2022-01-31", "已被本次申请替换")
	if toast := h.press(coordU, first.ID, button(t, first, "同意")); !strings.Contains(toast, "已被同一任务的新申请替换") {
		t.Errorf("approving the replaced request: toast %q", toast)
	}
	if d := h.task("4.1.3").Deadline.String(); d != "2021-12-31" {
		t.Errorf("approving a replaced request moved the deadline to %s", d)
	}
	got := h.say(coordU, "/pending")
	mustContain(t, "/pending", got, "延期申请1件", "2022-02-28")
	if strings.Contains(got, "2022-01-31") {
		t.Errorf("/pending still lists the replaced request:\n%s", got)
	}
}

// TestChat_ProgressMeaning: figures are read as the user meant, and the
// answer says how (point 6).
func TestChat_ProgressMeaning(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		text    string
		pct     int
		current float64
		said    string
	}{
		{"/progress 4.1.3 60", 70, 60, "已记为60/85家（70%）"},
		{"/progress 4.1.3 45家", 52, 45, "已记为45/85家（52%）"},
		{"/progress 4.1.3 50 %", 50, 43, "已记为43/85家（50%）"},
		{"/progress 4.1.3 ６０％", 60, 51, "已记为51/85家（60%）"},
		{"/progress ４.１.３ 30/85", 35, 30, "已记为30/85家（35%）"},
		{"4.1.3 40%", 40, 34, "已记为34/85家（40%）"},
		{"/progress 4.1.3 90/85", 100, 90, "已记为90/85家，超额完成（105%）"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			mustContain(t, tc.text, h.say(contactA, tc.text), "已更新进度", tc.said)
			if task := h.task("4.1.3"); task.Progress != tc.pct || task.Current != tc.current || task.Target != 85 {
				t.Errorf("4.1.3 = %d%% %v/%v, want %d%% %v/85", task.Progress, task.Current, task.Target, tc.pct, tc.current)
			}
		})
	}
	mustContain(t, "/done after over-fulfilment", h.say(contactA, "/done 4.1.3"), "90/85家")
	h.say(coordU, "/return 4.1.3 核对数字")
	mustContain(t, "a contact changing the target", h.say(contactA, "/progress 4.1.3 10/10"), "只有督办员能用/target修改")
	mustContain(t, "a fraction of a count", h.say(contactA, "/progress 4.1.3 8.5"), "完成数须为整数")
	if task := h.task("4.1.3"); task.Target != 85 || task.Current != 90 {
		t.Errorf("refused figures changed 4.1.3: %v/%v", task.Current, task.Target)
	}
	mustContain(t, "/target by a contact", h.say(contactA, "/target 4.1.3 90"), "需要督办员权限")
	mustContain(t, "/target", h.say(coordU, "/target 4.1.3 100家"), "已修改目标值", "90/100家")
	if task := h.task("4.1.3"); task.Target != 100 || task.Unit != "家" || task.Progress != 90 {
		t.Errorf("after /target: %v/%v%s %d%%", task.Current, task.Target, task.Unit, task.Progress)
	}

	h.say(coordU, "/remind 4.1.2")
	r := h.last(contactA.ID)
	mustContain(t, "reply 完成了50%", h.reply(contactA, r.ID, "完成了50%"), "已更新进度", "已记为50%")
	if p := h.task("4.1.2").Progress; p != 50 {
		t.Errorf("4.1.2 after 完成了50%% = %d%%", p)
	}
	mustContain(t, "a note", h.reply(contactA, r.ID, "已召开推进会"), "已记录进展说明", "进度未变，仍为50%")
}

// TestChat_PromptsLeadSomewhere: 更新进度 / 申请延期 ask with ForceReply, a
// plain answer right after the prompt counts for it (within minutes, not
// later), and the example date is the plan's year (point 7).
func TestChat_PromptsLeadSomewhere(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(coordU, "/deadline 4.1.6 9月底")
	h.say(coordU, "/remind 4.1.6")
	r := h.last(contactA.ID)
	h.press(contactA, r.ID, button(t, r, "申请延期"))
	prompt := h.last(contactA.ID)
	mustContain(t, "extension prompt", prompt.Text, "例如“2021-10-30 设备到货延迟”")
	calls := h.fake.Calls("sendMessage")
	if last := calls[len(calls)-1]; !strings.Contains(last.Params["reply_markup"], `"force_reply":true`) {
		t.Errorf("prompt sent without ForceReply: %q", last.Params["reply_markup"])
	}

	h.press(contactA, r.ID, button(t, r, "更新进度"))
	mustContain(t, "plain answer after the prompt", h.say(contactA, "30%"), "已更新进度", "已记为30%")
	if p := h.task("4.1.6").Progress; p != 30 {
		t.Errorf("4.1.6 after a plain 30%% = %d%%", p)
	}
	mustContain(t, "a second plain message", h.say(contactA, "40%"), "请回复提醒消息")

	h.press(contactA, r.ID, button(t, r, "更新进度"))
	h.clock.Add(11 * 60e9)
	mustContain(t, "a plain answer long after", h.say(contactA, "50%"), "请回复提醒消息")
	if p := h.task("4.1.6").Progress; p != 30 {
		t.Errorf("a late plain answer changed 4.1.6 to %d%%", p)
	}
}

// TestChat_HistoryLedger: history reads like a ledger — statuses in
// Chinese, each note once, dates with the year — /history pages through all
// of it, and the export carries it as a second sheet (point 8).
func TestChat_HistoryLedger(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(contactA, "/note 4.1.3 已召开推进会")
	for i := 1; i <= 24; i++ {
		h.say(contactA, "/progress 4.1.3 "+itoa(int64(i)))
	}
	got := h.say(contactA, "/history 4.1.3")
	mustContain(t, "/history", got, "任务4.1.3督办记录", "共26条，第1/2页", "2021-06-15 10:00", "状态：未开始→推进中", "/history 4.1.3 2")
	if n := strings.Count(got, "已召开推进会"); n != 1 {
		t.Errorf("the note shows %d times in /history, want once:\n%s", n, got)
	}
	if strings.Contains(got, "in_progress") || strings.Contains(got, "not_started") {
		t.Errorf("/history shows status codes:\n%s", got)
	}
	got = h.say(contactA, "/history 4.1.3 2")
	mustContain(t, "/history page 2", got, "第2/2页", "进度：23%→24%")
	mustContain(t, "/history page 3", h.say(contactA, "/history 4.1.3 3"), "只有2页")
	mustContain(t, "/task", h.say(contactA, "/task 4.1.3"), "共26条", "/history 4.1.3")

	ms := h.exchange(coordU.ID, func() string { return sendText(h, coordU, "/export") })
	calls := h.fake.Calls("sendDocument")
	if len(ms) != 1 || len(calls) != 1 || len(calls[0].Files) != 1 {
		t.Fatalf("/export answered %d messages, %d documents", len(ms), len(calls))
	}
	f, err := excelize.OpenReader(bytes.NewReader(calls[0].Files[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("督办记录")
	if err != nil {
		t.Fatalf("export has no 督办记录 sheet: %v (sheets %v)", err, f.GetSheetList())
	}
	var found bool
	for _, r := range rows {
		if len(r) == 5 && r[1] == "4.1.3" && r[3] == "进展" && strings.Contains(r[4], "已召开推进会") && strings.HasPrefix(r[0], "2021-06-15") {
			found = true
		}
	}
	if !found || len(rows) < 27 {
		t.Errorf("history sheet lacks the note (%d rows): %v", len(rows), rows[:min(3, len(rows))])
	}
}
