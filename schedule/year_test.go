package schedule_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// yearSnapshot is one department of 2026: a contact (1001), its head
// (1101), a coordinator (9001), 36 tasks due every ten days through the
// year (each finished on its deadline day, after that morning's
// reminder), and three due on 2026-09-30, the eve of the National Day
// week: 9.1.1 never answered, 9.1.2 updated after its first overdue
// reminder, 9.1.3 acknowledged (收到) then.
func yearSnapshot(t *testing.T) schedule.Snapshot {
	const dept = "大气环境与应对气候变化处"
	created := at(t, "2026-01-05 10:00")
	var tasks []*store.Task
	for i := 0; i < 36; i++ {
		tasks = append(tasks, &store.Task{ID: fmt.Sprintf("5.%d.%d", i/9+1, i%9+1), Text: "年度任务", Lead: dept,
			Deadline: store.NewDate(2026, 1, 20).AddDays(10 * i), Status: store.StatusInProgress, Progress: 50,
			CreatedAt: created, UpdatedAt: created})
	}
	for _, id := range []string{"9.1.1", "9.1.2", "9.1.3"} {
		tasks = append(tasks, &store.Task{ID: id, Text: "国庆前到期的任务", Lead: dept, Deadline: day(t, "2026-09-30"),
			Status: store.StatusInProgress, CreatedAt: created, UpdatedAt: created})
	}
	tasks[37].UpdatedAt = at(t, "2026-10-08 15:00")
	return schedule.Snapshot{
		Tasks: tasks,
		Contacts: []*store.Contact{
			{UserID: 1001, ChatID: 1001, Name: "张伟", Dept: dept, Role: store.RoleContact},
			{UserID: 1101, ChatID: 1101, Name: "王处长", Dept: dept, Role: store.RoleHead},
			{UserID: 9001, ChatID: 9001, Name: "赵督办", Role: store.RoleCoordinator},
		},
		Coordinators: []int64{9001},
		Acks:         map[string]time.Time{"9.1.3": at(t, "2026-10-08 09:30")},
		PlanStart:    day(t, "2026-01-01"),
		Loc:          cst,
	}
}

// simulate runs Due as the runner does, one tick a day at 09:01, from
// `from` through `to`, and returns every message in order. Tasks of the
// 5.x series are finished at 17:00 on their deadline day: the snapshot of
// each tick holds only the tasks still open then.
func simulate(t *testing.T, p schedule.Policy, cal *schedule.Calendar, s schedule.Snapshot, from, to string) []schedule.Reminder {
	var out []schedule.Reminder
	last := at(t, from+" 09:01").AddDate(0, 0, -1)
	all := s.Tasks
	for d := day(t, from); d <= day(t, to); d = d.AddDays(1) {
		now := at(t, d.String()+" 09:01")
		s.Tasks = nil
		for _, task := range all {
			if !strings.HasPrefix(task.ID, "5.") || d <= task.Deadline {
				s.Tasks = append(s.Tasks, task)
			}
		}
		out = append(out, schedule.Due(p, cal, s, last, now).Reminders...)
		last = now
	}
	return out
}

// urgent reports whether a message carries a reminder the budget never holds.
func urgent(r schedule.Reminder) bool {
	for _, w := range append([]string{r.Why}, r.Lines...) {
		if strings.Contains(w, "D-0 =") || strings.Contains(w, "D-1 =") || strings.Contains(w, "D+") {
			return true
		}
	}
	return false
}

