package main

import (
	"context"
	"fmt"

	"github.com/duban-bureau/duban/store"
)

func runBureau(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "bureau", "[set 名称 [--short 简称]]",
		"查看或设置本局名称：周报标题和导出的责任清单上显示它（简称优先用于周报）。\n"+
			"未设置时，第一次导入写明落款单位的计划文档会用它。")
	short := fs.String("short", "", "简称（周报标题用）/ short name")
	pos, err := c.parse(fs, args, -1, "")
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return c.withDB(existing, func(db *store.DB) error {
			return db.View(func(tx *store.Tx) error {
				b := tx.Bureau()
				if b.Name == "" {
					fmt.Fprintln(env.Stdout, "尚未设置本局名称：duban bureau set 名称 [--short 简称]")
					return nil
				}
				fmt.Fprintf(env.Stdout, "本局：%s（简称：%s）\n", b.Name, b.ShortName())
				return nil
			})
		})
	case len(pos) == 2 && pos[0] == "set":
	default:
		return usagef("用法：duban bureau [set 名称 [--short 简称]]")
	}
	return c.withDB(readWrite, func(db *store.DB) error {
		return db.Update(func(tx *store.Tx) error {
			b := store.Bureau{Name: pos[1], Short: *short}
			if err := tx.SetBureau(b); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "已设置本局名称：%s（简称：%s）。周报标题和导出的清单将显示它。\n", b.Name, b.ShortName())
			return nil
		})
	})
}
