package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

func runPlans(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "plans", "[archive ID | activate ID | remove ID --yes]",
		"列出计划（年度、任务数、完成率、状态），或维护计划。每年的工作要点是一个计划，任务编号在计划内唯一；\n"+
			"不同计划有同一编号时写“计划/编号”（如 2026/4.1.3）。archive 归档：不再提醒、不进周报和列表，仍可查询和导出（--plan）；\n"+
			"activate 取消归档；remove 连同任务和历史一并删除（须加 --yes，删除前请 duban backup）。")
	yes := fs.Bool("yes", false, "确认删除（remove 时必须）/ confirm remove")
	pos, err := c.parse(fs, args, -1, "")
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return c.withDB(existing, func(db *store.DB) error {
			return db.View(func(tx *store.Tx) error { return printPlans(env, tx) })
		})
	}
	if len(pos) != 2 || (pos[0] != "archive" && pos[0] != "activate" && pos[0] != "remove") {
		return usagef("用法：duban plans [archive ID | activate ID | remove ID --yes]")
	}
	by := store.Actor{Via: "cli", Name: "duban plans"}
	return c.withDB(readWrite, func(db *store.DB) error {
		return db.Update(func(tx *store.Tx) error {
			switch pos[0] {
			case "archive":
				p, n, err := tx.ArchivePlan(pos[1], by)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "已归档计划 %s《%s》：%d 项任务不再提醒，也不进周报和列表；仍可 /task %s/编号 查询，duban export --plan %s 导出。\n", p.ID, p.Title, n, p.ID, p.ID)
			case "activate":
				p, n, err := tx.ActivatePlan(pos[1], by)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "已恢复计划 %s《%s》：%d 项任务重新提醒。\n", p.ID, p.Title, n)
			case "remove":
				r, err := tx.RemovePlan(pos[1], !*yes)
				if err != nil {
					return err
				}
				if *yes && r.Plan.Example && tx.IsExamplePlan() {
					if err := tx.SetSetting(store.ExamplePlanSetting, ""); err != nil {
						return err
					}
				}
				what := fmt.Sprintf("计划 %s《%s》的 %d 项任务及其 %d 条历史记录", r.Plan.ID, r.Plan.Title, r.Tasks, r.History)
				if !*yes {
					return usagef("将永久删除%s，无法恢复（备份文件里的仍在：先运行 duban backup -o 文件）。确认请加 --yes", what)
				}
				fmt.Fprintf(env.Stdout, "已删除%s。\n", what)
			}
			return nil
		})
	})
}

// printPlans lists every plan with its counts.
func printPlans(env *Env, tx *store.Tx) error {
	sums, err := tx.PlanSummaries()
	if err != nil {
		return err
	}
	if len(sums) == 0 {
		fmt.Fprintln(env.Stdout, "还没有计划：duban import 计划文件")
		return nil
	}
	rows := [][]string{{"计划", "年度", "任务", "完成", "状态", "标题"}}
	for _, s := range sums {
		state := "进行中"
		if !s.Plan.Active() {
			state = "已归档"
		}
		if s.Plan.ID == "" {
			state = "（未归入计划）"
		}
		if tx.IsExamplePlan() && s.Plan.Example {
			state += "·示例"
		}
		tasks := strconv.Itoa(s.Tasks)
		if s.Removed > 0 {
			tasks += fmt.Sprintf("（另删除%d）", s.Removed)
		}
		year := ""
		if s.Plan.Year != 0 {
			year = strconv.Itoa(s.Plan.Year)
		}
		rows = append(rows, []string{s.Plan.ID, year, tasks, strconv.Itoa(s.DonePercent()) + "%", state, short(s.Plan.Title, 30)})
	}
	for _, line := range schedule.Columns(rows, len(rows[0])) {
		fmt.Fprintln(env.Stdout, line)
	}
	return nil
}

// scopePlan applies a --plan flag to a transaction: "" keeps the active
// plans; a plan's ID (2026) or year limits lists to it.
func scopePlan(tx *store.Tx, ref string) (*store.Plan, error) {
	if strings.TrimSpace(ref) == "" {
		return nil, nil
	}
	p, err := tx.ScopePlan(ref)
	if err != nil {
		return nil, usagef("--plan %s：%s（duban plans 查看计划）", ref, userText(err))
	}
	return p, nil
}

// scopeActive is scopePlan for what only active plans have (reminders,
// the digest): an archived plan is refused, saying what it does not get.
func scopeActive(tx *store.Tx, ref, what string) error {
	p, err := scopePlan(tx, ref)
	if err == nil && p != nil && !p.Active() {
		err = fmt.Errorf("计划 %s 已归档：%s（duban plans activate %s 取消归档）", p.ID, what, p.ID)
	}
	return err
}

// runTaskChange is `duban tasks remove ID --reason …` and `duban tasks
// restore ID`.
func runTaskChange(env *Env, c *common, verb, ref, reason string) error {
	by := store.Actor{Via: "cli", Name: "duban tasks"}
	return c.withDB(readWrite, func(db *store.DB) error {
		return db.Update(func(tx *store.Tx) error {
			if verb == "remove" {
				if strings.TrimSpace(reason) == "" {
					return usagef("删除任务须写明原因：duban tasks remove %s --reason 原因", ref)
				}
				t, err := tx.RemoveTask(ref, by, reason)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "已删除任务 %s（%s）：不再出现在列表、提醒、周报和导出中；历史已记下原因。恢复：duban tasks restore %s\n", t.Key(), short(t.Text, 30), t.Key())
				return nil
			}
			t, err := tx.RestoreTask(ref, by, reason)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "已恢复任务 %s（%s），历史完整保留。\n", t.Key(), short(t.Text, 30))
			return nil
		})
	})
}
