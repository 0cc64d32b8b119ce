package intake

import (
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// Words is the catalogue a report is written in (the chat's, in the
// reader's language): entries by key, field names and status labels.
type Words interface {
	T(key string, args ...any) string
	Field(f string) string
	Status(s store.Status) string
}

// RenderOptions shape a rendered report for where it is read.
type RenderOptions struct {
	// Max caps the task lines (0: all of them, as the command line shows);
	// the rest is one "…还有N项" line.
	Max int
	// Cut shortens each value to this many characters (0: whole).
	Cut int
	// Esc escapes file and database text (HTML for the chat).
	Esc func(string) string
	Loc *time.Location // the zone times are shown in
	// ForceHint is the catalogue key of the sentence after the conflicts
	// saying how to apply them anyway (a button, or --force).
	ForceHint string
}

// Render lists a report task by task: conflicts first (file value and
// database value, who changed it when), then forced rows, updated tasks
// with every field that changes (old → new), and created tasks. The
// counts line is the caller's.
func Render(w Words, r *Report, o RenderOptions) string {
	if o.Esc == nil {
		o.Esc = func(s string) string { return s }
	}
	if o.Loc == nil {
		o.Loc = time.Local
	}
	var b strings.Builder
	lines, left := 0, 0
	line := func(s string) {
		if o.Max > 0 && lines >= o.Max {
			left++
			return
		}
		lines++
		b.WriteString("\n" + s)
	}
	header := func(s string) {
		if o.Max > 0 && lines >= o.Max {
			return
		}
		b.WriteString("\n" + s)
	}
	if len(r.Conflicts) > 0 {
		header(w.T("intake_conflicts", len(r.Conflicts)))
		for _, c := range r.Conflicts {
			line(conflictLine(w, c, o))
		}
		if o.ForceHint != "" {
			header(w.T(o.ForceHint))
		}
	}
	if len(r.Forced) > 0 {
		header(w.T("intake_forced", len(r.Forced)))
		for _, c := range r.Forced {
			line(conflictLine(w, c, o))
		}
	}
	if len(r.Updated) > 0 {
		header(w.T("intake_updated", len(r.Updated)))
		for _, c := range r.Updated {
			line(o.Esc(c.New.ID) + " " + changesText(w, c, o))
		}
	}
	if len(r.Created) > 0 {
		header(w.T("intake_created", len(r.Created)))
		for _, t := range r.Created {
			line(o.Esc(t.ID) + " " + o.Esc(cut(t.Text, o.Cut)))
		}
	}
	if left > 0 {
		b.WriteString("\n" + w.T("intake_more", left))
	}
	return strings.TrimPrefix(b.String(), "\n")
}

// conflictLine is one conflicting row: each field with the file's and the
// database's value, and who changed it in the database when (once for the
// fields one change set).
func conflictLine(w Words, c Conflict, o RenderOptions) string {
	var b strings.Builder
	b.WriteString(o.Esc(c.New.ID) + w.T("intake_conflict_row", c.Updated.In(o.Loc).Format("2006-01-02 15:04")))
	var fields []FieldConflict
	for _, f := range c.Fields {
		if f.Field != "lead_suggested" {
			fields = append(fields, f)
		}
	}
	for i, f := range fields {
		if i > 0 {
			b.WriteString(w.T("list_sep2"))
		}
		b.WriteString(w.T("intake_conflict_field", w.Field(f.Field), value(w, f.Field, f.File, o), value(w, f.Field, f.DB, o)))
		if i+1 < len(fields) && fields[i+1].At.Equal(f.At) && fields[i+1].By == f.By {
			continue // the same change: say who and when after its last field
		}
		who := f.By.Name
		if who == "" {
			if who = w.T("via_" + f.By.Via); who == "via_"+f.By.Via {
				who = f.By.Via
			}
		}
		b.WriteString(w.T("intake_conflict_by", o.Esc(who), f.At.In(o.Loc).Format("2006-01-02 15:04")))
	}
	return b.String()
}

// changesText is a task's changed fields, old → new; a confirmed or
// newly suggested owner shows as the lead with its mark.
func changesText(w Words, c Change, o RenderOptions) string {
	lead := false
	for _, ch := range c.Changes {
		lead = lead || ch.Field == "lead"
	}
	var parts []string
	for _, ch := range c.Changes {
		field, old, new := ch.Field, ch.Old, ch.New
		switch {
		case field == "lead_suggested" && lead:
			continue
		case field == "lead" || field == "lead_suggested":
			field, old, new = "lead", leadText(w, c.Old), leadText(w, c.New)
		}
		parts = append(parts, w.Field(field)+w.T("colon")+value(w, field, old, o)+"→"+value(w, field, new, o))
	}
	return strings.Join(parts, w.T("list_sep2"))
}

func leadText(w Words, t *store.Task) string {
	if t.Lead != "" && t.LeadSuggested {
		return t.Lead + w.T("intake_suggested")
	}
	return t.Lead
}

// value shows one Diff-formatted value: statuses by their label, progress
// with %, empty as —.
func value(w Words, field, v string, o RenderOptions) string {
	switch field {
	case "status":
		if v == "" {
			v = string(store.StatusNotStarted)
		}
		return w.Status(store.Status(v))
	case "progress":
		if v == "" {
			v = "0"
		}
		return v + "%"
	}
	if v == "" {
		return "—"
	}
	return o.Esc(cut(v, o.Cut))
}

func cut(s string, n int) string {
	if n <= 0 {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
