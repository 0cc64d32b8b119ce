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
	"days_left":    {"%s（还有 %d 天）", "%s (%d days left)"},
	"overdue_days": {"%s（已逾期 %d 天）", "%s (%d days overdue)"},
	"none":         {"（无）", "(none)"},

	"internal_error":   {"抱歉，处理时出错了，已记录。请稍后再试。", "Sorry, something went wrong; it has been logged. Please try again later."},
	"unknown_command":  {"没有 /%s 这个命令。发送 /help 查看可用命令。", "There is no /%s command. Send /help for the list."},
	"button_unknown":   {"这个按钮已失效。", "This button is no longer valid."},
	"usage":            {"用法：", "Usage: "},
	"need_contact":     {"此操作需要联络员身份：请通过督办员发来的邀请链接登记。", "This needs a registered contact: register through an invite link from a coordinator."},
	"need_coordinator": {"此操作需要督办员权限。", "This needs a coordinator."},
	"need_admin":       {"此操作需要管理员权限。", "This needs an admin."},
	"need_":            {"此操作需要登记。", "You need to register first."},
	"not_your_task":    {"任务 %s 不属于您的单位（牵头单位：%s），不能修改。", "Task %s belongs to another department (%s); you cannot change it."},
	"no_dept":          {"您尚未绑定单位。请通过邀请链接登记。", "You are not registered with a department. Use an invite link."},
	"unknown_dept":     {"没有名为“%s”的单位。发送 /depts 查看单位列表。", "No department named “%s”. Send /depts for the list."},
	"not_finished":     {"任务 %s 尚未完成或销号，无需重新打开。", "Task %s is not done or closed."},
	"plain_hint":       {"请回复提醒消息（如 60%、40/85、完成），或发送 /help 查看命令。", "Reply to a reminder (60%, 40/85, done) or send /help."},

	"welcome_stranger": {"您好，这里是督办机器人。您尚未登记：请通过督办员发来的邀请链接打开本机器人。您的用户 ID 是 %d。", "Hello, this is the duban bot. You are not registered: open the invite link a coordinator sends you. Your user ID is %d."},
	"registered":       {"登记成功：您是 %s 的联络员。发送 /my 查看本单位任务。", "Registered as a contact of %s. Send /my for your department's tasks."},
	"registered_coord": {"登记成功：您是督办员。发送 /help 查看命令。", "Registered as a coordinator. Send /help for the commands."},
	"help_head":        {"可用命令：", "Commands:"},
	"help_reply":       {"也可以直接回复提醒消息：60%、40/85、完成，或任何进展说明。", "You can also reply to a reminder: 60%, 40/85, done, or any note."},
	"my_head":          {"<b>%s</b> 未完成任务 %d 项（按完成时限）：", "<b>%s</b>: %d open tasks by deadline:"},
	"history_head":     {"<b>最近记录</b>", "<b>History</b>"},
	"overdue_head":     {"<b>逾期任务</b> %d 项：", "<b>Overdue</b>: %d tasks"},
	"due_head":         {"<b>未来 %d 天到期</b> %d 项：", "<b>Due in %d days</b>: %d tasks"},
	"depts_head":       {"<b>单位</b> %d 个（任务数 / 联络员数）：", "<b>Departments</b> (%d; tasks / contacts):"},
	"dept_line":        {"%s：%d / %d", "%s: %d / %d"},

	"saved_progress":      {"已更新进度。", "Progress saved."},
	"saved_done":          {"已标记完成，待督办员销号。", "Marked done; a coordinator will confirm."},
	"saved_blocked":       {"已记录困难，督办员会跟进。", "Marked blocked; coordinators will follow up."},
	"saved_note":          {"已记录进展。", "Note saved."},
	"saved_assign":        {"已指定责任单位。", "Owner set."},
	"saved_deadline":      {"已修改完成时限。", "Deadline set."},
	"saved_close":         {"已销号。", "Closed."},
	"saved_reopen":        {"已重新打开。", "Reopened."},
	"saved_depts":         {"单位列表已更新。", "Departments updated."},
	"saved_coordinator":   {"用户 %d 已设为督办员。", "User %d is now a coordinator."},
	"you_are_coordinator": {"您已被设为督办员。发送 /help 查看命令。", "You are now a coordinator. Send /help."},

	"prompt_prog":              {"请直接回复本消息填写任务 <b>%s</b> 的进度：60%% 或 40/85。\n%s", "Reply to this message with the progress of <b>%s</b>: 60%% or 40/85.\n%s"},
	"prompt_ext":               {"请直接回复本消息申请延期任务 <b>%s</b>：新日期 理由，例如 2021-07-31 设备到货延迟。\n%s", "Reply to this message to extend <b>%s</b>: NEW-DATE reason, e.g. 2021-07-31 equipment late.\n%s"},
	"prompt_blk":               {"请直接回复本消息说明任务 <b>%s</b> 遇到的困难。\n%s", "Reply to this message with what blocks <b>%s</b>.\n%s"},
	"toast_reply":              {"请回复刚收到的消息。", "Reply to the message just sent."},
	"extend_note":              {"申请延期：%s → %s，理由：%s", "extension requested: %s → %s, reason: %s"},
	"extend_ask":               {"<b>延期申请</b>\n%s 申请将任务 <b>%s</b> 的完成时限延期。\n%s\n原时限：%s → 新时限：%s\n理由：%s", "<b>Extension request</b>\n%s asks to extend <b>%s</b>.\n%s\nFrom %s to %s\nReason: %s"},
	"extend_sent":              {"已提交任务 %s 延期至 %s 的申请，等待督办员审批。", "Extension of %s to %s requested; waiting for a coordinator."},
	"extend_sent_short":        {"已提交延期申请", "Extension requested"},
	"extension_decided":        {"该申请已处理过。", "Already decided."},
	"extension_approved":       {"任务 <b>%s</b> 延期至 %s 已同意（%s）。", "Extension of <b>%s</b> to %s approved (%s)."},
	"extension_rejected":       {"任务 <b>%s</b> 延期至 %s 的申请被驳回（%s）。", "Extension of <b>%s</b> to %s rejected (%s)."},
	"extension_approved_short": {"已同意", "Approved"},
	"extension_rejected_short": {"已驳回", "Rejected"},

	"coordinator_word":      {"督办员", "coordinator"},
	"invite_made":           {"%[1]s 的邀请链接（一次有效，%[3]s 前有效）：\n%[2]s", "Invite for %s (single use, valid until %[3]s):\n%[2]s"},
	"digestchat_set":        {"本群已设为督办群：周报和逾期通报将发到这里。", "This group now receives digests and escalations."},
	"digestchat_off":        {"已取消督办群，周报和通报改发给各督办员。", "Digest chat cleared; coordinators get digests directly."},
	"digestchat_group_only": {"请在督办群里发送 /digestchat（私聊中发送 /digestchat off 可取消）。", "Send /digestchat in the coordinators' group (or /digestchat off here)."},

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
	"usage_export": {"/export", "/export"}, "menu_export": {"导出责任清单 Excel", "export the list as XLSX"},
	"usage_digestchat": {"/digestchat", "/digestchat"}, "menu_digestchat": {"在群里发送：设为督办群", "in a group: make it the coordinators' chat"},
	"usage_depts": {"/depts [add 单位 | rename 旧名 新名 | remove 单位]", "/depts [add D | rename OLD NEW | remove D]"}, "menu_depts": {"单位列表与维护", "list or edit departments"},
	"usage_coordinator": {"/coordinator 用户ID", "/coordinator USER_ID"}, "menu_coordinator": {"设为督办员", "make a coordinator"},
	"import_fetch_failed":    {"未能下载文件，请重新发送。", "Could not download the file; please send it again."},
	"import_bad":             {"无法导入 %s，未做任何修改：\n%s", "Cannot import %s; nothing changed:\n%s"},
	"import_preview":         {"<b>导入预览</b> %s\n共 %d 项：新增 %d，更新 %d，未变 %d。\n确认后一次性写入。", "<b>Import preview</b> %s\n%d rows: %d new, %d updated, %d unchanged.\nConfirm to write them in one go."},
	"import_gone":            {"该导入已处理或已过期。", "This import was already handled."},
	"import_discarded":       {"已取消导入 %s，未做任何修改。", "Import of %s cancelled; nothing changed."},
	"import_discarded_short": {"已取消", "Cancelled"},
	"import_done":            {"已导入 %s：新增 %d，更新 %d，未变 %d。", "Imported %s: %d new, %d updated, %d unchanged."},
	"import_done_short":      {"已导入", "Imported"},
	"export_caption":         {"责任清单，共 %d 项（%s 导出）", "Responsibility list, %d tasks (exported %s)"},
	"digest_sent":            {"周报已发到督办群。", "Digest sent to the coordinators' chat."},
	"remind_finished":        {"任务 %s 已完成或销号，无需提醒。", "Task %s is done or closed."},
	"remind_nobody":          {"%s 尚无登记的联络员，无法提醒。可用 /invite 邀请。", "%s has no registered contact; use /invite."},
	"remind_sent":            {"已提醒任务 %s 的 %d 位联络员。", "Reminded %[2]d contacts of %[1]s."},
	"list_more":              {"（仅列出前 %d 项，另有 %d 项：发送 /export 获取完整清单）", "(first %d shown, %d more: /export has them all)"},

	// Refusals of the store's validation layer (issue 9): %s is the field.
	"v_empty":         {"%s为空。", "%s is empty."},
	"v_control":       {"%s含有控制字符（%s），未做任何修改。", "%s contains a control character (%s); nothing changed."},
	"v_invisible":     {"%s含有不可见字符（%s：零宽字符、方向控制符或 BOM 等），未做任何修改。", "%s contains an invisible character (%s: zero-width, bidi control or BOM); nothing changed."},
	"v_too_long":      {"%s超过 %d 个字符的上限，未做任何修改。", "%s is longer than the limit of %d characters; nothing changed."},
	"v_too_many":      {"%s超过 %d 项的上限，未做任何修改。", "%s has more than the limit of %d items; nothing changed."},
	"v_not_finite":    {"%s“%s”不是有效的数，未做任何修改。", "%s %q is not a valid number; nothing changed."},
	"v_date_range":    {"%s %s 超出 %d–%d 年的范围，未做任何修改。", "%s %s is outside %d–%d; nothing changed."},
	"v_role_name":     {"单位不能以角色命名（“%s”）：请换一个名称。", "A department may not be named like a role (%q); choose another name."},
	"v_separator":     {"单位名称“%s”不能含有 、 , ; 等分隔符或“（建议）”标记。", "Department name %q may not contain 、 , ; or a (建议) mark."},
	"f_id":            {"编号", "ID"},
	"f_dept":          {"单位名称", "department name"},
	"f_note":          {"说明", "note"},
	"import_too_big":  {"文件 %s 超过 %d MB 的上限，未下载。", "%s is larger than the %d MB limit; not downloaded."},
	"v_untrimmed":     {"%s前后不能有空白。", "%s may not start or end with blanks."},
	"import_crashed":  {"抱歉，上次处理 %s 时机器人中断了，这个文件已跳过，未做任何修改。请检查文件（行数、列数、大小）后重新发送。", "Sorry, the bot stopped while handling %s last time; the file was skipped and nothing changed. Check its rows, columns and size, then send it again."},
	"import_not_list": {"不支持 %s：请发送 .xlsx、.csv 责任清单或 .txt、.md 工作要点。", "%s is not supported: send an .xlsx/.csv list or a .txt/.md plan."},
}
