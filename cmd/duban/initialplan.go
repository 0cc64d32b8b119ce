package main

import (
	"fmt"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
)

// nowFunc is the time every command reads "today" from; the README test
// fixes it so the README's outputs are reproducible.
var nowFunc = time.Now

// initialPlan is what loadInitialPlan did to a database.
type initialPlan = intake.Initial

// loadInitialPlan is intake.LoadInitial with this year from nowFunc (the
// README test fixes it).
func loadInitialPlan(tx *store.Tx, plan string, loc *time.Location, via, name string) (initialPlan, error) {
	return intake.LoadInitial(tx, plan, nowFunc().In(loc).Year(), loc, store.Actor{Via: via, Name: name})
}

// policyHelp describes --policy from the default policy itself, so the help
// never disagrees with the code.
func policyHelp() string {
	p := schedule.DefaultPolicy()
	return fmt.Sprintf("提醒策略 JSON 文件；默认每个工作日 %02d:%02d 提醒，到期前 %v 天、逾期后 %v 天及此后每 %d 天；字段见 README“配置 / Configuration”，duban reminders --policy FILE 可预览 / reminder policy file (DUBAN_POLICY)",
		p.At.Hour, p.At.Minute, p.Before, p.Overdue, p.OverdueEvery)
}
