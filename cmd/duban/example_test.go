package main

import (
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// TestExamplePlan_RemindsOnlyAdmins: a database that got the bundled plan
// on its first start is marked as an example; a contact registered for 大气…
// gets no reminder for an example task (the admin hears instead), until
// `duban example adopt`. `duban import` of a real file says the example is
// still there.
func TestExamplePlan_RemindsOnlyAdmins(t *testing.T) {
	fixClock(t, time.Date(2026, 11, 30, 9, 20, 0, 0, time.UTC))
	path := dbPath(t)
	db, err := store.Open(path, store.Options{Now: nowFunc})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *store.Tx) error {
		r, err := loadInitialPlan(tx, "bundled", time.UTC, "system", "test")
		if err != nil || !r.Example {
			t.Fatalf("loadInitialPlan = %+v, %v", r, err)
		}
		return tx.PutContact(&store.Contact{UserID: 2000, ChatID: 2000, Name: "联络员甲", Dept: "大气环境与应对气候变化处", Role: store.RoleContact})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	preview := func() string {
		out, code := runMain(t, "", "reminders", "--db", path, "--at", "2026-12-01", "--admin", "1")
		if code != 0 {
			t.Fatalf("reminders: exit %d\n%s", code, out)
		}
		return out
	}
	out := preview()
	if strings.Contains(out, "联络员甲") || !strings.Contains(out, "→ 督办员 1") {
		t.Errorf("example plan: want reminders for the admin only, got\n%s", out)
	}
	if out, _ := runMain(t, "", "example", "--db", path); !strings.Contains(out, "只发给管理员") {
		t.Errorf("duban example: %s", out)
	}
	if out, _ := runMain(t, "", "import", "--db", path, "../../seeds/2021-dalian-sthjj-gongzuoyaodian.txt", "--dry-run"); !strings.Contains(out, "内置示例计划") {
		t.Errorf("import into an example database does not say so:\n%s", out)
	}
	if out, code := runMain(t, "", "example", "adopt", "--db", path); code != 0 || !strings.Contains(out, "已采用") {
		t.Fatalf("duban example adopt: exit %d\n%s", code, out)
	}
	if out := preview(); !strings.Contains(out, "联络员甲") {
		t.Errorf("adopted example plan: the contact gets no reminder\n%s", out)
	}
	if _, code := runMain(t, "", "example", "adopt", "--db", path); code != 1 {
		t.Errorf("second adopt: exit %d, want 1", code)
	}
	// a real plan via --plan FILE is not an example
	db = openDB(t, dbPath(t))
	defer db.Close()
	db.Update(func(tx *store.Tx) error {
		r, err := loadInitialPlan(tx, "../../seeds/2021-dalian-sthjj-gongzuoyaodian.txt", time.UTC, "system", "test")
		if err != nil || r.Example || tx.IsExamplePlan() {
			t.Errorf("--plan FILE: %+v, %v, example=%v", r, err, tx.IsExamplePlan())
		}
		return nil
	})
}

// TestServe_MarksExamplePlan: a fresh serve database gets the bundled plan,
// marked as an example, and the log says so and how to remove it — on
// every start until `duban example adopt`.
func TestServe_MarksExamplePlan(t *testing.T) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	path := dbPath(t)
	logs, stop := startServe(t, fake, path)
	if code := stop(); code != 0 {
		t.Fatalf("exit %d\n%s", code, logs.String())
	}
	for _, want := range []string{"example plan: reminders go only to the admins", "--plan none", "duban example adopt"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log has no %q:\n%s", want, logs.String())
		}
	}
	db := openDB(t, path)
	db.View(func(tx *store.Tx) error {
		if !tx.IsExamplePlan() {
			t.Errorf("the database is not marked as holding the example plan")
		}
		return nil
	})
	db.Close()
	logs, stop = startServe(t, fake, path)
	stop()
	if strings.Contains(logs.String(), "loaded the bundled plan") || !strings.Contains(logs.String(), "example plan: reminders go only to the admins") {
		t.Errorf("second start: want no new load and the example warning again:\n%s", logs.String())
	}
	if out, code := runMain(t, "", "example", "adopt", "--db", path); code != 0 {
		t.Fatalf("adopt: exit %d\n%s", code, out)
	}
	logs, stop = startServe(t, fake, path)
	stop()
	if strings.Contains(logs.String(), "example plan") {
		t.Errorf("adopted: the start still warns about the example:\n%s", logs.String())
	}
}

// TestExamplePlan_AdminStartSaysSo: an admin's /start on the example plan
// says what it is and how to remove it; a stranger's does not, nor an
// admin's once the plan is adopted.
func TestExamplePlan_AdminStartSaysSo(t *testing.T) {
	path := dbPath(t)
	out, _ := runMain(t, "/start\n!as 7\n/start\n", "shell", "--db", path, "--admin", "1")
	if n := strings.Count(out, "现在的任务是内置示例计划"); n != 1 {
		t.Errorf("admin and stranger /start: the example notice %d times, want once (the admin's)\n%s", n, out)
	}
	if _, code := runMain(t, "", "example", "adopt", "--db", path); code != 0 {
		t.Fatal("adopt failed")
	}
	if out, _ := runMain(t, "/start\n", "shell", "--db", path, "--admin", "1"); strings.Contains(out, "内置示例计划") {
		t.Errorf("adopted: /start still calls it an example\n%s", out)
	}
}
