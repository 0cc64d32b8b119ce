package lang

// storeTexts holds the sentences of the store's coded errors (store.Refuse
// and store.Wrap name these keys; a Wrap's cause is the last argument).
// They keep the spacing they were published with (“没有编号为 4.1.3 的任务”,
// pinned by the chat tests); the command line's database messages stay
// bilingual in Chinese, as the operator reads them before --lang applies.
var storeTexts = map[string][2]string{
	"e_internal": {"内部错误，已记录日志，请稍后再试。", "Internal error; it has been logged. Please try again later."},

	"e_db_corrupt": {"数据库 %[1]s 已损坏或不是 duban 数据库（%[2]s）：请从备份恢复（见 docs/deploy.md），或运行 duban check --db %[1]s 查看详情；duban 不会覆盖它 / database %[1]s is damaged or not a duban database: restore it from a backup, or run duban check: %[3]s",
		"database %[1]s is damaged or not a duban database (%[2]s): restore it from a backup (see docs/deploy.md), or run duban check --db %[1]s for details; duban will not overwrite it: %[3]s"},
	"e_db_empty":          {"0 字节的空文件，可能是一次失败的恢复 / an empty file", "an empty file (0 bytes), probably a failed restore"},
	"e_db_no_meta":        {"没有有效的 bbolt 元数据页 / no valid bbolt meta page", "no valid bbolt meta page"},
	"e_db_truncated":      {"文件被截断：%[1]d 字节，应至少 %[2]d 字节 / truncated: %[1]d of %[2]d bytes", "truncated: %[1]d of %[2]d bytes"},
	"e_db_locked":         {"数据库 %s 正被另一个进程使用（例如正在运行的 duban serve）：请先停止它，或用 --db 指定其他文件：%s", "database %s is used by another process (a running duban serve, say): stop it first, or name another file with --db: %s"},
	"e_db_open":           {"打开数据库 %s: %s", "open database %s: %s"},
	"e_db_backup":         {"备份到 %s: %s", "back up to %s: %s"},
	"e_db_init":           {"初始化数据库：%s", "initialise the database: %s"},
	"e_db_upgrade_backup": {"升级前备份：%s", "back up before the upgrade: %s"},
	"e_db_too_new":        {"数据库版本 %d 比本程序支持的 %d 新：请升级 duban", "database version %d is newer than the %d this program supports: upgrade duban"},
	"e_db_migrate":        {"迁移到版本 %d: %s", "migrate to version %d: %s"},

	"e_plan_id_bad":       {"计划编号无效：%q", "Invalid plan ID: %q"},
	"e_no_active_plan":    {"没有进行中的计划", "No active plan"},
	"e_plans_active":      {"有%d个进行中的计划（%s），请指明计划", "%d plans are active (%s): name one"},
	"e_no_plan":           {"没有计划“%s”", "No plan “%s”"},
	"e_plans_of_year":     {"%s年有%d个计划（%s），请用计划编号指明", "%s has %d plans (%s): name one by its ID"},
	"e_task_ambiguous":    {"编号 %s 在%d个计划中都有：%s。请写明计划，如“%s”", "%s is in %d plans: %s. Name the plan, e.g. %s"},
	"e_task_removed":      {"任务 %s 已删除（可恢复：/restore %s）", "Task %s was removed (to undo: /restore %s)"},
	"e_plan_archived":     {"计划 %s 已归档", "Plan %s is archived"},
	"e_plan_not_archived": {"计划 %s 未归档", "Plan %s is not archived"},
	"e_remove_reason":     {"删除任务须写明原因", "Say why the task is removed"},
	"e_restore_taken":     {"编号 %s 已有另一项任务，不能恢复", "Another task has the ID %s: cannot restore"},
	"e_no_removed_task":   {"没有已删除的任务 %s", "No removed task %s"},
	"e_removed_ambiguous": {"编号 %s 在%d个计划中都已删除，请写明计划，如“2026/%s”", "%s was removed in %d plans: name the plan, e.g. 2026/%s"},
	"e_carry_nothing":     {"没有可结转的上一计划：只有导入新一年的计划文档，且上一计划还有未完成的任务时，才能结转", "Nothing to carry over: only a new plan document can carry the unfinished tasks of the last plan"},
	"e_carry_self":        {"不能把计划结转到它自己", "A plan cannot be carried over into itself"},
	"e_row_plan":          {"任务 %s：%s", "Task %s: %s"},
	"e_new_task_plan":     {"新任务 %s：%s（在编号前写明计划，如“2026/%s”）", "New task %s: %s (put the plan before the ID, e.g. 2026/%s)"},
	"e_task_archived":     {"任务 %s 所属计划已归档，不能修改", "Task %s belongs to an archived plan and cannot change"},

	"e_no_user":           {"没有登记的用户“%s”", "No registered user “%s”"},
	"e_no_invite":         {"没有编号为%s的有效邀请", "No open invite %s"},
	"e_no_dept":           {"没有名为“%s”的单位", "No department named “%s”"},
	"e_dept_exists":       {"单位“%s”已存在", "Department “%s” already exists"},
	"e_dept_has_tasks":    {"单位“%s”仍有任务，不能删除（可用rename更名）", "Department “%s” still has tasks and cannot be removed (rename it instead)"},
	"e_dept_has_contacts": {"单位“%s”仍有联络员，不能删除", "Department “%s” still has contacts and cannot be removed"},
	"e_user_unregistered": {"用户%d未登记", "User %d is not registered"},
	"e_invite_invalid":    {"邀请链接无效、已使用或已过期，请向督办员索取新的链接。", "This invite link is not valid, already used or expired; ask a coordinator for a new one."},
	"e_no_extension":      {"没有编号为%d的延期申请", "No extension request %d"},

	"e_no_task":             {"没有编号为 %s 的任务", "No task %s"},
	"e_task_id_empty":       {"任务编号为空", "The task ID is empty"},
	"e_task_id_bad":         {"任务编号含非法字符", "The task ID contains an invalid character"},
	"e_task_status_bad":     {"任务 %s 状态无效：%q", "Task %s: invalid status %q"},
	"e_task_progress_bad":   {"任务 %s 进度应在 0–100 之间", "Task %s: progress must be 0–100"},
	"e_task_ctx":            {"任务 %s: %s", "task %s: %s"},
	"e_import_dup_id":       {"编号 %s 重复", "ID %s appears twice"},
	"e_import_unknown_dept": {"任务 %s: 未知单位“%s”", "Task %s: unknown department “%s”"},

	"e_date_format":      {"日期格式应为 2006-01-02：%q", "dates are written 2006-01-02: %q"},
	"e_date_none":        {"日期不存在：%s-%s-%s", "no such date: %s-%s-%s"},
	"e_deadline_empty":   {"完成时限为空", "the deadline is empty"},
	"e_deadline_month":   {"无法识别的月份：%q", "unknown month: %q"},
	"e_deadline_quarter": {"无法识别的季度：%q", "unknown quarter: %q"},
	// The lifecycle table of docs/ARCHITECTURE.md (Lang.LifecycleTable).
	"lifecycle_corner":  {"操作 \\ 状态", "action \\ status"},
	"lifecycle_confirm": {"%s（确认）", "%s (confirm)"},

	// The command line's import summary (duban import).
	"import_result": {"新增 %d 项，更新 %d 项，未变 %d 项", "%d new, %d updated, %d unchanged"},

	"e_deadline_unknown": {"无法识别的完成时限 %q（可写 2021-06-30、6月底前、三季度末、年底前、持续推进）", "unknown deadline %q (write 2021-06-30, 6月底前, 三季度末, 年底前 or 持续推进)"},
}
