package schedule_test

import (
	"strings"
	"testing"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// busyDay returns a snapshot where contact 1001 has three tasks on
// 2021-06-23: one overdue (D+7), one due in 7 days, and a monthly ask is not
// due that day; 1003 (水生态环境处) has one.
func busyDay(t *testing.T) schedule.Snapshot {
	s := oneTask(t, "2021-06-30") // 4.1.3: D-7 on 06-23
	late := s.Tasks[0].Clone()
	late.ID, late.Deadline, late.Text = "4.1.4", day(t, "2021-06-16"), "推进东北特钢完成超低排放改造。" // D+7 on 06-23
	soon := s.Tasks[0].Clone()
	soon.ID, soon.Deadline = "4.1.10", day(t, "2021-06-30")
	water := s.Tasks[0].Clone()
	water.ID, water.Lead = "4.2.4", "水生态环境处"
	s.Tasks = append(s.Tasks, late, soon, water)
	return s
}

func TestDue_OneMessagePerContactPerDay(t *testing.T) {
	p := schedule.DefaultPolicy()
	p.Ladder = schedule.Ladder{}
	s := busyDay(t)
	rs := schedule.Preview(p, schedule.NewCalendar(), s, day(t, "2021-06-23")).Reminders
	byChat := map[int64][]schedule.Reminder{}
	for _, r := range rs {
		byChat[r.ChatID] = append(byChat[r.ChatID], r)
	}
	if len(byChat[1001]) != 1 || len(byChat[1003]) != 1 {
		t.Fatalf("messages per chat: 1001 %d, 1003 %d; want one each\n%+v", len(byChat[1001]), len(byChat[1003]), rs)
	}
	m := byChat[1001][0]
	if m.Key != "daily|*|2021-06-23|1001" || m.Kind != store.KindDaily || m.TaskID != "4.1.4 4.1.3 4.1.10" {
		t.Errorf("combined message key %q kind %q tasks %q", m.Key, m.Kind, m.TaskID)
	}
	over, soon := strings.Index(m.Text, "已逾期（1）"), strings.Index(m.Text, "即将到期（2）")
	if over < 0 || soon < over {
		t.Errorf("want the overdue group before the due-soon group:\n%s", m.Text)
	}
	for _, want := range []string{"<b>4.1.4</b>", "逾期 7 天（时限 06-16）", "<b>4.1.3</b>", "还剩 7 天（时限 06-30）", "“4.1.4 60%”"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("combined text lacks %q:\n%s", want, m.Text)
		}
	}
	if len(m.Lines) != 3 || !strings.Contains(m.Lines[0], "4.1.4") {
		t.Errorf("Lines = %q, want why for each of 3 tasks", m.Lines)
	}
	var data []string
	for _, row := range m.Buttons {
		for _, b := range row {
			data = append(data, b.Data)
		}
	}
	if got := strings.Join(data, " "); got != "done:4.1.4 prog:4.1.4 done:4.1.3 prog:4.1.3 done:4.1.10 prog:4.1.10 ack:*" {
		t.Errorf("buttons %s", got)
	}
	// The single-task day keeps today's card.
	w := byChat[1003][0]
	if w.Key != "before7|4.2.4|2021-06-30|1003" || w.Kind != store.KindReminder || !strings.Contains(w.Text, "距完成时限还有 7 天") {
		t.Errorf("single-task day: %s %s\n%s", w.Key, w.Kind, w.Text)
	}

	t.Run("ButtonsCapped", func(t *testing.T) {
		p := p
		p.Budget.MaxButtonTasks = 2
		rs := schedule.Preview(p, schedule.NewCalendar(), s, day(t, "2021-06-23")).Reminders
		for _, r := range rs {
			if r.ChatID == 1001 {
				if len(r.Buttons) != 3 || !strings.Contains(r.Text, "另有 1 项未列按钮，请用 /my") {
					t.Errorf("capped at 2 tasks: %d rows\n%s", len(r.Buttons), r.Text)
				}
			}
		}
	})
}

