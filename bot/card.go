package bot

import (
	"fmt"
	"html"
	"strings"

	"github.com/duban-bureau/duban/schedule"

	"github.com/duban-bureau/duban/store"
)

// TaskButtons are the inline buttons every reminder and task card carries.
func TaskButtons(l Lang, id string) [][]store.Button { return schedule.TaskButtons(id, l) }

// card renders a task's state, the same card reminders carry. Its ID is
// qualified (2027/4.1.3) when another active plan has a task of that ID,
// or its plan is archived, so the reader knows which one it is.
func (c *call) card(t *store.Task) string {
	return strings.TrimRight(schedule.TaskCardLit(c.shown(t), store.DateOf(c.now), c.planStartOf(t), c.Lang, c.lights()), "\n")
}

// shown is t as a reply names it: its ID qualified (2027/4.1.3) when
// another active plan has a task of that ID, or its plan is archived.
func (c *call) shown(t *store.Task) *store.Task {
	if ref := c.tx.Ref(t); ref != t.ID {
		s := t.Clone()
		s.ID = ref
		return s
	}
	return t
}

// DeadlinePhrase says when a task is due relative to day on.
func DeadlinePhrase(l Lang, t *store.Task, on store.Date) string {
	switch {
	case t.Cadence != "":
		return l.T("continuous")
	case t.Deadline.IsZero():
		return "—"
	case t.Overdue(on):
		return l.T("overdue_days", t.Deadline.String(), t.DaysOverdue(on))
	case !t.Open():
		return t.Deadline.String()
	}
	return l.T("days_left", t.Deadline.String(), on.DaysUntil(t.Deadline))
}

// Line renders a task as one list line: light, ID, owner, deadline, text.
func Line(l Lang, t *store.Task, on, planStart store.Date, withDept bool) string {
	return LitLine(l, t, on, planStart, withDept, schedule.DefaultLights())
}

// LitLine is Line lit with the policy's thresholds.
func LitLine(l Lang, t *store.Task, on, planStart store.Date, withDept bool, lights schedule.Lights) string {
	text := []rune(t.Text)
	if len(text) > 40 {
		text = append(text[:40], '…')
	}
	s := fmt.Sprintf("%s <b>%s</b> %s", lights.Light(t, on, planStart).Emoji() /* 序时进度, as the digest */, esc(t.ID), esc(string(text)))
	if withDept && t.Lead != "" {
		s += " — " + esc(t.Lead)
	}
	return s + " · " + esc(DeadlinePhrase(l, t, on))
}

func esc(s string) string { return html.EscapeString(s) }
