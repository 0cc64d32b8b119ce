package bot

import (
	"fmt"

	"github.com/duban-bureau/duban/store"
)

// Lang is the language of replies: "zh" (default) or "en".
type Lang string

// T formats the catalogue entry key in l (Chinese when l has no entry).
// Arguments are inserted as they are: callers escape HTML first.
func (l Lang) T(key string, args ...any) string {
	e, ok := catalogue[key]
	if !ok {
		return key
	}
	f := e[0]
	if l == "en" && e[1] != "" {
		f = e[1]
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// Status labels a task status.
func (l Lang) Status(s store.Status) string {
	if l == "en" {
		return map[store.Status]string{store.StatusNotStarted: "not started", store.StatusInProgress: "in progress",
			store.StatusBlocked: "blocked", store.StatusDone: "done", store.StatusClosed: "closed"}[s]
	}
	return s.Zh()
}

// Field labels a task field in history.
func (l Lang) Field(f string) string { return l.T("f_" + f) }

// Kind labels a history entry's kind.
func (l Lang) Kind(k string) string {
	if _, ok := catalogue["k_"+k]; ok {
		return l.T("k_" + k)
	}
	return k
}

// catalogue holds every user-facing string: {Chinese, English}.
var catalogue = map[string][2]string{
	"btn_done":     {"✅ 已完成", "✅ Done"},
	"btn_progress": {"📈 更新进度", "📈 Progress"},
	"btn_extend":   {"⏳ 申请延期", "⏳ Extension"},
	"btn_blocked":  {"⚠️ 遇到困难", "⚠️ Blocked"},
	"btn_approve":  {"同意", "Approve"},
	"btn_reject":   {"驳回", "Reject"},
	"btn_import":   {"确认导入", "Import"},
	"btn_discard":  {"取消", "Cancel"},

	"lead":         {"牵头：", "Lead: "},
	"co":           {"配合：", "With: "},
	"deadline":     {"完成时限：", "Deadline: "},
	"target":       {"目标：", "Target: "},
	"latest":       {"最新进展：", "Latest: "},
	"unassigned":   {"（未指定）", "(unassigned)"},
	"suggested":    {"（建议，待确认）", " (suggested)"},
	"continuous":   {"持续推进（每月报送）", "continuous (monthly report)"},
	"days_left":    {"%s（还有%d天）", "%s (%d days left)"},
	"overdue_days": {"%s（已逾期%d天）", "%s (%d days overdue)"},
	"none":         {"（无）", "(none)"},

	"internal_error":   {"抱歉，处理时出错了，已记录。请稍后再试。", "Sorry, something went wrong; it has been logged. Please try again later."},
	"unknown_command":  {"没有/%s这个命令。发送/help查看可用命令。", "There is no /%s command. Send /help for the list."},
	"button_unknown":   {"这个按钮已失效。", "This button is no longer valid."},
	"usage":            {"用法：", "Usage: "},
	"need_contact":     {"此操作需要联络员身份：请通过督办员发来的邀请链接登记。", "This needs a registered contact: register through an invite link from a coordinator."},
	"need_coordinator": {"此操作需要督办员权限。", "This needs a coordinator."},
	"need_admin":       {"此操作需要管理员权限。", "This needs an admin."},
	"need_":            {"此操作需要登记。", "You need to register first."},
	"not_your_task":    {"任务%s不属于您的单位（牵头单位：%s），不能修改。", "Task %s belongs to another department (%s); you cannot change it."},
	"no_dept":          {"您尚未绑定单位。请通过邀请链接登记。", "You are not registered with a department. Use an invite link."},
	"unknown_dept":     {"没有名为“%s”的单位。发送/depts查看单位列表。", "No department named “%s”. Send /depts for the list."},
	"not_finished":     {"任务%s尚未完成或销号，无需重新打开。", "Task %s is not done or closed."},
	"plain_hint":       {"请回复提醒消息（如“60%”“40/85”“完成”），或发送/help查看命令。", "Reply to a reminder (60%, 40/85, done) or send /help."},

	"welcome_stranger": {"您好，这里是督办机器人。您尚未登记：请通过督办员发来的邀请链接打开本机器人。您的用户ID是%d。", "Hello, this is the duban bot. You are not registered: open the invite link a coordinator sends you. Your user ID is %d."},
	"registered":       {"登记成功：您是%s的联络员。发送/my查看本单位任务。", "Registered as a contact of %s. Send /my for your department's tasks."},
	"registered_coord": {"登记成功：您是督办员。发送/help查看命令。", "Registered as a coordinator. Send /help for the commands."},
	"help_head":        {"可用命令：", "Commands:"},
	"help_reply":       {"也可以直接回复提醒消息：60%、40/85、完成，或任何进展说明。", "You can also reply to a reminder: 60%, 40/85, done, or any note."},
	"my_head":          {"<b>%s</b>未完成任务%d项（按完成时限排列）：", "<b>%s</b>: %d open tasks by deadline:"},
	"history_head":     {"<b>最近记录</b>", "<b>History</b>"},
	"overdue_head":     {"<b>逾期任务</b>%d项：", "<b>Overdue</b>: %d tasks"},
	"due_head":         {"<b>未来%d天到期</b>%d项：", "<b>Due in %d days</b>: %d tasks"},
	"depts_head":       {"<b>单位</b>%d个（任务数/联络员数）：", "<b>Departments</b> (%d; tasks / contacts):"},
	"dept_line":        {"%s：%d / %d", "%s: %d / %d"},

	"saved_progress":      {"已更新进度。", "Progress saved."},
	"saved_done":          {"已标记完成，待督办员审核销号。", "Marked done; a coordinator will review it."},
	"saved_blocked":       {"已记录困难，并已告知督办员。", "Marked blocked; the coordinators have been told."},
	"saved_note":          {"已记录进展说明。", "Note saved."},
	"saved_assign":        {"已指定责任单位。", "Owner set."},
	"saved_deadline":      {"已修改完成时限。", "Deadline set."},
	"saved_close":         {"已销号。", "Closed."},
	"saved_reopen":        {"已重新打开。", "Reopened."},
	"saved_depts":         {"单位列表已更新。", "Departments updated."},
	"saved_coordinator":   {"用户%d已设为督办员。", "User %d is now a coordinator."},
	"you_are_coordinator": {"您已被设为督办员。发送/help查看命令。", "You are now a coordinator. Send /help."},

	"prompt_prog":              {"请直接回复本消息，填写任务<b>%[1]s</b>的进度，例如%[3]s。\n%[2]s", "Reply to this message with the progress of <b>%[1]s</b>, e.g. %[3]s.\n%[2]s"},
	"prompt_ext":               {"请直接回复本消息，申请延期任务<b>%[1]s</b>：先写新日期，再写理由，例如“%[3]s 设备到货延迟”。\n%[2]s", "Reply to this message to extend <b>%[1]s</b>: NEW-DATE reason, e.g. “%[3]s equipment late”.\n%[2]s"},
	"prompt_blk":               {"请直接回复本消息，说明任务<b>%[1]s</b>遇到的困难。\n%[2]s", "Reply to this message with what blocks <b>%[1]s</b>.\n%[2]s"},
	"toast_reply":              {"请回复刚收到的消息。", "Reply to the message just sent."},
	"extend_note":              {"申请延期：%s → %s，理由：%s", "extension requested: %s → %s, reason: %s"},
	"extend_ask":               {"<b>延期申请</b>\n%s申请将任务<b>%s</b>的完成时限延期。\n%s\n原时限：%s→新时限：%s\n理由：%s", "<b>Extension request</b>\n%s asks to extend <b>%s</b>.\n%s\nFrom %s to %s\nReason: %s"},
	"extend_sent":              {"已提交任务%s延期至%s的申请，等待督办员审批。", "Extension of %s to %s requested; waiting for a coordinator."},
	"extend_sent_short":        {"已提交延期申请", "Extension requested"},
	"extension_decided":        {"该申请已处理过。", "Already decided."},
	"extension_approved":       {"任务<b>%s</b>延期至%s的申请已同意（%s）。", "Extension of <b>%s</b> to %s approved (%s)."},
	"extension_rejected":       {"任务<b>%s</b>延期至%s的申请未获同意（%s）。理由：%s", "Extension of <b>%s</b> to %s refused (%s). Reason: %s"},
	"extension_approved_short": {"已同意", "Approved"},
	"extension_rejected_short": {"已驳回", "Rejected"},

	"coordinator_word":      {"督办员", "coordinator"},
	"invite_made":           {"%[1]s的邀请链接（限用一次，%[3]s前有效）：\n%[2]s", "Invite for %s (single use, valid until %[3]s):\n%[2]s"},
	"digestchat_set":        {"本群已设为督办群：周报和逾期通报将发到这里。", "This group now receives digests and escalations."},
	"digestchat_off":        {"已取消督办群，周报和通报改发给各督办员。", "Digest chat cleared; coordinators get digests directly."},
	"digestchat_group_only": {"请在督办群里发送/digestchat（在私聊中发送“/digestchat off”可取消）。", "Send /digestchat in the coordinators' group (or /digestchat off here)."},

	"f_text": {"任务", "text"}, "f_section": {"章节", "section"}, "f_lead": {"牵头单位", "lead"},
	"f_lead_suggested": {"建议", "suggested"}, "f_co": {"配合单位", "co-departments"}, "f_deadline": {"完成时限", "deadline"},
	"f_target": {"目标值", "target"}, "f_unit": {"单位", "unit"}, "f_current": {"完成数", "count"},
	"f_status": {"状态", "status"}, "f_progress": {"进度", "progress"}, "f_latest": {"最新进展", "latest"},

	"k_progress": {"更新进度", "progress"}, "k_done": {"标记完成", "done"}, "k_blocked": {"遇到困难", "blocked"},
	"k_note": {"进展", "note"}, "k_assign": {"指定单位", "assigned"}, "k_deadline": {"修改时限", "deadline"},
	"k_close": {"销号", "closed"}, "k_reopen": {"重新打开", "reopened"}, "k_import": {"导入", "import"},
	"k_extend_request": {"申请延期", "extension requested"}, "k_extend_approved": {"同意延期", "extension approved"},
	"k_extend_rejected": {"驳回延期", "extension rejected"}, "k_rename_dept": {"单位更名", "department renamed"},
	"k_create":    {"创建", "created"},
	"usage_start": {"/start [邀请码]", "/start [invite]"}, "menu_start": {"开始，或用邀请链接登记", "start, or register with an invite"},
	"usage_help": {"/help", "/help"}, "menu_help": {"查看可用命令", "list commands"},
	"usage_my": {"/my", "/my"}, "menu_my": {"本单位未完成任务", "my department's open tasks"},
	"usage_task": {"/task 编号", "/task ID"}, "menu_task": {"查看任务详情", "show a task"},
	"usage_progress": {"/progress 编号 60% 或 40/85", "/progress ID 60% or 40/85"}, "menu_progress": {"更新进度", "report progress"},
	"usage_done": {"/done 编号 [说明]", "/done ID [note]"}, "menu_done": {"标记完成", "mark done"},
	"usage_blocked": {"/blocked 编号 困难说明", "/blocked ID reason"}, "menu_blocked": {"报告困难", "report a blocker"},
	"usage_note": {"/note 编号 进展说明", "/note ID text"}, "menu_note": {"记录进展", "add a note"},
	"usage_extend": {"/extend 编号 新日期 理由", "/extend ID DATE reason"}, "menu_extend": {"申请延期", "ask for an extension"},
	"usage_overdue": {"/overdue [单位]", "/overdue [dept]"}, "menu_overdue": {"逾期任务", "overdue tasks"},
	"usage_due": {"/due [天数]", "/due [days]"}, "menu_due": {"即将到期的任务（默认14天）", "tasks due soon (default 14 days)"},
	"usage_stats": {"/stats", "/stats"}, "menu_stats": {"各单位完成情况", "progress by department"},
	"usage_digest": {"/digest", "/digest"}, "menu_digest": {"立即发送督办周报", "send the weekly digest now"},
	"usage_assign": {"/assign 编号 牵头单位[、配合单位…]", "/assign ID dept[、co-dept…]"}, "menu_assign": {"指定责任单位", "set owners"},
	"usage_deadline": {"/deadline 编号 日期", "/deadline ID DATE"}, "menu_deadline": {"修改完成时限", "set a deadline"},
	"usage_invite": {"/invite 单位", "/invite dept"}, "menu_invite": {"生成联络员邀请链接", "invite a contact"},
	"usage_close": {"/close 编号", "/close ID"}, "menu_close": {"销号（确认完成）", "confirm completion"},
	"usage_reopen": {"/reopen 编号", "/reopen ID"}, "menu_reopen": {"重新打开", "reopen a task"},
	"usage_remind": {"/remind 编号", "/remind ID"}, "menu_remind": {"立即提醒责任单位", "nudge the owners now"},
	"usage_export": {"/export", "/export"}, "menu_export": {"导出责任清单（Excel）", "export the list as XLSX"},
	"usage_digestchat": {"/digestchat", "/digestchat"}, "menu_digestchat": {"在群里发送：设为督办群", "in a group: make it the coordinators' chat"},
	"usage_depts": {"/depts [add 单位 | rename 旧名 新名 | remove 单位]", "/depts [add D | rename OLD NEW | remove D]"}, "menu_depts": {"单位列表与维护", "list or edit departments"},
	"usage_coordinator": {"/coordinator 用户ID或@用户名 [off]", "/coordinator USER [off]"}, "menu_coordinator": {"设为或取消督办员", "make or unmake a coordinator"},
	"import_fetch_failed":    {"未能下载文件，请重新发送。", "Could not download the file; please send it again."},
	"import_bad":             {"无法导入%s，未做任何修改：\n%s", "Cannot import %s; nothing changed:\n%s"},
	"import_preview":         {"<b>导入预览</b>：%s\n共%d项：新增%d项，更新%d项，未变%d项。\n确认后一次性写入。", "<b>Import preview</b> %s\n%d rows: %d new, %d updated, %d unchanged.\nConfirm to write them in one go."},
	"import_gone":            {"该导入已处理或已过期。", "This import was already handled."},
	"import_discarded":       {"已取消导入%s，未做任何修改。", "Import of %s cancelled; nothing changed."},
	"import_discarded_short": {"已取消", "Cancelled"},
	"import_done":            {"已导入%s：新增%d项，更新%d项，未变%d项。", "Imported %s: %d new, %d updated, %d unchanged."},
	"import_done_short":      {"已导入", "Imported"},
	"export_caption":         {"责任清单，共%d项（%s导出）", "Responsibility list, %d tasks (exported %s)"},
	"digest_sent":            {"周报已发到督办群。", "Digest sent to the coordinators' chat."},
	"remind_finished":        {"任务%s已完成或销号，无需提醒。", "Task %s is done or closed."},
	"remind_nobody":          {"%s尚无登记的联络员，无法提醒。可用/invite邀请。", "%s has no registered contact; use /invite."},
	"remind_sent":            {"已提醒任务%s的%d位联络员。", "Reminded %[2]d contacts of %[1]s."},
	"list_more":              {"（仅列出前%d项，另有%d项；发送/export获取完整清单。）", "(first %d shown, %d more: /export has them all)"},

	// The 督办 loop (issue 12).
	"refuse_closed":        {"任务%[1]s已销号，不能再修改。如需修改，请督办员先发送“/reopen %[1]s”。", "Task %[1]s is closed; a coordinator must /reopen %[1]s first."},
	"refuse_review":        {"任务%[1]s已报完成，正等待督办员审核销号，暂不能修改。如需修改，请督办员退回重办。", "Task %[1]s is reported done and waits for sign-off; a coordinator can return it."},
	"refuse_notreview":     {"任务%[1]s不在待销号状态，无需退回。", "Task %[1]s is not waiting for sign-off."},
	"notice_many":          {"督办员调整了%d项任务：", "A coordinator changed %d tasks:"},
	"btn_signoff":          {"✅ 销号", "✅ Sign off"},
	"btn_return":           {"↩️ 退回重办", "↩️ Return"},
	"btn_close_yes":        {"确认销号", "Close anyway"},
	"btn_answer":           {"💬 回复联络员", "💬 Answer"},
	"review_ask":           {"<b>待销号</b>：%s（%s）报告任务已完成，请审核。", "<b>For sign-off</b>: %s (%s) reports this task done."},
	"review_item":          {"<b>待销号</b>", "<b>For sign-off</b>"},
	"review_stale":         {"任务%s当前为%s，不在待销号状态。", "Task %s is %s, not waiting for sign-off."},
	"signed_off":           {"✅ 已销号（%s）", "✅ Signed off (%s)"},
	"close_confirm":        {"任务<b>%s</b>尚未报完成（%s，进度%d%%），确定销号吗？也可发送“/close 编号 确认”。", "Task <b>%s</b> was not reported done (%s, %d%%). Close it anyway? Or send /close ID confirm."},
	"close_cancelled":      {"已取消销号任务%s。", "Closing %s cancelled."},
	"saved_return":         {"已退回重办，并已告知责任单位。", "Returned; the department has been told."},
	"prompt_ret":           {"请直接回复本消息，说明退回任务<b>%s</b>的理由（将转告%s）。", "Reply to this message with why <b>%s</b> is returned (%s will be told)."},
	"prompt_ans":           {"请直接回复本消息，写下对任务<b>%s</b>的答复（将转告%s）。", "Reply to this message with your answer on <b>%s</b> (%s will be told)."},
	"prompt_rej":           {"请直接回复本消息，说明不同意任务<b>%s</b>延期至%s的理由。", "Reply to this message with why the extension of <b>%s</b> to %s is refused."},
	"answer_sent":          {"已将答复转告%s。", "Answer sent to %s."},
	"notice_close":         {"✅ 任务<b>%s</b>（%s）已销号。", "✅ Task <b>%s</b> (%s) is closed."},
	"notice_return":        {"↩️ 任务<b>%s</b>（%s）被退回重办，状态改为推进中。理由：%s", "↩️ Task <b>%s</b> (%s) was returned and is in progress again. Reason: %s"},
	"notice_reopen":        {"🔄 任务<b>%s</b>（%s）已重新打开，请继续推进。", "🔄 Task <b>%s</b> (%s) was reopened."},
	"notice_assign":        {"📌 任务<b>%s</b>（%s）已交由%s牵头，完成时限：%s。", "📌 Task <b>%s</b> (%s) is now led by %s, deadline %s."},
	"notice_deadline":      {"📅 任务<b>%s</b>（%s）的完成时限改为%s。", "📅 The deadline of <b>%s</b> (%s) is now %s."},
	"notice_answer":        {"💬 督办员%s就任务<b>%s</b>（%s）答复：%s", "💬 Coordinator %s on <b>%s</b> (%s): %s"},
	"blocked_ask":          {"⚠️ <b>任务受阻</b>：%s（%s）报告任务<b>%s</b>（%s）遇到困难。\n困难：%s", "⚠️ <b>Blocked</b>: %s (%s) reports a problem with <b>%s</b> (%s).\nProblem: %s"},
	"blocked_head":         {"<b>受阻任务</b>%d项：", "<b>Blocked</b>: %d tasks"},
	"blocked_reason":       {"困难：%s", "problem: %s"},
	"stats_blocked":        {"受阻%d项", "%d blocked"},
	"stats_blocked_hint":   {"发送/blocked查看受阻任务及困难。", "Send /blocked for the blocked tasks."},
	"lights_legend":        {"🔴逾期或受阻　🟡七天内到期或进度落后　🟢正常", "🔴 overdue or blocked  🟡 due within 7 days or behind  🟢 on track"},
	"dept_count":           {"%s%d项", "%s %d"},
	"colon":                {"：", ": "},
	"list_sep":             {"、", ", "},
	"pending_none":         {"目前没有待销号的任务，也没有待审批的延期申请。", "Nothing waits for sign-off or a decision."},
	"pending_head":         {"<b>待处理</b>：待销号%d项，延期申请%d件。", "<b>Waiting</b>: %d for sign-off, %d extension requests."},
	"pending_review":       {"<b>待销号</b>", "<b>For sign-off</b>"},
	"pending_claim":        {"\n　报告：%s", "\n  report: %s"},
	"pending_ext":          {"<b>延期申请</b>", "<b>Extension requests</b>"},
	"pending_ext_line":     {"<b>%s</b>：%s→%s（%s，理由：%s）", "<b>%s</b>: %s → %s (%s, reason: %s)"},
	"extend_continuous":    {"任务%s为持续推进任务，没有完成时限，无需延期。如有困难，请发送“/blocked 编号 困难说明”，或请督办员用/deadline设定时限。", "Task %s is continuous and has no deadline to extend; report a problem with /blocked, or ask a coordinator to set a deadline."},
	"extend_not_later":     {"新日期%s须晚于现时限%s，也须晚于今天（%s），未提交申请。", "The new date %s must be after the current deadline %s and after today (%s); nothing was requested."},
	"extend_replaced":      {"此前提交的延期申请（延至%s）已被本次申请替换。", "It replaces the earlier request (to %s)."},
	"extend_rejected_note": {"不同意延期至%s，理由：%s", "extension to %s refused: %s"},
	"progress_bad":         {"没能读懂任务%[1]s的进度。", "Could not read the progress of %[1]s."},
	"progress_bad_pct":     {"任务%[1]s的进度百分比须在0%%到100%%之间。", "The percent for %[1]s must be 0–100%%."},
	"progress_target":      {"任务%[1]s的目标值是%[2]s%[3]s，只有督办员能用/target修改；请只填完成数，如“40”或“40/%[2]s”。", "The target of %[1]s is %[2]s %[3]s and only a coordinator changes it (/target); send the count done."},
	"progress_integer":     {"任务%[1]s按%[3]s计数，完成数须为整数。", "Task %[1]s counts %[3]s: the count must be a whole number."},
	"progress_read_count":  {"已记为%s/%s%s（%d%%）。", " Recorded as %s/%s %s (%d%%)."},
	"progress_read_over":   {"已记为%s/%s%s，超额完成（%d%%）。", " Recorded as %s/%s %s, over target (%d%%)."},
	"progress_read_pct":    {"已记为%d%%。", " Recorded as %d%%."},
	"note_only":            {"（仅记录说明，进度未变，仍为%d%%。）", " (note only; progress unchanged at %d%%.)"},
	"example_count":        {"“%s”（完成数，目标%s%s）或“60%%”", "“%s” (count, target %s %s) or “60%%”"},
	"saved_target":         {"已修改目标值。", "Target set."},
	"k_return":             {"退回重办", "returned"},
	"k_answer":             {"督办答复", "answered"},
	"k_target":             {"修改目标", "target"},
	"usage_pending":        {"/pending", "/pending"}, "menu_pending": {"待销号任务和待审批的延期", "what waits for sign-off or a decision"},
	"usage_return": {"/return 编号 理由", "/return ID reason"}, "menu_return": {"退回重办", "return a done claim"},
	"usage_target": {"/target 编号 目标值 [计量单位]", "/target ID N [unit]"}, "menu_target": {"修改目标值", "set a task's target"},
	"history_title":   {"<b>任务%s督办记录</b>（共%d条，第%d/%d页）", "<b>History of %s</b> (%d entries, page %d/%d)"},
	"history_next":    {"发送“/history %s %d”查看下一页。", "Send /history %s %d for the next page."},
	"history_no_page": {"任务%s的记录只有%d页。", "The history of %s has %d pages."},
	"history_more":    {"（共%d条，发送“/history %s”查看全部。）", "(%d entries; /history %s shows them all.)"},
	"list_sep2":       {"；", "; "},
	"via_system":      {"系统", "system"},
	"via_import":      {"导入", "import"},
	"via_cli":         {"命令行", "command line"},
	"via_telegram":    {"联络员", "contact"},
	"usage_history":   {"/history 编号 [页码]", "/history ID [page]"}, "menu_history": {"任务的全部督办记录", "a task's whole history"},
	"registered_more":         {"登记成功：您现在也是%s的联络员（所属单位：%s）。发送/my查看各单位任务。", "Registered: you are now also a contact of %s (departments: %s). Send /my."},
	"my_split":                {"其中牵头%d项，配合%d项（标“配合”者由其他单位牵头）。", "%d led, %d supported (marked “with”, led by another department)."},
	"my_co":                   {"　〔配合，牵头：%s〕", " [with; led by %s]"},
	"people_head":             {"<b>登记人员</b>%d人：", "<b>People</b>: %d"},
	"people_line":             {"%s（%d）：%s；%s；最近使用：%s", "%s (%d): %s; %s; last seen %s"},
	"people_admin":            {"（%d）：管理员（命令行指定，未登记）", "(%d): admin (named on the command line)"},
	"people_reachable":        {"可送达", "reachable"},
	"people_unreachable":      {"已屏蔽机器人，无法送达", "blocked the bot"},
	"people_never":            {"无记录", "never"},
	"role_admin":              {"管理员", "admin"},
	"role_contact":            {"%s联络员", "contact of %s"},
	"removed":                 {"已取消%s（%d）的登记，其历史记录保留。", "%s (%d) is no longer registered; their history stays."},
	"invites_none":            {"目前没有未使用的邀请链接。", "No open invites."},
	"invites_head":            {"<b>未使用的邀请</b>%d个：", "<b>Open invites</b>: %d"},
	"invite_line":             {"%s：%s，%s前有效", "%s: %s, valid until %s"},
	"btn_revoke":              {"撤销%s", "Revoke %s"},
	"invite_revoked":          {"已撤销邀请%s（%s），该链接不能再用于登记。", "Invite %s (%s) revoked."},
	"coordinator_group":       {"%d是群组ID，不是用户：请填写用户ID或@用户名。", "%d is a group, not a user: give a user ID or @username."},
	"coordinator_unknown":     {"用户“%s”尚未登记（从未与机器人对话），机器人无法联系他：请按下面的按钮（或发送“/invite 督办员”）生成督办员邀请链接发给他。", "User %s has never started the bot: send /invite coordinator and pass them the link."},
	"coordinator_not":         {"用户%d不是督办员。", "User %d is not a coordinator."},
	"coordinator_off":         {"用户%d已不再是督办员。", "User %d is no longer a coordinator."},
	"you_are_not_coordinator": {"您已不再担任督办员。", "You are no longer a coordinator."},
	"usage_people":            {"/people", "/people"}, "menu_people": {"登记人员及其角色", "registered people and their roles"},
	"usage_remove": {"/remove 用户ID或@用户名", "/remove USER"}, "menu_remove": {"取消某人的登记", "take a person's access away"},
	"usage_invites": {"/invites [revoke 邀请编号]", "/invites [revoke ID]"}, "menu_invites": {"未使用的邀请及撤销", "open invites, revoke one"},
	"usage_invite_coord": {"/invite 督办员", "/invite coordinator"}, "menu_invite_coord": {"生成督办员邀请链接（仅管理员）", "invite a coordinator (admins only)"},
	"help_loop":            {"联络员报完成后任务进入“待销号”，您会收到“销号/退回重办”按钮；/pending查看待处理事项。", "A done report waits for your sign-off (buttons 销号 / 退回重办); /pending lists what waits."},
	"registered_leave_ask": {"如果新单位取代原单位，请按下面的按钮退出原单位；否则无需操作。", "If the new department replaces an old one, leave the old one below; otherwise do nothing."},
	"btn_leave":            {"退出%s", "Leave %s"},
	"leave_last":           {"您只剩这一个单位，不能退出；如需取消登记，请联系督办员。", "This is your only department; ask a coordinator to remove you."},
	"left_dept":            {"已退出%s。您现在是%s的联络员。", "You left %s. You are a contact of %s."},
	"left_dept_short":      {"已退出%s", "Left %s"},
	"extension_superseded": {"该申请已被同一任务的新申请替换。", "This request was replaced by a newer one for the same task."},
	"btn_invite_coord":     {"生成督办员邀请链接", "Make a coordinator invite"},
	"toast_invite":         {"已生成邀请链接。", "Invite made."},
}