func TestDue_NoiseBudget(t *testing.T) {
	cal := schedule.NewCalendar()
	// Five tasks of one department, due on consecutive days far ahead:
	// without a budget the contact hears every working day of the week.
	s := oneTask(t, "2021-07-19")
	base := s.Tasks[0]
	s.Tasks = nil
	for i, d := range []string{"2021-07-19", "2021-07-20", "2021-07-21", "2021-07-22", "2021-07-23"} {
		c := base.Clone()
		c.ID, c.Deadline = "4.1."+string(rune('1'+i)), day(t, d)
		s.Tasks = append(s.Tasks, c)
	}
	count := func(p schedule.Policy, from, to string) (sent, held int) {
		for d := day(t, from); d <= day(t, to); d = d.AddDays(1) {
			pl := schedule.Preview(p, cal, s, d)
			for _, r := range pl.Reminders {
				if r.ChatID == 1001 {
					sent++
				}
			}
			held += len(pl.Held)
		}
		return
	}
	open := schedule.DefaultPolicy()
	open.Budget.PerWeek, open.Budget.PerDay = 0, 0
	// D-7 of each task falls Mon 07-12 … Fri 07-16.
	if sent, _ := count(open, "2021-07-12", "2021-07-18"); sent != 5 {
		t.Fatalf("without a budget: %d messages in the week, want 5", sent)
	}
	p := schedule.DefaultPolicy()
	// Mon–Wed go; Thursday's D-7 is held; Friday goes although the cap is
	// reached, because it carries 4.1.1's D-1 (Monday's deadline), folded
	// with three D-3s into one message.
	sent, held := count(p, "2021-07-12", "2021-07-18")
	if sent != 4 || held != 1 {
		t.Errorf("with 3 a week: sent %d held %d, want 4 and 1", sent, held)
	}
	if fri := schedule.Preview(p, cal, s, day(t, "2021-07-16")).Reminders; len(fri) != 1 || fri[0].TaskID != "4.1.1 4.1.2 4.1.3 4.1.5" {
		t.Errorf("Friday: %+v", fri)
	}
	pl := schedule.Preview(p, cal, s, day(t, "2021-07-15"))
	if len(pl.Reminders) != 0 || len(pl.Held) != 1 || !strings.Contains(pl.Held[0].Why, "本周消息已达上限 3 条") {
		t.Errorf("Thursday: %+v held %+v", pl.Reminders, pl.Held)
	}
	// Overdue and due-tomorrow reminders are never held back: the week of
	// 07-19 has D-1/D-0 every day and they all go.
	if sent, held := count(p, "2021-07-19", "2021-07-23"); sent != 5 || held != 0 {
		t.Errorf("deadline week: sent %d held %d, want all 5 days sent", sent, held)
	}

	t.Run("RecentlyUpdated", func(t *testing.T) {
		s := oneTask(t, "2021-06-30")
		s.Tasks[0].CreatedAt = at(t, "2021-03-01 10:00")
		s.Tasks[0].UpdatedAt = at(t, "2021-06-21 16:00") // Monday; D-7 is Wednesday 06-23
		pl := schedule.Preview(p, cal, s, day(t, "2021-06-23"))
		if len(pl.Reminders) != 0 || len(pl.Held) != 1 || !strings.Contains(pl.Held[0].Why, "最近 3 个工作日内有更新") {
			t.Errorf("updated 2 working days before D-7: sent %d, held %+v", len(pl.Reminders), pl.Held)
		}
		s.Tasks[0].UpdatedAt = at(t, "2021-06-17 16:00") // Thursday before: 4 working days
		if pl := schedule.Preview(p, cal, s, day(t, "2021-06-23")); len(pl.Reminders) != 1 {
			t.Errorf("updated 4 working days before: got %d reminders, want 1", len(pl.Reminders))
		}
		s.Tasks[0].UpdatedAt = at(t, "2021-07-01 08:00")
		s.Tasks[0].Deadline = day(t, "2021-06-28")
		if pl := schedule.Preview(p, cal, s, day(t, "2021-07-01")); len(pl.Reminders) == 0 {
			t.Errorf("overdue reminders must still go after an update")
		}
	})
	t.Run("QuietHours", func(t *testing.T) {
		s := oneTask(t, "2021-06-30")
		// Down from Tuesday morning until 22:30 on Wednesday: the catch-up
		// waits for 08:00 on Thursday.
		pl := schedule.Due(p, cal, s, at(t, "2021-06-29 08:00"), at(t, "2021-06-30 22:30"))
		if len(pl.Reminders) != 2 {
			t.Fatalf("got %d reminders, want before1 and before0", len(pl.Reminders))
		}
		for _, r := range pl.Reminders {
			if !r.NotBefore.Equal(at(t, "2021-07-01 08:00")) {
				t.Errorf("%s not before %v, want 07-01 08:00", r.Key, r.NotBefore)
			}
		}
		if pl := schedule.Due(p, cal, s, at(t, "2021-06-29 08:00"), at(t, "2021-06-30 12:00")); !pl.Reminders[0].NotBefore.IsZero() {
			t.Errorf("at noon the catch-up goes at once, got not before %v", pl.Reminders[0].NotBefore)
		}
	})
}
