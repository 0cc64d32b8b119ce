package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/duban-bureau/duban/bot"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

var errDryRun = errors.New("dry run")

func runImport(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "import", "FILE [--dry-run] [--year N] [--force] [--remove-example] [--plan ID] [--carry-over]",
		"导入计划文档（.docx/.txt/.md/.doc/.wps：按“一、”章、“（一）”节拆分，节的第一句是标题，其后每句一项任务；识别完成时限与目标值；文中写明的牵头单位直接确认，其余按关键词建议；见 README“导入计划或清单”）或责任清单（.csv/.xlsx）。\n"+
			"全部成功才写入；按编号更新已有任务并保留其历史，并列出每项任务改动的字段（旧值→新值）。\n"+
			"清单行的“更新时间”早于库中该任务之后的修改、且改动了那之后修改过的字段时，为冲突：不导入，列出文件值与库中值；--force 照文件写入（历史中记为强制导入）。")
	dry := fs.Bool("dry-run", false, "只检查并报告，不写入 / check and report only")
	year := fs.Int("year", 0, "计划年度（文件未写明时用它），并把所有日期移到该年份 / the plan year; rebase every date to year N")
	xlsxOut := fs.String("o", "", "把拆分出的任务分解表写入 FILE.xlsx / write the decomposed list to FILE.xlsx")
	force := fs.Bool("force", false, "冲突的行也照文件写入（覆盖库中较新的修改）/ apply conflicting rows too")
	removeExample := fs.Bool("remove-example", false, "导入前删除内置示例计划的任务及其历史 / remove the example plan first")
	planRef := fs.String("plan", "", "责任清单中未写明计划的行导入该计划 / the plan for list rows that name none")
	carry := fs.Bool("carry-over", false, "把上一计划未完成的任务结转到新计划（保留历史，标“结转”）/ carry unfinished tasks of the last plan over")
	pos, err := c.parse(fs, args, 1, "要导入的文件 FILE")
	if err != nil {
		return err
	}
	if *year != 0 && (*year < 2000 || *year > 2100) {
		return usagef("--year %d 超出范围 (2000–2100)", *year)
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return fmt.Errorf("读取 %s: %w", pos[0], err)
	}
	return c.withDB(readWrite, func(db *store.DB) error {
		var out strings.Builder
		var rep *intake.Report
		carryHint := "" // a new plan that could carry the last one's open tasks
		err = db.Update(func(tx *store.Tx) error {
			tx.SetContext(ctx) // SIGINT/SIGTERM stops the import and rolls it back
			if err := seedDepartments(tx); err != nil {
				return err
			}
			if *removeExample {
				if err := canRemoveExample(tx); err != nil {
					return err
				}
			}
			if *planRef != "" {
				if _, err := tx.ImportInto(*planRef); err != nil {
					return usagef("--plan %s：%s（duban plans 查看计划）", *planRef, userText(err))
				}
			}
			im, err := intake.Read(tx, pos[0], data, intake.Options{Year: *year, Loc: c.loc})
			if err != nil {
				return err
			}
			if *carry && im.Plan == nil {
				return usagef("--carry-over 只用于导入新一年的计划文档")
			}
			if !*carry {
				if p, err := im.Preview(tx); err == nil && p.Carry.From != "" {
					carryHint = fmt.Sprintf("计划 %s 还有 %d 项未完成的任务：要转入新计划（保留历史，标“结转”），导入时加 --carry-over。", p.Carry.From, p.Carry.Open)
				}
			}
			if err := writeDecomposed(*xlsxOut, im); err != nil {
				return err
			}
			if !*dry {
				fmt.Fprintf(env.Stderr, "正在导入 %d 项…\n", len(im.Tasks))
			}
			// A dry run applies too, and rolls back: what it reports is
			// exactly what the import would write.
			rep, err = im.Apply(tx, intake.ApplyOptions{By: store.Actor{Via: "cli", Name: "duban import"}, Note: filepath.Base(pos[0]),
				Force: *force, RemoveExample: *removeExample, CarryOver: *carry})
			if err != nil {
				return err
			}
			if rep.Carry.Moved > 0 {
				fmt.Fprintf(&out, "结转：计划 %s 的 %d 项未完成任务已转入计划 %s（保留历史，标“结转”）\n", rep.Carry.From, rep.Carry.Moved, im.Plan.ID)
			}
			describeLoaded(&out, im)
			describeSkipped(&out, im)
			if s := intake.Render(c.lang(), rep, intake.RenderOptions{Loc: c.loc, ForceHint: "intake_force_hint_cli"}); s != "" {
				fmt.Fprintln(&out, s)
			}
			if *dry {
				return errDryRun
			}
			return nil
		})
		if err != nil && ctx.Err() != nil {
			return fmt.Errorf("导入 %s 已中断，数据库未做任何修改", pos[0])
		}
		if err != nil && !errors.Is(err, errDryRun) {
			return fmt.Errorf("导入 %s 失败，数据库未做任何修改：\n%w", pos[0], err)
		}
		fmt.Fprint(env.Stdout, out.String())
		fmt.Fprintf(env.Stdout, "%s\n", importSummary(rep))
		switch e := rep.Example; {
		case e.Removed > 0:
			fmt.Fprintf(env.Stdout, "已移除内置示例计划的 %d 项任务及其历史。\n", e.Removed)
		case e.Loaded:
			fmt.Fprintf(env.Stdout, "注意：数据库里还有内置示例计划的 %d 项任务（演示用）。导入时加 --remove-example 一并删除，或运行 duban example remove；要保留它：duban example adopt。\n", e.Tasks)
		}
		if carryHint != "" {
			fmt.Fprintln(env.Stdout, carryHint)
		}
		if *dry {
			fmt.Fprintln(env.Stdout, "（试运行：未写入数据库）")
		}
		return nil
	})
}

