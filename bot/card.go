package bot

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// Button callback data. They are short (Telegram allows 64 bytes) and carry
// the task ID or record ID after the colon.
const (
	cbDone     = "done"
	cbProgress = "prog"
	cbExtend   = "ext"
	cbBlocked  = "blk"
	cbApprove  = "xa"
	cbReject   = "xr"
	cbImport   = "imp"
	cbDiscard  = "impx"
)

// Message kinds that change how a plain reply is read.
const (
	kindPromptProgress = "prompt_prog"
	kindPromptExtend   = "prompt_ext"
	kindPromptBlocked  = "prompt_blk"
)

// TaskButtons are the inline buttons every reminder and task card carries.
func TaskButtons(l Lang, id string) [][]store.Button {
	return [][]store.Button{
		{{Text: l.T("btn_done"), Data: cbDone + ":" + id}, {Text: l.T("btn_progress"), Data: cbProgress + ":" + id}},
		{{Text: l.T("btn_extend"), Data: cbExtend + ":" + id}, {Text: l.T("btn_blocked"), Data: cbBlocked + ":" + id}},
	}
}

// PlanStart is the day progress is measured from for the light: January 1 of
// the deadline's year.
func PlanStart(t *store.Task) store.Date {
	if t.Deadline.IsZero() {
		return 0
	}
	return store.NewDate(t.Deadline.Year(), 1, 1)
}

// Card renders a task's state for chat (HTML, escaped).
func Card(l Lang, t *store.Task, now time.Time) string {
	on := store.DateOf(now)
	var b strings.Builder
	fmt.Fprintf(&b, "%s <b>%s</b> %s", t.LightOn(on, PlanStart(t)).Emoji(), esc(t.ID), esc(l.Status(t.Status)))
	if t.Progress > 0 {
		fmt.Fprintf(&b, " %d%%", t.Progress)
	}
	b.WriteString("\n" + esc(t.Text) + "\n")
	lead := t.Lead
	if lead == "" {
		lead = l.T("unassigned")
	} else if t.LeadSuggested {
		lead += l.T("suggested")
	}
	fmt.Fprintf(&b, "%s%s", l.T("lead"), esc(lead))
	if len(t.CoDepts) > 0 {
		fmt.Fprintf(&b, "；%s%s", l.T("co"), esc(strings.Join(t.CoDepts, "、")))
	}
	b.WriteString("\n" + l.T("deadline") + esc(DeadlinePhrase(l, t, on)))
	if t.HasTarget() {
		fmt.Fprintf(&b, "\n%s%s/%s %s", l.T("target"), store.FormatNumber(t.Current), store.FormatNumber(t.Target), esc(t.Unit))
	}
	if t.Latest != "" {
		fmt.Fprintf(&b, "\n%s%s", l.T("latest"), esc(t.Latest))
	}
	return b.String()
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
func Line(l Lang, t *store.Task, on store.Date, withDept bool) string {
	text := []rune(t.Text)
	if len(text) > 40 {
		text = append(text[:40], '…')
	}
	s := fmt.Sprintf("%s <b>%s</b> %s", t.LightOn(on, PlanStart(t)).Emoji(), esc(t.ID), esc(string(text)))
	if withDept && t.Lead != "" {
		s += " — " + esc(t.Lead)
	}
	return s + " · " + esc(DeadlinePhrase(l, t, on))
}

func esc(s string) string { return html.EscapeString(s) }