func TestDue_SimulatedYear2026(t *testing.T) {
	cal := schedule.NewCalendar()
	p := schedule.DefaultPolicy()
	s := yearSnapshot(t)
	rs := simulate(t, p, cal, s, "2026-01-01", "2026-12-31")

	keys := map[string]bool{}
	perDay := map[string]int{}
	perWeek := map[string][]schedule.Reminder{}
	for _, r := range rs {
		d := store.DateOf(r.DueAt.In(cst))
		if keys[r.Key] {
			t.Errorf("key %s planned twice", r.Key)
		}
		keys[r.Key] = true
		if !cal.IsWorkday(d) || (d >= day(t, "2026-10-01") && d <= day(t, "2026-10-07")) {
			t.Errorf("%s fires on %s, not a working day", r.Key, d)
		}
		if r.CatchUp {
			t.Errorf("%s marked 补发 on a daily tick", r.Key)
		}
		if r.ChatID == 1001 {
			perDay[d.String()]++
			y, w := r.DueAt.ISOWeek()
			wk := fmt.Sprintf("%d-W%02d", y, w)
			perWeek[wk] = append(perWeek[wk], r)
		}
	}
	for d, n := range perDay {
		if n > 1 {
			t.Errorf("contact got %d messages on %s, want one", n, d)
		}
	}
	for wk, ms := range perWeek {
		n := 0
		for _, r := range ms {
			if !urgent(r) {
				n++
			}
		}
		if n > p.Budget.PerWeek {
			t.Errorf("week %s: %d messages that are not urgent, budget %d", wk, n, p.Budget.PerWeek)
		}
	}

	// Without the budget the same year is noisier.
	loose := p
	loose.Budget.PerWeek, loose.Budget.PerDay, loose.Budget.QuietAfterUpdate = 0, 0, 0
	n, m := 0, 0
	for _, r := range simulate(t, loose, cal, s, "2026-01-01", "2026-12-31") {
		if r.ChatID == 1001 {
			n++
		}
	}
	for _, r := range rs {
		if r.ChatID == 1001 {
			m++
		}
	}
	if m >= n {
		t.Errorf("the budget sent %d messages in the year, no budget %d", m, n)
	}
	t.Logf("messages to the contact in 2026: %d with the budget, %d without", m, n)

	// The ladder over the National Day week: the first overdue reminder is
	// 10-08 (10-01..07 are off); the head hears 3 working days later
	// (10-09, make-up Saturday 10-10, 10-12), the coordinators 2 after that.
	var head, coord []schedule.Reminder
	for _, r := range rs {
		switch r.Kind {
		case store.KindHead:
			head = append(head, r)
		case store.KindLadder:
			coord = append(coord, r)
		}
	}
	var heads []string
	for _, r := range head {
		heads = append(heads, store.DateOf(r.DueAt.In(cst)).String()+" "+r.TaskID)
		if r.ChatID != 1101 || r.Notice == "" || !strings.Contains(r.Text, schedule.NoticePlaceholder) {
			t.Errorf("head step %s to %d notice %q", r.Key, r.ChatID, r.Notice)
		}
	}
	if !contains(heads, "2026-10-12 9.1.1") {
		t.Errorf("head steps %v, want 9.1.1 alone on 2026-10-12 (9.1.2 was updated, 9.1.3 acknowledged)", heads)
	}
	for _, h := range heads {
		if strings.Contains(h, "9.1.2") || strings.Contains(h, "9.1.3") {
			t.Errorf("head step %s names an answered task", h)
		}
	}
	var coords []string
	for _, r := range coord {
		coords = append(coords, store.DateOf(r.DueAt.In(cst)).String()+" "+r.TaskID)
		if r.ChatID != 9001 {
			t.Errorf("coordinator step to %d", r.ChatID)
		}
	}
	if !contains(coords, "2026-10-14 9.1.1") {
		t.Errorf("coordinator steps %v, want 9.1.1 on 2026-10-14", coords)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestDue_YearWithoutHolidayData(t *testing.T) {
	cal := schedule.NewCalendar()
	if cal.HasData(2031) {
		t.Skip("lunar-go now carries 2031")
	}
	p := schedule.DefaultPolicy()
	s := yearSnapshot(t)
	for _, task := range s.Tasks {
		task.Deadline = task.Deadline.WithYear(2031)
		task.CreatedAt, task.UpdatedAt = task.CreatedAt.AddDate(5, 0, 0), task.UpdatedAt.AddDate(5, 0, 0)
	}
	s.PlanStart, s.Acks = day(t, "2031-01-01"), nil
	rs := simulate(t, p, cal, s, "2031-01-01", "2031-12-31")
	if len(rs) < 30 {
		t.Fatalf("only %d messages in 2031", len(rs))
	}
	for _, r := range rs {
		if wd := r.DueAt.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%s on a %s: Monday–Friday is the fallback", r.Key, wd)
		}
		if !strings.Contains(r.Why, "2031 年没有节假日数据") {
			t.Errorf("%s: Why %q does not warn of the missing data", r.Key, r.Why)
		}
	}
	if ws := cal.Warnings(2031); len(ws) != 1 || !strings.Contains(ws[0], "--holidays") {
		t.Errorf("Warnings(2031) = %q", ws)
	}

	t.Run("HolidayFile", func(t *testing.T) {
		cal := schedule.NewCalendar()
		years, err := cal.LoadHolidays(strings.NewReader("日期,类型,名称\n2031-10-01,放假,国庆节\n2031-10-02,放假,国庆节\n2031-10-03,放假,国庆节\n2031-10-04,调休,国庆节\n"))
		if err != nil || len(years) != 1 || years[0] != 2031 {
			t.Fatalf("LoadHolidays = %v, %v", years, err)
		}
		if cal.IsWorkday(day(t, "2031-10-01")) || !cal.IsWorkday(day(t, "2031-10-04")) || !cal.HasData(2031) {
			t.Errorf("2031-10-01 should be off and Saturday 10-04 a make-up working day")
		}
		for _, r := range simulate(t, p, cal, s, "2031-09-20", "2031-10-20") {
			if strings.Contains(r.Why, "没有节假日数据") {
				t.Errorf("%s still warns after the file: %s", r.Key, r.Why)
			}
			if d := store.DateOf(r.DueAt.In(cst)); d >= day(t, "2031-10-01") && d <= day(t, "2031-10-03") {
				t.Errorf("%s fires on the holiday %s", r.Key, d)
			}
		}
		// JSON overrides a year lunar-go knows.
		if _, err := cal.LoadHolidays(strings.NewReader(`[{"date": "2026-10-09", "type": "放假", "name": "演练"}]`)); err != nil {
			t.Fatal(err)
		}
		if cal.IsWorkday(day(t, "2026-10-09")) || !cal.IsWorkday(day(t, "2026-10-01")) {
			t.Errorf("a file's year replaces lunar-go's table for it")
		}
	})
	t.Run("BadHolidayFile", func(t *testing.T) {
		cal := schedule.NewCalendar()
		for _, tc := range []struct{ in, want string }{
			{"2031-10-01,放假\n2031-13-01,放假\n", "第 2 行：日期 \"2031-13-01\""},
			{"2031-10-01,放假\n2031-10-02,休假日\n", "第 2 行：类型 \"休假日\""},
			{`[{"date": "2031-10-01", "kind": "放假"}]`, "不是有效的 JSON"},
			{"", "没有任何日期"},
			// Accepted before: a year outside the sane window, the same day
			// both off and worked, and a second JSON value after the list.
			{"9999-01-01,放假\n", "第 1 行：日期 \"9999-01-01\" 超出 2000–2100 年"},
			{"2031-10-01,放假\n2031-10-01,调休\n", "第 2 行：2031-10-01 已在第 1 行"},
			{`[{"date": "2031-10-01", "type": "放假"}] [{"date": "2031-10-02", "type": "放假"}]`, "不是有效的 JSON"},
		} {
			if _, err := cal.LoadHolidays(strings.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadHolidays(%q) = %v, want %q", tc.in, err, tc.want)
			}
		}
		if cal.HasData(2031) {
			t.Errorf("a bad file added a year")
		}
	})
}