// importSummary is the counts line of an import: 新增, 更新 (forced rows
// included), 未变, and the conflicts left out.
func importSummary(r *intake.Report) string {
	s := fmt.Sprintf("新增 %d 项，更新 %d 项，未变 %d 项", len(r.Created), len(r.Updated)+len(r.Forced), r.Unchanged)
	if len(r.Forced) > 0 {
		s += fmt.Sprintf("（其中强制导入 %d 项）", len(r.Forced))
	}
	if len(r.Conflicts) > 0 {
		s += fmt.Sprintf("，冲突 %d 项未导入", len(r.Conflicts))
	}
	return s
}

// describeLoaded writes what a file held: the plan and its sections, or the
// number of list rows.
func describeLoaded(w *strings.Builder, l *intake.Import) {
	if l.Kind == intake.KindList {
		fmt.Fprintf(w, "责任清单：%d 行\n", len(l.Tasks))
		return
	}
	suggested := 0
	var sections []string
	count := map[string]int{}
	for _, t := range l.Tasks {
		if t.LeadSuggested {
			suggested++
		}
		sec, _, _ := strings.Cut(t.Section, " / ")
		if count[sec] == 0 {
			sections = append(sections, sec)
		}
		count[sec]++
	}
	fmt.Fprintf(w, "工作要点：%s（%d年）\n", l.Plan.Title, l.Plan.Year)
	for _, s := range sections {
		fmt.Fprintf(w, "  %s：%d 项任务\n", s, count[s])
	}
	fmt.Fprintf(w, "任务 %d 项，主要目标指标 %d 项；%d 项的牵头单位为关键词建议，待督办员确认\n", len(l.Tasks), len(l.Plan.Indicators), suggested)
	if none := countLeadless(l.Tasks); none > 0 {
		fmt.Fprintf(w, "%d 项未写明牵头单位，也无建议：导入后请督办员用 /assign 指定\n", none)
	}
}

func countLeadless(tasks []*store.Task) int {
	n := 0
	for _, t := range tasks {
		if t.Lead == "" {
			n++
		}
	}
	return n
}

// inZone shows the tasks' update times in the bureau's zone (a file's
// 更新时间 column has no zone of its own).
func inZone(tasks []*store.Task, loc *time.Location) {
	for _, t := range tasks {
		t.UpdatedAt = t.UpdatedAt.In(loc)
	}
}

// seedDepartments fills an empty department list from the bundled one.
func seedDepartments(tx *store.Tx) error { return intake.SeedDepartments(tx) }

func runExport(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "export", "[--plan ID] [--format csv|xlsx] [-o FILE]", "导出责任清单，列为：编号、章节、工作任务、牵头单位、配合单位、完成时限、目标值、计量单位、状态、进度、最新进展、更新时间（与 import 所读相同）。CSV 为带 BOM 的 UTF-8，Excel 可直接打开。\n"+
		"默认导出进行中的计划；--plan 只导出一个计划（也可是已归档的）。数据库有多个计划时，编号写作“计划/编号”（2026/4.1.3），再导入时不会混淆。")
	planRef := fs.String("plan", "", "只导出该计划（duban plans 查看）/ one plan only")
	format := fs.String("format", "", "csv 或 xlsx（默认按 -o 的扩展名，否则 csv）")
	outPath := fs.String("o", "", "输出文件（默认标准输出）/ output file (default stdout)")
	_, err := c.parse(fs, args, 0, "")
	if err != nil {
		return err
	}
	f := listfile.Format(strings.ToLower(*format))
	if f == "" {
		f = listfile.CSV
		if *outPath != "" {
			if g, err := listfile.FormatOf(*outPath); err == nil {
				f = g
			}
		}
	}
	if f != listfile.CSV && f != listfile.XLSX {
		return usagef("--format 只能是 csv 或 xlsx，不是 %q", *format)
	}
	return c.withDB(existing, func(db *store.DB) error {
		var tasks []*store.Task
		title := ""
		if err := db.View(func(tx *store.Tx) error {
			title = bot.ExportTitle(tx, c.lang())
			tasks, err = planTasks(tx, *planRef)
			return err
		}); err != nil {
			return err
		}
		inZone(tasks, c.loc)
		w := env.Stdout
		var file *os.File
		if *outPath != "" {
			if file, err = os.Create(*outPath); err != nil {
				return err
			}
			defer file.Close()
			w = file
		}
		if f == listfile.XLSX {
			err = listfile.WriteXLSXTitled(w, title, tasks, nil)
		} else {
			err = listfile.WriteCSV(w, tasks)
		}
		if err != nil {
			return err
		}
		if file != nil {
			if err := file.Close(); err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "已导出 %d 项任务到 %s\n", len(tasks), *outPath)
		}
		return nil
	})
}

