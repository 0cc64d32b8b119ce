package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// v6Task encodes t as schema 6 stored it: format 1, without CarriedFrom.
func v6Task(t *testing.T, task *Task) []byte {
	t.Helper()
	v, err := encodeTask(task)
	if err != nil {
		t.Fatal(err)
	}
	if v[len(v)-1] != 0 {
		t.Fatalf("CarriedFrom not empty")
	}
	v = bytes.Clone(v[:len(v)-1])
	v[0] = 1
	return v
}

// TestMigrate_Plans opens a schema-6 file — the layout of a database
// before plans had their own keys: tasks keyed by bare ID, of the bundled
// plan and of a list import (no plan) — and checks that it becomes one
// plan holding every task, with every history entry, reply link,
// extension, outbox message and contact intact.
func TestMigrate_Plans(t *testing.T) {
	for _, v := range []int{3, 6} { // 3: the schema when plans were asked for; 6: the one before plans
		t.Run(fmt.Sprintf("schema%d", v), func(t *testing.T) { testMigratePlans(t, v) })
	}
}

func testMigratePlans(t *testing.T, version int) {
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	tasks := []*Task{
		{ID: "4.1.3", PlanID: "2021-614ac2e5", Text: "完成85家企业深度整治", Lead: "大气处", Deadline: NewDate(2026, 12, 31), Status: StatusInProgress, Progress: 40, Latest: "已完成初稿"},
		{ID: "4.1.4", PlanID: "2021-614ac2e5", Text: "超低排放改造", Lead: "大气处", Status: StatusDone, Cadence: CadenceMonthly},
		{ID: "9.1", Text: "清单导入的任务", Lead: "水处", Deadline: NewDate(2026, 3, 1), Status: StatusNotStarted},
	}
	db := openUpgraded(t, version, func(tx *bolt.Tx) error {
		pv, _ := json.Marshal(map[string]any{"ID": "2021-614ac2e5", "Title": "2021年大连市生态环境工作要点", "Year": 2026, "Source": "bundled"})
		if err := tx.Bucket(bktPlans).Put([]byte("2021-614ac2e5"), pv); err != nil {
			return err
		}
		for _, task := range tasks {
			if err := tx.Bucket(bktTasks).Put([]byte(task.ID), v6Task(t, task)); err != nil {
				return err
			}
			// v6 index keys name the bare ID
			if err := indexEntries(&Task{ID: task.ID, Lead: task.Lead, Deadline: task.Deadline, Status: task.Status, Cadence: task.Cadence}, func(b, k, v []byte) error { return tx.Bucket(b).Put(k, v) }); err != nil {
				return err
			}
		}
		for i, id := range []string{"4.1.3", "4.1.3", "9.1", "8.8"} { // 8.8: a task deleted since
			hv, _ := json.Marshal(historyRecord{At: at.Add(time.Duration(i) * time.Hour), By: Actor{UserID: 7, Name: "甲", Via: "telegram"}, Kind: "progress", Note: id})
			if err := tx.Bucket(bktHistory).Put(append(append([]byte(id), 0), u64(uint64(i+1))...), hv); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bktMsgTask).Put(msgKey(7, 99), linkValue("4.1.3", "reminder", at)); err != nil {
			return err
		}
		ev, _ := encodeExtension(&Extension{ID: 1, TaskID: "4.1.3", NewDate: NewDate(2027, 3, 1), Reason: "资金", By: Actor{UserID: 7}, At: at})
		if err := tx.Bucket(bktExtensions).Put(u64(1), ev); err != nil {
			return err
		}
		mv, _ := encodeMessage(&Message{Key: "before7|4.1.3|2026-12-24|7", ChatID: 7, Kind: "reminder", TaskID: "4.1.3", Text: "提醒", State: MessagePending, NotBefore: at, Created: at})
		if err := tx.Bucket(bktOutbox).Put([]byte("before7|4.1.3|2026-12-24|7"), mv); err != nil {
			return err
		}
		cv, _ := json.Marshal(map[string]any{"UserID": 7, "ChatID": 7, "Name": "甲", "Dept": "大气处", "Role": "contact"})
		return tx.Bucket(bktContacts).Put(u64(7), cv)
	})
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *Tx) error {
		plans, err := tx.Plans()
		if err != nil || len(plans) != 1 || plans[0].ID != "2026" || !plans[0].Active() || plans[0].Title != "2021年大连市生态环境工作要点" {
			t.Fatalf("plans after the upgrade = %+v, %v; want the one plan, named 2026", plans, err)
		}
		all, err := tx.Tasks()
		if err != nil || len(all) != 3 {
			t.Fatalf("tasks = %d, %v; want all 3", len(all), err)
		}
		for _, task := range all {
			if task.PlanID != "2026" {
				t.Errorf("task %s in plan %q, want 2026", task.ID, task.PlanID)
			}
		}
		got, err := tx.Task("4.1.3")
		if err != nil || got.Progress != 40 || got.Latest != "已完成初稿" || got.Key() != "2026/4.1.3" {
			t.Errorf("4.1.3 = %+v, %v", got, err)
		}
		if q, err := tx.Task("2026/9.1"); err != nil || q.Text != "清单导入的任务" {
			t.Errorf("2026/9.1 = %+v, %v", q, err)
		}
		if h, err := tx.History("4.1.3"); err != nil || len(h) != 2 || h[0].PlanID != "2026" || h[0].TaskID != "4.1.3" {
			t.Errorf("history of 4.1.3 = %+v, %v; want its 2 entries", h, err)
		}
		if h, _ := tx.History("9.1"); len(h) != 1 {
			t.Errorf("history of 9.1 = %+v", h)
		}
		since, err := tx.HistorySince(at.Add(-time.Hour))
		if err != nil || len(since) != 4 {
			t.Errorf("history by time = %d entries, %v; want all 4 (the deleted task's too)", len(since), err)
		}
		if id, kind := tx.MessageLink(7, 99); id != "2026/4.1.3" || kind != "reminder" {
			t.Errorf("reply link = %q %q", id, kind)
		}
		if e, err := tx.Extension(1); err != nil || e.TaskID != "2026/4.1.3" {
			t.Errorf("extension = %+v, %v", e, err)
		}
		if m, err := tx.Message("before7|4.1.3|2026-12-24|7"); err != nil || m.TaskID != "2026/4.1.3" || m.State != MessagePending {
			t.Errorf("outbox message = %+v, %v", m, err)
		}
		if c, err := tx.Contact(7); err != nil || c.Name != "甲" {
			t.Errorf("contact = %+v, %v", c, err)
		}
		if rows, err := tx.OverdueRows(NewDate(2026, 7, 1)); err != nil || len(rows) != 1 || rows[0].ID != "9.1" {
			t.Errorf("overdue rows = %+v, %v", rows, err)
		}
		if n := tx.FinishedByLead()["大气处"]; n != 1 {
			t.Errorf("finished of 大气处 = %d, want 1", n)
		}
		if ts, err := tx.TasksByDept("大气处", true); err != nil || len(ts) != 2 {
			t.Errorf("大气处's tasks = %d, %v", len(ts), err)
		}
		return nil
	})
}
