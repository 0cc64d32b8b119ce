package schedule_test

import (
	"github.com/duban-bureau/duban/schedule/lang"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// cst is Asia/Shanghai without depending on the host's tzdata.
var cst = time.FixedZone("CST", 8*3600)

// day parses an ISO date or fails the test.
func day(t testing.TB, s string) store.Date {
	t.Helper()
	d, err := store.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// at returns s ("2021-06-30 09:00") in Shanghai time.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// step is a state change of a fixture task on a day.
type step struct {
	on       string
	status   store.Status
	progress int
	current  float64
	note     string
}

// spec is a fixture task with its history, modelled on the seed plan
// 2021年大连市生态环境工作要点.
type spec struct {
	id, text, lead string
	deadline       string // "" = continuous (持续推进)
	target         float64
	unit           string
	steps          []step
}

var seedSpecs = []spec{
	{id: "3.1.2", text: "配合省厅完成重点企业碳排放年度核查及电力行业碳排放权分配工作。", lead: "大气环境与应对气候变化处", deadline: "2021-06-30",
		steps: []step{{on: "2021-03-15", status: store.StatusInProgress, progress: 30, note: "已完成核查企业名单"}, {on: "2021-06-29", status: store.StatusDone, progress: 100}}},
	{id: "3.3.3", text: "完成11家企业清洁生产审核。", lead: "环境影响评价与排放管理处", deadline: "2021-12-31", target: 11, unit: "家",
		steps: []step{{on: "2021-05-10", status: store.StatusInProgress, progress: 36, current: 4}}},
	{id: "4.1.3", text: "完成85家挥发性有机物重点行业企业深度整治。", lead: "大气环境与应对气候变化处", deadline: "2021-09-30", target: 85, unit: "家",
		steps: []step{{on: "2021-03-20", status: store.StatusInProgress, progress: 20, current: 17}, {on: "2021-06-30", status: store.StatusInProgress, progress: 40, current: 34, note: "34家已完成深度整治"}}},
	{id: "4.1.4", text: "推进东北特钢完成2021年度超低排放改造项目。", lead: "大气环境与应对气候变化处", deadline: "2021-12-31"},
	{id: "4.1.6", text: "加强高排放非道路移动机械和柴油车监管，深入推进移动源污染防控。", lead: "大气环境与应对气候变化处",
		steps: []step{{on: "2021-06-02", status: store.StatusInProgress, progress: 0, note: "5月检查柴油车120辆"}}},
	{id: "4.2.1", text: "开展农村集中式饮用水水源地环境基础状况摸底调查。", lead: "水生态环境处", deadline: "2021-04-30",
		steps: []step{{on: "2021-04-08", status: store.StatusDone, progress: 100}, {on: "2021-04-09", status: store.StatusClosed, progress: 100}}},
	{id: "4.2.4", text: "完成英那河下游水环境治理工程。", lead: "水生态环境处", deadline: "2021-06-30",
		steps: []step{{on: "2021-04-01", status: store.StatusBlocked, progress: 10, note: "资金未到位 <待协调> & 施工许可"}}},
	{id: "4.3.2", text: "制定出台《大连市入海排污口管理办法》，进一步规范我市入海排污口管理工作。", lead: "海洋生态环境处", deadline: "2021-06-30",
		steps: []step{{on: "2021-05-20", status: store.StatusInProgress, progress: 60}, {on: "2021-07-01", status: store.StatusDone, progress: 100}}},
	{id: "4.3.3", text: "继续开展渤海入海排污口溯源整治，持续强化海洋综合治理。", lead: "海洋生态环境处"},
	{id: "4.4.4", text: "完成固体废物与土壤环境管理信息化平台建设。", lead: "固体废物与土壤生态环境处", deadline: "2021-09-30",
		steps: []step{{on: "2021-04-06", status: store.StatusInProgress, progress: 30}, {on: "2021-10-08", status: store.StatusDone, progress: 100}}},
	{id: "4.5.4", text: "完成16个行政村的生活污水治理。", lead: "自然生态保护处", deadline: "2021-10-31", target: 16, unit: "个",
		steps: []step{{on: "2021-07-02", status: store.StatusInProgress, progress: 50, current: 8}}},
	{id: "4.5.5", text: "完成5处农村黑臭水体整治任务。", lead: "", deadline: "2021-12-31", target: 5, unit: "处"},
	{id: "6.1.1", text: "六五环境日开展主题宣传活动。", lead: "宣传教育处", deadline: "2021-06-05",
		steps: []step{{on: "2021-06-04", status: store.StatusDone, progress: 100}}},
}

// seedSnapshot returns the fixture as it stood on asOf (steps after it not
// yet happened), with its history.
func seedSnapshot(t testing.TB, asOf store.Date, lang lang.Lang) (schedule.Snapshot, []store.HistoryEntry) {
	t.Helper()
	created := at(t, "2021-03-01 10:00")
	var tasks []*store.Task
	var history []store.HistoryEntry
	for _, sp := range seedSpecs {
		task := &store.Task{ID: sp.id, Text: sp.text, Lead: sp.lead, Target: sp.target, Unit: sp.unit,
			Status: store.StatusNotStarted, CreatedAt: created, UpdatedAt: created}
		if sp.deadline == "" {
			task.Cadence = store.CadenceMonthly
		} else {
			task.Deadline = day(t, sp.deadline)
		}
		for i, st := range sp.steps {
			if day(t, st.on) > asOf {
				break
			}
			task.Status, task.Progress, task.Current = st.status, st.progress, st.current
			if st.note != "" {
				task.Latest = st.note
			}
			task.UpdatedAt = at(t, st.on+" 08:30")
			kind := map[store.Status]string{store.StatusDone: "done", store.StatusClosed: "close", store.StatusBlocked: "blocked"}[st.status]
			if kind == "" {
				kind = "progress"
			}
			history = append(history, store.HistoryEntry{TaskID: sp.id, Seq: uint64(i + 1), At: task.UpdatedAt, Kind: kind, Note: st.note})
		}
		tasks = append(tasks, task)
	}
	return schedule.Snapshot{
		Tasks:        tasks,
		Contacts:     seedContacts(),
		Coordinators: []int64{9001},
		Lang:         lang,
		PlanStart:    day(t, "2021-03-01"),
		Loc:          cst,
	}, history
}

func seedContacts() []*store.Contact {
	return []*store.Contact{
		{UserID: 1001, ChatID: 1001, Name: "张伟", Dept: "大气环境与应对气候变化处", Role: store.RoleContact},
		{UserID: 1002, ChatID: 1002, Name: "李娜", Dept: "大气环境与应对气候变化处", Role: store.RoleContact, Unreachable: true},
		{UserID: 1003, ChatID: 1003, Name: "王芳", Dept: "水生态环境处", Role: store.RoleContact},
		{UserID: 1004, ChatID: 1004, Name: "刘洋", Dept: "海洋生态环境处", Role: store.RoleContact},
		{UserID: 1005, ChatID: 1005, Name: "陈静", Dept: "固体废物与土壤生态环境处", Role: store.RoleContact},
		{UserID: 1006, ChatID: 1006, Name: "杨磊", Dept: "宣传教育处", Role: store.RoleContact},
		{UserID: 9001, ChatID: 9001, Name: "赵督办", Role: store.RoleCoordinator},
	}
}