func runTasks(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "tasks", "[--plan ID] [--overdue] [--dept 单位] [--at DATE] | remove ID --reason 原因 | restore ID",
		"列出任务，按编号；--overdue 只列逾期（以 --at 那天为准，默认今天）；默认列进行中的计划，--plan 只列一个计划。\n"+
			"remove 删除一项任务（须写原因）：它离开列表、提醒、周报和导出，历史记下谁、为何删除；restore 连同历史恢复。")
	planRef := fs.String("plan", "", "只列该计划的任务（duban plans 查看）/ one plan only")
	reason := fs.String("reason", "", "remove 的原因 / why (remove)")
	overdue := fs.Bool("overdue", false, "只列逾期任务 / overdue only")
	dept := fs.String("dept", "", "只列该单位牵头或配合的任务 / one department's tasks")
	at := fs.String("at", "", "以该日期判断逾期（默认今天）/ the day to judge by")
	pos, err := c.parse(fs, args, -1, "")
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 2 && (pos[0] == "remove" || pos[0] == "restore"):
		return runTaskChange(env, c, pos[0], pos[1], *reason)
	case len(pos) > 0:
		return usagef("用法：duban tasks [--plan ID] [--overdue] [--dept 单位] | remove ID --reason 原因 | restore ID")
	}
	now, err := parseDay(*at, c.loc, nowFunc())
	if err != nil {
		return err
	}
	on := store.DateOf(now)
	return c.withDB(existing, func(db *store.DB) error {
		var list []store.TaskRow
		err = db.View(func(tx *store.Tx) error {
			if *dept != "" && !tx.HasDepartment(*dept) {
				return usagef("没有名为“%s”的单位（duban depts 查看列表）", *dept)
			}
			p, err := scopePlan(tx, *planRef)
			if err != nil {
				return err
			}
			var tasks []*store.Task
			switch {
			case p != nil && !p.Active():
				tasks, err = tx.PlanTasks(p.ID) // an archived plan is in no index
				if *overdue {
					tasks = nil
				}
			case *overdue:
				// Rows from the deadline index's summaries: no record decoded.
				list, err = tx.OverdueRows(on)
				return err
			case *dept != "":
				tasks, err = tx.TasksByDept(*dept, true)
			default:
				tasks, err = tx.Tasks()
			}
			for _, t := range tasks {
				if *dept == "" || t.InDept(*dept) {
					list = append(list, t.Row())
				}
			}
			return err
		})
		if err != nil {
			return err
		}
		rows := [][]string{{"编号", "状态", "进度", "完成时限", "牵头单位", "工作任务"}}
		multi := false // rows of several plans: IDs qualified (2026/4.1.3)
		for _, t := range list {
			multi = multi || t.Plan != "" && t.Plan != list[0].Plan
		}
		for _, t := range list {
			status := t.Status.Zh()
			if d := t.DaysOverdue(on); d > 0 {
				status += fmt.Sprintf("·逾期%d天", d)
			}
			lead := t.Lead
			if t.LeadSuggested {
				lead += "(建议)"
			}
			id := t.ID
			if multi {
				id = t.Plan + store.KeySep + t.ID
			}
			rows = append(rows, []string{id, status, strconv.Itoa(t.Progress) + "%", store.FormatDeadline(t.Deadline, t.Cadence), lead, short(t.Text, 36)})
		}
		for _, line := range schedule.Columns(rows, len(rows[0])) {
			fmt.Fprintln(env.Stdout, line)
		}
		n := len(rows) - 1
		fmt.Fprintf(env.Stdout, "共 %d 项（%s）\n", n, on)
		return nil
	})
}

