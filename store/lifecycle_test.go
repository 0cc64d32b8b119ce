package store_test

import (
	"os"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/schedule/lang"
	"github.com/duban-bureau/duban/store"
)

// TestTransition checks every cell of the lifecycle table against the
// table written out by hand: action → per status (未开始 推进中 受阻 待销号
// 已销号) "contact/coordinator", where a status letter is the new status
// (N not started, P in progress, B blocked, D 待销号, C closed, ? closed
// after a confirmation) and x… a refusal with its reason.
func TestTransition(t *testing.T) {
	want := map[store.Action][5]string{
		store.ActProgress: {"P/P", "P/P", "P/P", "xreview/xreview", "xclosed/xclosed"},
		store.ActNote:     {"P/P", "P/P", "B/B", "D/D", "xclosed/xclosed"},
		store.ActDone:     {"D/D", "D/D", "D/D", "xreview/xreview", "xclosed/xclosed"},
		store.ActBlocked:  {"B/B", "B/B", "B/B", "xreview/xreview", "xclosed/xclosed"},
		store.ActExtend:   {"N/N", "P/P", "B/B", "xreview/xreview", "xclosed/xclosed"},
		store.ActClose:    {"xrole/?", "xrole/?", "xrole/?", "xrole/C", "xrole/xclosed"},
		store.ActReturn:   {"xrole/xnotreview", "xrole/xnotreview", "xrole/xnotreview", "xrole/P", "xrole/xnotreview"},
		store.ActReopen:   {"xrole/xopen", "xrole/xopen", "xrole/xopen", "xrole/P", "xrole/P"},
		store.ActTarget:   {"xrole/N", "xrole/P", "xrole/B", "xrole/D", "xrole/xclosed"},
		store.ActAssign:   {"xrole/N", "xrole/P", "xrole/B", "xrole/D", "xrole/xclosed"},
		store.ActDeadline: {"xrole/N", "xrole/P", "xrole/B", "xrole/D", "xrole/xclosed"},
	}
	letter := map[store.Status]string{store.StatusNotStarted: "N", store.StatusInProgress: "P", store.StatusBlocked: "B",
		store.StatusDone: "D", store.StatusClosed: "C"}
	cell := func(m store.Move) string {
		switch {
		case m.Refuse != "":
			return "x" + m.Refuse
		case m.Confirm:
			if m.To != store.StatusClosed {
				return "?" + string(m.To)
			}
			return "?"
		}
		return letter[m.To]
	}
	if len(want) != len(store.Actions) {
		t.Fatalf("table covers %d actions, store.Actions has %d", len(want), len(store.Actions))
	}
	for _, a := range store.Actions {
		for i, s := range store.Statuses {
			got := cell(store.Transition(s, a, store.RoleContact)) + "/" + cell(store.Transition(s, a, store.RoleCoordinator))
			if got != want[a][i] {
				t.Errorf("%s on %s: got %s, want %s", a, s, got, want[a][i])
			}
			if admin, coord := store.Transition(s, a, store.RoleAdmin), store.Transition(s, a, store.RoleCoordinator); admin != coord {
				t.Errorf("%s on %s: admin %+v differs from coordinator %+v", a, s, admin, coord)
			}
			if m := store.Transition(s, a, store.RoleStranger); m.Refuse != store.RefuseRole {
				t.Errorf("%s on %s by a stranger: %+v, want refused", a, s, m)
			}
		}
	}
	if m := store.Transition("", store.ActDone, store.RoleContact); m.To != store.StatusDone {
		t.Errorf("done on an empty status = %+v, want 待销号", m)
	}
	if m := store.Transition(store.StatusInProgress, "nonsense", store.RoleAdmin); m.Refuse == "" {
		t.Errorf("an unknown action was allowed: %+v", m)
	}
}

// TestLifecycleTable_InArchitecture keeps docs/ARCHITECTURE.md's copy of
// the table equal to the code's.
func TestLifecycleTable_InArchitecture(t *testing.T) {
	doc, err := os.ReadFile("../docs/ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	if table := lang.Lang("zh").LifecycleTable(); !strings.Contains(string(doc), table) {
		t.Errorf("docs/ARCHITECTURE.md does not hold the lifecycle table; paste:\n%s", table)
	}
}

func TestTx_TasksInStatus(t *testing.T) {
	db := MustOpenDB(t)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for i, s := range []store.Status{store.StatusNotStarted, store.StatusBlocked, store.StatusDone, store.StatusClosed, store.StatusBlocked, store.StatusDone} {
			id := "1.1." + string(rune('1'+i))
			if err := tx.PutTask(&store.Task{ID: id, Text: id, Lead: "甲处", Deadline: store.NewDate(2021, 6, 30), Status: s}); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, db, func(tx *store.Tx) error {
		for s, want := range map[store.Status]string{store.StatusBlocked: "1.1.2 1.1.5", store.StatusDone: "1.1.3 1.1.6",
			store.StatusClosed: "1.1.4", store.StatusNotStarted: "1.1.1", store.StatusInProgress: ""} {
			ts, err := tx.TasksInStatus(s)
			if err != nil {
				return err
			}
			var ids []string
			for _, t := range ts {
				ids = append(ids, t.ID)
			}
			if got := strings.Join(ids, " "); got != want {
				t.Errorf("TasksInStatus(%s) = %q, want %q", s, got, want)
			}
		}
		return nil
	})
}
