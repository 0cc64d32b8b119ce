package lang

import "github.com/duban-bureau/duban/store"

// LifecycleTable renders store's transition table (store.Transition) in
// Markdown in l (docs/ARCHITECTURE.md holds the Chinese copy; a test keeps
// them equal): one row per action, one column per status, each cell
// "contact / coordinator".
func (l Lang) LifecycleTable() string {
	var b []byte
	b = append(b, "| "+l.T("lifecycle_corner")+" |"...)
	for _, s := range store.Statuses {
		b = append(b, " "+l.Status(s)+" |"...)
	}
	b = append(b, "\n|---|"...)
	for range store.Statuses {
		b = append(b, "---|"...)
	}
	for _, a := range store.Actions {
		b = append(b, "\n| "+string(a)+" |"...)
		for _, s := range store.Statuses {
			b = append(b, " "+l.cellText(store.Transition(s, a, store.RoleContact))+" / "+l.cellText(store.Transition(s, a, store.RoleCoordinator))+" |"...)
		}
	}
	return string(append(b, '\n'))
}

func (l Lang) cellText(m store.Move) string {
	switch {
	case m.Refuse != "":
		return "✗" + m.Refuse
	case m.Confirm:
		return l.T("lifecycle_confirm", l.Status(m.To))
	}
	return l.Status(m.To)
}
