// Package storetest is the test kit around the store, shared by every
// package's tests: it generates responsibility lists for benchmarks and
// load harnesses (the store's own benchmarks and cmd/dubanbench share one
// generator so their figures describe the same data), holds the one
// settable Clock, and opens test databases that are checked for
// consistency on cleanup (OpenDB, OpenPath). It imports store only (and
// bbolt's error values); production code other than cmd/dubanbench never
// imports it.
package storetest

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/duban-bureau/duban/store"
)

// verbs and objects make task texts of a bureau's length and style.
var verbs = []string{"完成", "推进", "开展", "实施", "落实", "组织", "建成", "修订"}
var objects = []string{
	"重点行业挥发性有机物综合治理", "入海排污口排查整治", "饮用水水源地规范化建设",
	"土壤污染重点监管单位隐患排查", "工业园区污水集中处理设施提标改造", "生态环境执法大练兵",
	"危险废物规范化环境管理评估", "国控空气自动监测站点运维", "农村生活污水治理",
}

// Task is the i-th generated task: 20 departments, deadlines over this year, about
// 60% done or closed, 5% continuous, a text of bureau length.
func Task(i int, r *rand.Rand, depts []string, year int) *store.Task {
	t := &store.Task{
		ID:      fmt.Sprintf("%d.%d.%d", i/1000+1, i/50%20+1, i%50+1),
		PlanID:  strconv.Itoa(year),
		Section: "四、深入打好污染防治攻坚战 / (" + strconv.Itoa(i/50%20+1) + ")精准推进污染防治",
		Text: verbs[r.IntN(len(verbs))] + "全市" + objects[r.IntN(len(objects))] +
			"工作，建立工作台账，明确责任单位和完成时限，确保按期完成年度目标任务，并及时报送工作进展情况。",
		Lead:   depts[r.IntN(len(depts))],
		Status: store.StatusNotStarted,
	}
	for k := r.IntN(3); k > 0; k-- {
		if d := depts[r.IntN(len(depts))]; d != t.Lead {
			t.CoDepts = append(t.CoDepts, d)
		}
	}
	if r.IntN(20) == 0 {
		t.Cadence = store.CadenceMonthly
	} else {
		t.Deadline = store.NewDate(year, 1, 1).AddDays(r.IntN(365))
	}
	if r.IntN(3) == 0 {
		t.Target, t.Unit, t.Current = float64(10+r.IntN(90)), "家", float64(r.IntN(10))
	}
	switch p := r.IntN(100); {
	case p < 50:
		t.Status, t.Progress, t.Latest = store.StatusDone, 100, "已按期完成，相关材料已报送。"
	case p < 60:
		t.Status, t.Progress, t.Latest = store.StatusClosed, 100, "已完成并经督办员确认销号。"
	case p < 80:
		t.Status, t.Progress, t.Latest = store.StatusInProgress, 10*r.IntN(10), "正在推进，已完成阶段性工作。"
	case p < 85:
		t.Status, t.Latest = store.StatusBlocked, "资金尚未到位。"
	}
	return t
}
