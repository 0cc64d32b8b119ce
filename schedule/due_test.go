package schedule_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// oneTask returns a snapshot with one open task of 大气处 due on deadline,
// its contact 1001 (reachable), 1002 (unreachable) and coordinator 9001.
func oneTask(t testing.TB, deadline string) schedule.Snapshot {
	t.Helper()
	return schedule.Snapshot{
		Tasks: []*store.Task{{ID: "4.1.3", Text: "完成85家挥发性有机物重点行业企业深度整治。", Lead: "大气环境与应对气候变化处",
			Deadline: day(t, deadline), Target: 85, Unit: "家", Current: 34, Progress: 40, Status: store.StatusInProgress}},
		Contacts:     seedContacts(),
		Coordinators: []int64{9001},
		PlanStart:    day(t, "2021-01-01"),
		Loc:          cst,
	}
}

// keysByDay previews every day in [from, to] and returns day → keys.
func keysByDay(t testing.TB, p schedule.Policy, s schedule.Snapshot, from, to string) map[string][]string {
	t.Helper()
	cal := schedule.NewCalendar()
	out := map[string][]string{}
	for d := day(t, from); d <= day(t, to); d = d.AddDays(1) {
		for _, r := range schedule.Preview(p, cal, s, d).Reminders {
			if got := store.DateOf(r.DueAt.In(cst)); got != d {
				t.Errorf("Preview(%s) returned %s due %s", d, r.Key, got)
			}
			if !schedule.NewCalendar().IsWorkday(d) {
				t.Errorf("Preview(%s): %s fires on a non-working day", d, r.Key)
			}
			out[d.String()] = append(out[d.String()], r.Key)
		}
	}
	return out
}

func TestDue_BeforeAndOverdue(t *testing.T) {
	p := schedule.DefaultPolicy()
	got := keysByDay(t, p, oneTask(t, "2021-06-30"), "2021-05-01", "2021-08-10")
	want := map[string][]string{
		"2021-05-31": {"before30|4.1.3|2021-06-30|1001"},
		"2021-06-16": {"before14|4.1.3|2021-06-30|1001"},
		"2021-06-23": {"before7|4.1.3|2021-06-30|1001"},
		"2021-06-25": {"before3|4.1.3|2021-06-30|1001"}, // D-3 is Sunday 06-27: moved earlier
		"2021-06-29": {"before1|4.1.3|2021-06-30|1001"},
		"2021-06-30": {"before0|4.1.3|2021-06-30|1001"},
		"2021-07-01": {"escalate|*|2021-07-01|9001", "overdue1|4.1.3|2021-06-30|1001"},
		"2021-07-05": {"overdue3|4.1.3|2021-06-30|1001"}, // D+3 is Saturday 07-03: moved later
		"2021-07-07": {"overdue7|4.1.3|2021-06-30|1001"},
		"2021-07-08": {"ladder|*|2021-07-08|9001"},        // unanswered: no head registered, so the coordinators' 催办单 (D+1 + 3 + 2 working days)
		"2021-07-14": {"overdue14|4.1.3|2021-06-30|1001"}, // then weekly
		"2021-07-21": {"overdue21|4.1.3|2021-06-30|1001"},
		"2021-07-28": {"overdue28|4.1.3|2021-06-30|1001"},
		"2021-08-04": {"overdue35|4.1.3|2021-06-30|1001"},
	}
	for _, ks := range got {
		sort.Strings(ks)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keys by day:\n got %v\nwant %v", got, want)
	}
}