func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func runDepts(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "depts", "[add 单位 | rename 旧名 新名 | remove 单位 | import 文件]",
		"列出单位（任务数、联络员数），或维护单位列表。更名会同步所有任务和联络员并记入历史；仍有任务或联络员的单位不能删除。")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	return c.withDB(readWrite, func(db *store.DB) error {
		by := store.Actor{Via: "cli", Name: "duban depts"}
		switch {
		case len(pos) == 0:
			return db.Update(func(tx *store.Tx) error {
				if err := seedDepartments(tx); err != nil {
					return err
				}
				rows := [][]string{{"单位", "牵头任务", "联络员"}}
				for _, d := range tx.DepartmentNames() {
					contacts, _ := tx.ContactsByDept(d)
					rows = append(rows, []string{d, strconv.Itoa(tx.DeptTaskCount(d)), strconv.Itoa(len(contacts))})
				}
				for _, line := range schedule.Columns(rows, 1) {
					fmt.Fprintln(env.Stdout, line)
				}
				return nil
			})
		case pos[0] == "add" && len(pos) == 2:
			err = db.Update(func(tx *store.Tx) error { return tx.AddDepartment(pos[1]) })
		case pos[0] == "rename" && len(pos) == 3:
			err = db.Update(func(tx *store.Tx) error { return tx.RenameDepartment(pos[1], pos[2], by) })
		case pos[0] == "remove" && len(pos) == 2:
			err = db.Update(func(tx *store.Tx) error { return tx.RemoveDepartment(pos[1]) })
		case pos[0] == "import" && len(pos) == 2:
			return importDepts(env, db, pos[1])
		default:
			return usagef("用法：duban depts [add 单位 | rename 旧名 新名 | remove 单位 | import 文件]")
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "已更新单位列表")
		return nil
	})
}

func runBackup(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "backup", "-o FILE", "把数据库一致地复制到 FILE。serve 运行时请改用其运维端口的 /backup。")
	out := fs.String("o", "", "备份文件 / backup file (required)")
	_, err := c.parse(fs, args, 0, "")
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("缺少 -o FILE（备份文件）")
	}
	if _, err := os.Stat(c.DB); err != nil {
		return fmt.Errorf("数据库 %s 不存在", c.DB)
	}
	if sameFile(c.DB, *out) {
		return usagef("-o %s 就是数据库本身：请换一个备份文件名 / -o is the live database; choose another file", *out)
	}
	return c.withDB(readOnly, func(db *store.DB) error {
		n, err := db.BackupFile(*out)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "已备份 %s → %s（%d 字节）\n", c.DB, *out, n)
		return nil
	})
}

// sameFile reports whether a and b name the same file (or, when b does
// not exist yet, the same path).
func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	if fb, err := os.Stat(b); err == nil {
		return os.SameFile(fa, fb)
	}
	pa, err1 := filepath.Abs(a)
	pb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && pa == pb
}

// runCheck verifies a database file: every page (bbolt's consistency
// check), the schema, and that its tasks decode.
func runCheck(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "check", "", "检查数据库文件是否完好（逐页校验、结构版本、任务记录）。机器人运行时请先停止它，或检查 /backup 得到的副本。")
	if _, err := c.parse(fs, args, 0, ""); err != nil {
		return err
	}
	if _, err := os.Stat(c.DB); err != nil {
		return fmt.Errorf("数据库 %s 不存在 / no such file", c.DB)
	}
	return c.withDB(readOnly, func(db *store.DB) error {
		var schema, tasks int
		err := db.View(func(tx *store.Tx) error {
			schema, _ = tx.SchemaVersion()
			ts, err := tx.Tasks()
			tasks = len(ts)
			return err
		})
		if err != nil {
			return fmt.Errorf("数据库 %s 的任务记录无法读取（%v）：请从备份恢复 / its tasks do not decode: restore from a backup", c.DB, err)
		}
		fmt.Fprintf(env.Stdout, "数据库 %s 完好：结构版本 %d，%d 项任务，%d 字节 / ok\n", c.DB, schema, tasks, db.Size())
		return nil
	})
}

func runVersion(ctx context.Context, env *Env, args []string) error {
	fmt.Fprintf(env.Stdout, "duban %s (schema %d)\n", version, store.SchemaVersion)
	return nil
}

// planTasks is what an export holds: the active plans' tasks, or one
// plan's (an archived one too) with --plan. When the database holds more
// than one plan, IDs are written qualified (2026/4.1.3) so a re-import
// finds each task's plan.
func planTasks(tx *store.Tx, ref string) ([]*store.Task, error) {
	var tasks []*store.Task
	p, err := scopePlan(tx, ref)
	switch {
	case err != nil:
		return nil, err
	case p != nil:
		tasks, err = tx.PlanTasks(p.ID)
	default:
		tasks, err = tx.Tasks()
	}
	if err != nil {
		return nil, err
	}
	return tx.ForExport(tasks)
}
