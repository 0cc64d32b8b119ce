package main

import (
	"context"
	"fmt"

	"github.com/duban-bureau/duban/store"
)

// exampleNotice says what the example plan is and how to leave it; serve
// logs it, shell and import print it.
const exampleNotice = "这是内置示例计划（演示用）：它的提醒只发给管理员，不发给登记的联络员。" +
	"正式使用：停止机器人，删除该数据库（或换 --db），用 --plan none 启动后导入本局的计划；" +
	"或者就用这份计划：duban example adopt"

// exampleNoticeEn is exampleNotice in English (shell --lang en).
const exampleNoticeEn = "This is the bundled example plan (a demonstration): its reminders go only to the admins, not to registered contacts. " +
	"For real use: stop the bot, delete this database (or use another --db), start with --plan none and import your bureau's plan; " +
	"or keep this plan: duban example adopt"

func runExample(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "example", "[adopt]",
		"查看数据库里的任务是否为内置示例计划（serve/shell 在空库时载入）。示例计划的提醒只发给管理员；\n"+
			"adopt 采用它，此后照常提醒各单位联络员。正式部署请用 serve --plan none 启动空库。")
	pos, err := c.parse(fs, args, -1, "")
	if err != nil {
		return err
	}
	if len(pos) > 1 || (len(pos) == 1 && pos[0] != "adopt") {
		return usagef("用法：duban example [adopt]")
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