func TestDue_HolidayShift(t *testing.T) {
	p := schedule.DefaultPolicy()
	got := keysByDay(t, p, oneTask(t, "2021-10-03"), "2021-08-30", "2021-10-20")
	want := map[string][]string{
		"2021-09-03": {"before30|4.1.3|2021-10-03|1001"},
		"2021-09-18": {"before14|4.1.3|2021-10-03|1001"}, // D-14 = 09-19 中秋: make-up Saturday
		"2021-09-26": {"before7|4.1.3|2021-10-03|1001"},  // make-up Sunday is a working day
		"2021-09-30": {"before0|4.1.3|2021-10-03|1001"},  // D-3, D-1, D-0 collapse into one
		"2021-10-08": {"escalate|*|2021-10-08|9001", "overdue3|4.1.3|2021-10-03|1001"},
		"2021-10-11": {"overdue7|4.1.3|2021-10-03|1001"},
		"2021-10-14": {"ladder|*|2021-10-14|9001"}, // 5 working days after the first overdue reminder (10-08)
		"2021-10-18": {"overdue14|4.1.3|2021-10-03|1001"},
	}
	for _, ks := range got {
		sort.Strings(ks)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keys by day:\n got %v\nwant %v", got, want)
	}
	rs := schedule.Preview(p, schedule.NewCalendar(), oneTask(t, "2021-10-03"), day(t, "2021-09-30")).Reminders
	if len(rs) != 1 || !strings.Contains(rs[0].Text, "还剩 3 天") || !strings.Contains(rs[0].Why, "2021-10-03 非工作日，改在 2021-09-30") {
		t.Errorf("reminder on 09-30 = %+v, want one saying 还剩 3 天 and explaining the shift", rs)
	}
}

func TestDue_ReminderContent(t *testing.T) {
	s := oneTask(t, "2021-06-30")
	s.Tasks[0].Text = "整治 <VOCs> & 臭氧"
	rs := schedule.Preview(schedule.DefaultPolicy(), schedule.NewCalendar(), s, day(t, "2021-06-23")).Reminders
	if len(rs) != 1 {
		t.Fatalf("got %d reminders, want 1", len(rs))
	}
	r := rs[0]
	if r.ChatID != 1001 || r.Kind != store.KindReminder || r.TaskID != "4.1.3" || !r.DueAt.Equal(at(t, "2021-06-23 09:00")) || r.CatchUp {
		t.Errorf("message = %+v", r.Message)
	}
	for _, want := range []string{"距完成时限还有 7 天", "整治 &lt;VOCs&gt; &amp; 臭氧", "大气环境与应对气候变化处", "2021-06-30（还剩 7 天）", "推进中", "40%", "34/85家", "🔴" /* 序时进度 96% on 06-23: 56 points behind (issue 13 lights) */} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, r.Text)
		}
	}
	if r.Recipient != "张伟（大气环境与应对气候变化处）" || !strings.Contains(r.Why, "到期前 7 天提醒") {
		t.Errorf("Recipient %q, Why %q", r.Recipient, r.Why)
	}
	wantButtons := [][]string{{"done:4.1.3", "prog:4.1.3"}, {"ext:4.1.3", "blk:4.1.3"}, {"ack:4.1.3"}}
	var gotButtons [][]string
	for _, row := range r.Buttons {
		var ds []string
		for _, b := range row {
			ds = append(ds, b.Data)
		}
		gotButtons = append(gotButtons, ds)
	}
	if !reflect.DeepEqual(gotButtons, wantButtons) || r.Buttons[0][0].Text != "已完成" {
		t.Errorf("buttons = %+v", r.Buttons)
	}

	s.Lang = "en"
	en := schedule.Preview(schedule.DefaultPolicy(), schedule.NewCalendar(), s, day(t, "2021-06-23")).Reminders[0]
	if !strings.Contains(en.Text, "7 days to the deadline") || en.Buttons[0][0].Text != "Done" {
		t.Errorf("English reminder:\n%s\n%+v", en.Text, en.Buttons)
	}
}

