package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
)

// TestReminders_BudgetAndHolidays: `duban reminders --at` prints the
// combined reminder with a line per task, lists what the budget held
// back, notes a year without holiday data on every line it affects, and
// takes a --holidays file (a bad one is refused, naming the row).
func TestReminders_BudgetAndHolidays(t *testing.T) {
	for _, year := range []int{2021, 2031} {
		dir := t.TempDir()
		p := filepath.Join(dir, "duban.db")
		db := seedPlan(t, p, year, func() time.Time { return time.Date(year, 1, 4, 10, 0, 0, 0, time.UTC) })
		err := db.Update(func(tx *store.Tx) error {
			for i, d := range tx.DepartmentNames() {
				if err := tx.PutContact(&store.Contact{UserID: int64(2000 + i), ChatID: int64(2000 + i), Name: "联络员", Dept: d, Role: store.RoleContact}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		run := func(args ...string) (string, int) {
			var out bytes.Buffer
			env := &Env{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
			code := Main(context.Background(), env, append([]string{"reminders", "--db", p}, args...))
			return out.String(), code
		}
		if year == 2021 {
			out, code := run("--at", "2021-12-01")
			if code != 0 || !strings.Contains(out, "daily") || !strings.Contains(out, "合并提醒") || !strings.Contains(out, "      · 任务 ") {
				t.Errorf("2021-12-01 (exit %d):\n%s", code, out)
			}
			pol := filepath.Join(dir, "policy.json")
			os.WriteFile(pol, []byte(`{"max_messages_per_week": 1}`), 0o644)
			out, _ = run("--at", "2021-12-03", "--policy", pol)
			if !strings.Contains(out, "免打扰预算未发送") || !strings.Contains(out, "本周消息已达上限 1 条") {
				t.Errorf("held reminders not listed:\n%s", out)
			}
			continue
		}
		out, _ := run("--at", "2031-12-01", "--admin", "1")
		lines := 0
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "    ") && !strings.HasPrefix(l, "      ·") {
				lines++
				if !strings.Contains(l, "2031 年没有节假日数据") {
					t.Errorf("line without the no-data note: %q", l)
				}
			}
		}
		if lines == 0 || !strings.Contains(out, "警告") {
			t.Errorf("2031 preview:\n%s", out)
		}
		hol := filepath.Join(dir, "holidays.csv")
		os.WriteFile(hol, []byte("日期,类型\n2031-12-01,放假\n"), 0o644)
		if out, code := run("--at", "2031-12-01", "--holidays", hol); code != 0 || !strings.Contains(out, "不是工作日") || strings.Contains(out, "没有节假日数据") {
			t.Errorf("with the holiday file (exit %d):\n%s", code, out)
		}
		os.WriteFile(hol, []byte("日期,类型\n2031-12-01,假日\n"), 0o644)
		if out, code := run("--at", "2031-12-01", "--holidays", hol); code == 0 || !strings.Contains(out, "第 2 行") {
			t.Errorf("a bad holiday file (exit %d):\n%s", code, out)
		}
	}
}
