package schedule_test

import (
	"testing"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// TestDue_CoordinatorWhoIsAContact: roles are a set — the 综合处 contact
// made 督办员 keeps getting the department's reminders, for each of their
// departments.
func TestDue_CoordinatorWhoIsAContact(t *testing.T) {
	s := schedule.Snapshot{
		Tasks: []*store.Task{
			{ID: "1.1.1", Text: "甲", Lead: "综合处", Deadline: store.NewDate(2021, 6, 30), Status: store.StatusInProgress},
			{ID: "1.1.2", Text: "乙", Lead: "办公室", Deadline: store.NewDate(2021, 6, 30), Status: store.StatusInProgress},
		},
		Contacts: []*store.Contact{
			{UserID: 5, ChatID: 5, Name: "李", Depts: []string{"综合处", "办公室"}, Dept: "综合处", Role: store.RoleCoordinator},
		},
		Coordinators: []int64{5},
		PlanStart:    store.NewDate(2021, 1, 1),
	}
	p, cal := schedule.DefaultPolicy(), schedule.NewCalendar()
	got := map[string]bool{}
	for d := store.NewDate(2021, 6, 1); d <= store.NewDate(2021, 6, 30); d = d.AddDays(1) {
		for _, r := range schedule.Preview(p, cal, s, d).Reminders {
			// One task a day is a card; several are one combined message.
			if r.ChatID == 5 && (r.Kind == store.KindReminder || r.Kind == store.KindDaily) {
				got[r.TaskID] = true
				for _, id := range r.Tasks {
					got[id] = true
				}
			}
		}
	}
	if !got["1.1.1"] || !got["1.1.2"] {
		t.Errorf("reminders to the coordinator-contact cover %v, want both departments' tasks", got)
	}
}