func TestCallbackData(t *testing.T) {
	for _, a := range []schedule.ButtonAction{schedule.ActionDone, schedule.ActionProgress, schedule.ActionExtend, schedule.ActionBlocked} {
		data := schedule.CallbackData(a, "4.1.3")
		action, id, ok := schedule.ParseCallback(data)
		if !ok || action != a || id != "4.1.3" {
			t.Errorf("ParseCallback(%q) = %q %q %v", data, action, id, ok)
		}
	}
	if _, _, ok := schedule.ParseCallback("ext_ok:12"); ok {
		t.Errorf("ParseCallback accepted foreign data")
	}
	long := strings.Repeat("9", 60)
	if schedule.CallbackData(schedule.ActionProgress, long) != "" || schedule.TaskButtons(long, "") != nil {
		t.Errorf("callback data over 64 bytes was produced")
	}
}

func TestDue_Monthly(t *testing.T) {
	p := schedule.DefaultPolicy()
	cal := schedule.NewCalendar()
	s := oneTask(t, "2021-06-30")
	task := s.Tasks[0]
	task.ID, task.Deadline, task.Cadence = "4.1.6", 0, store.CadenceMonthly
	got := keysByDay(t, p, s, "2021-09-25", "2021-10-15")
	want := map[string][]string{
		"2021-10-08": {"ask1|4.1.6|2021-10|1001"}, // 1st working day of October
		"2021-10-11": {"ask2|4.1.6|2021-10|1001"}, // 3rd: 10-09 (make-up Saturday) was the 2nd
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keys by day:\n got %v\nwant %v", got, want)
	}
	rs := schedule.Preview(p, cal, s, day(t, "2021-10-11")).Reminders
	if len(rs) != 1 || rs[0].Kind != store.KindAsk || !strings.Contains(rs[0].Text, "再次提醒") || !strings.Contains(rs[0].Text, "持续推进") {
		t.Errorf("second ask = %+v", rs)
	}

	t.Run("SecondAskSuppressedByUpdate", func(t *testing.T) {
		task.UpdatedAt = at(t, "2021-10-08 15:00")
		if rs := schedule.Preview(p, cal, s, day(t, "2021-10-11")).Reminders; len(rs) != 0 {
			t.Errorf("second ask sent after an update: %+v", rs[0].Key)
		}
	})
	t.Run("UpdateBeforeFirstAskDoesNotCount", func(t *testing.T) {
		task.UpdatedAt = at(t, "2021-10-08 08:00")
		if rs := schedule.Preview(p, cal, s, day(t, "2021-10-11")).Reminders; len(rs) != 1 {
			t.Errorf("got %d reminders on 10-11, want the second ask", len(rs))
		}
	})
}

func TestDue_Escalation(t *testing.T) {
	p := schedule.DefaultPolicy()
	cal := schedule.NewCalendar()
	s := oneTask(t, "2021-06-30")
	for _, id := range []string{"4.1.4", "4.1.10"} {
		c := s.Tasks[0].Clone()
		c.ID = id
		s.Tasks = append(s.Tasks, c)
	}
	s.Coordinators = []int64{9001, 9002}
	var esc []schedule.Reminder
	for _, r := range schedule.Preview(p, cal, s, day(t, "2021-07-01")).Reminders {
		if r.Kind == store.KindEscalation {
			esc = append(esc, r)
		}
	}
	if len(esc) != 2 || esc[0].ChatID != 9001 || esc[1].ChatID != 9002 {
		t.Fatalf("escalations = %+v, want one per coordinator", esc)
	}
	text := esc[0].Text
	if !strings.Contains(text, "以下 3 项任务已超过完成时限") || strings.Index(text, "4.1.4") > strings.Index(text, "4.1.10") {
		t.Errorf("escalation text should list 3 tasks in ID order:\n%s", text)
	}

	t.Run("DigestChat", func(t *testing.T) {
		s.DigestChat = -100777
		var n int
		for _, r := range schedule.Preview(p, cal, s, day(t, "2021-07-01")).Reminders {
			if r.Kind == store.KindEscalation {
				n++
				if r.ChatID != -100777 || r.Key != "escalate|*|2021-07-01|-100777" {
					t.Errorf("escalation %s to %d", r.Key, r.ChatID)
				}
			}
		}
		if n != 1 {
			t.Errorf("got %d escalations, want 1 to the digest chat", n)
		}
	})
}

