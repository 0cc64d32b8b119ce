package main

import (
	"context"
	"fmt"

	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
)

// exampleNotice says what the example plan is and how to leave it; serve
// logs it, shell and import print it.
const exampleNotice = "这是内置示例计划（演示用）：它的提醒只发给管理员，不发给登记的联络员。" +
	"正式使用：停止机器人，删除该数据库（或换 --db），用 --plan none 启动后导入本局的计划；" +
	"或者删除示例任务：duban example remove（导入本局计划时也可加 --remove-example）；或者就用这份计划：duban example adopt"

// exampleNoticeEn is exampleNotice in English (shell --lang en).
const exampleNoticeEn = "This is the bundled example plan (a demonstration): its reminders go only to the admins, not to registered contacts. " +
	"For real use: stop the bot, delete this database (or use another --db), start with --plan none and import your bureau's plan; " +
	"or remove its tasks: duban example remove (or import your plan with --remove-example); or keep this plan: duban example adopt"

func runExample(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "example", "[adopt | remove]",
		"查看数据库里的任务是否为内置示例计划（serve/shell 在空库时载入）。示例计划的提醒只发给管理员；\n"+
			"adopt 采用它，此后照常提醒各单位联络员；remove 删除示例计划的任务及其历史（已采用的不能删除）。\n"+
			"正式部署请用 serve --plan none 启动空库。")
	pos, err := c.parse(fs, args, -1, "")
	if err != nil {
		return err
	}
	if len(pos) > 1 || (len(pos) == 1 && pos[0] != "adopt" && pos[0] != "remove") {
		return usagef("用法：duban example [adopt | remove]")
	}
	return c.withDB(readWrite, func(db *store.DB) error {
		return db.Update(func(tx *store.Tx) error {
			state := tx.Setting(store.ExamplePlanSetting)
			switch {
			case len(pos) == 0 && state == store.ExamplePlanLoaded:
				fmt.Fprintln(env.Stdout, exampleNotice)
			case len(pos) == 0 && state == store.ExamplePlanAdopted:
				fmt.Fprintln(env.Stdout, "内置示例计划已被采用：照常提醒各单位联络员。")
			case len(pos) == 0:
				fmt.Fprintln(env.Stdout, "数据库里没有内置示例计划。")
			case pos[0] == "remove":
				if err := canRemoveExample(tx); err != nil {
					return err
				}
				id, err := intake.ExamplePlanID(tx)
				if err != nil {
					return err
				}
				all := tx.TaskCount()
				n, err := tx.RemoveExamplePlan(id)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "已删除内置示例计划的 %d 项任务及其历史；数据库里还有 %d 项任务。\n", n, all-n)
			case state != store.ExamplePlanLoaded:
				return fmt.Errorf("数据库里没有未采用的内置示例计划，无需 adopt")
			default:
				if err := tx.SetSetting(store.ExamplePlanSetting, store.ExamplePlanAdopted); err != nil {
					return err
				}
				fmt.Fprintln(env.Stdout, "已采用内置示例计划：此后照常提醒各单位联络员。")
			}
			return nil
		})
	})
}

// canRemoveExample refuses to remove an example plan that is not there or
// was adopted (its tasks are the bureau's list now), saying why.
func canRemoveExample(tx *store.Tx) error {
	switch tx.Setting(store.ExamplePlanSetting) {
	case store.ExamplePlanLoaded:
		return nil
	case store.ExamplePlanAdopted:
		return fmt.Errorf("内置示例计划已被采用（duban example adopt），它的任务是本局的清单了，不能作为示例删除；未做任何修改")
	}
	return fmt.Errorf("数据库里没有内置示例计划，无需删除；未做任何修改")
}