func TestDue_NoContact(t *testing.T) {
	p := schedule.DefaultPolicy()
	cal := schedule.NewCalendar()
	s := oneTask(t, "2021-06-30")
	s.Tasks[0].Lead = "环境影响评价与排放管理处"
	orphan := s.Tasks[0].Clone()
	orphan.ID = "3.3.4"
	s.Tasks = append(s.Tasks, orphan)

	rs := schedule.Preview(p, cal, s, day(t, "2021-06-30")).Reminders
	if len(rs) != 1 || rs[0].Key != "nocontact|*|2021-06-30|9001" || rs[0].Kind != store.KindNotice ||
		!strings.Contains(rs[0].Text, "环境影响评价与排放管理处：3.3.4、4.1.3") {
		t.Errorf("on the deadline want one notice naming the department, got %+v", rs)
	}
	rs = schedule.Preview(p, cal, s, day(t, "2021-07-01")).Reminders
	if len(rs) != 1 || rs[0].Kind != store.KindEscalation || !strings.Contains(rs[0].Text, "没有可送达的联络员") {
		t.Errorf("at D+1 want the notice folded into the one escalation, got %+v", rs)
	}

	t.Run("AllUnreachable", func(t *testing.T) {
		s := oneTask(t, "2021-06-30")
		s.Contacts = []*store.Contact{{UserID: 1002, ChatID: 1002, Dept: "大气环境与应对气候变化处", Role: store.RoleContact, Unreachable: true}}
		rs := schedule.Preview(p, cal, s, day(t, "2021-06-23")).Reminders
		if len(rs) != 1 || rs[0].ChatID != 9001 || rs[0].Kind != store.KindNotice {
			t.Errorf("want the coordinator told, got %+v", rs)
		}
	})
}

func TestDue_SkipsFinishedAndUnreachable(t *testing.T) {
	p := schedule.DefaultPolicy()
	for _, st := range []store.Status{store.StatusDone, store.StatusClosed} {
		s := oneTask(t, "2021-06-30")
		s.Tasks[0].Status = st
		if got := keysByDay(t, p, s, "2021-05-01", "2021-08-31"); len(got) != 0 {
			t.Errorf("%s task got reminders: %v", st, got)
		}
	}
	s := oneTask(t, "2021-06-30")
	for _, ks := range keysByDay(t, p, s, "2021-05-01", "2021-08-31") {
		for _, k := range ks {
			if strings.HasSuffix(k, "|1002") {
				t.Errorf("unreachable contact got %s", k)
			}
		}
	}
	s.Tasks[0].CreatedAt = at(t, "2021-06-24 10:00")
	s.PlanStart = day(t, "2021-06-01")
	got := keysByDay(t, p, s, "2021-05-01", "2021-06-29")
	if len(got) != 2 || got["2021-06-25"] == nil || got["2021-06-29"] == nil {
		t.Errorf("want only reminders after the task was created, got %v", got)
	}
}

func TestDue_CatchUp(t *testing.T) {
	p := schedule.DefaultPolicy()
	cal := schedule.NewCalendar()
	s := oneTask(t, "2021-06-30")

	t.Run("OnTime", func(t *testing.T) {
		pl := schedule.Due(p, cal, s, at(t, "2021-06-30 09:00"), at(t, "2021-07-01 09:30"))
		if len(pl.Reminders) != 2 || len(pl.Folded) != 0 {
			t.Fatalf("got %d reminders, %d folded; want overdue1 and escalation", len(pl.Reminders), len(pl.Folded))
		}
		for _, r := range pl.Reminders {
			if r.CatchUp || strings.HasPrefix(r.Text, "【补发】") {
				t.Errorf("%s marked 补发 within the grace period", r.Key)
			}
		}
	})
	t.Run("Late", func(t *testing.T) {
		pl := schedule.Due(p, cal, s, at(t, "2021-06-28 10:00"), at(t, "2021-07-01 12:00"))
		var keys []string
		for _, r := range pl.Reminders {
			keys = append(keys, r.Key)
			if !r.CatchUp || !strings.HasPrefix(r.Text, "【补发】原定 "+r.DueAt.Format("2006-01-02 15:04")) {
				t.Errorf("%s: CatchUp=%v text %q, want 补发", r.Key, r.CatchUp, r.Text[:40])
			}
		}
		want := []string{"before1|4.1.3|2021-06-30|1001", "before0|4.1.3|2021-06-30|1001",
			"escalate|*|2021-07-01|9001", "overdue1|4.1.3|2021-06-30|1001"}
		if !reflect.DeepEqual(keys, want) {
			t.Errorf("keys = %v, want %v", keys, want)
		}
	})
	t.Run("FoldBeyondWindow", func(t *testing.T) {
		pl := schedule.Due(p, cal, s, at(t, "2021-06-01 00:00"), at(t, "2021-07-12 09:30"))
		var keys []string
		for _, r := range pl.Reminders {
			keys = append(keys, r.Key)
		}
		want := []string{"missed|*|2021-06-01|9001", "missed|*|2021-06-01|1001", "overdue7|4.1.3|2021-06-30|1001", "ladder|*|2021-07-08|9001"}
		if !reflect.DeepEqual(keys, want) {
			t.Fatalf("keys = %v, want %v", keys, want)
		}
		if len(pl.Folded) != 8 {
			t.Errorf("folded %d, want 8 (before14..before0, overdue1, overdue3, escalate)", len(pl.Folded))
		}
		sum := pl.Reminders[1]
		if sum.Kind != store.KindCatchUp || !sum.CatchUp || sum.ChatID != 1001 || !sum.DueAt.Equal(at(t, "2021-07-05 09:00")) ||
			!strings.Contains(sum.Text, "停机期间错过的 7 条提醒") || !strings.Contains(sum.Text, "06-16 到期前 14 天提醒 · <b>4.1.3</b>") {
			t.Errorf("summary = %+v\n%s", sum.Message, sum.Text)
		}
		if !pl.Reminders[2].CatchUp {
			t.Errorf("overdue7 within the window should be 补发")
		}
	})
}

func TestDue_IdempotentKeys(t *testing.T) {
	p := schedule.DefaultPolicy()
	cal := schedule.NewCalendar()
	s, _ := seedSnapshot(t, day(t, "2021-06-20"), "")
	s.Tasks = append(s.Tasks, oneTask(t, "2021-06-30").Tasks...)

	a1 := schedule.Due(p, cal, s, at(t, "2021-06-20 00:00"), at(t, "2021-07-02 10:00"))
	a2 := schedule.Due(p, cal, s, at(t, "2021-06-20 00:00"), at(t, "2021-07-02 10:00"))
	if !reflect.DeepEqual(a1, a2) {
		t.Fatalf("Due is not deterministic")
	}
	b := schedule.Due(p, cal, s, at(t, "2021-06-25 00:00"), at(t, "2021-07-03 10:00"))
	lo, hi := at(t, "2021-06-25 00:00"), at(t, "2021-07-02 10:00")
	keys := func(pl schedule.Agenda) []string {
		var out []string
		for _, r := range append(pl.Reminders, pl.Folded...) {
			if r.Kind != store.KindCatchUp && r.DueAt.After(lo) && !r.DueAt.After(hi) {
				out = append(out, r.Key)
			}
		}
		sort.Strings(out)
		return out
	}
	ka, kb := keys(a1), keys(b)
	if len(ka) < 5 || !reflect.DeepEqual(ka, kb) {
		t.Errorf("overlapping windows disagree:\n a %v\n b %v", ka, kb)
	}
	seen := map[string]bool{}
	for _, r := range append(a1.Reminders, a1.Folded...) {
		if seen[r.Key] {
			t.Errorf("duplicate key %s", r.Key)
		}
		seen[r.Key] = true
	}
}
