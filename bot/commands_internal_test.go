package bot

import (
	"strings"
	"testing"
	"unicode"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// TestTable_Complete: every typed command of the table is in the menu
// with a usage line and a description in Chinese and English, runs
// something and is reachable by its name; no two rows share a trigger.
func TestTable_Complete(t *testing.T) {
	hasCJK := func(s string) bool {
		return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	}
	names := map[string]bool{}
	for i := range table {
		row := &table[i]
		if row.run == nil {
			t.Errorf("row %q/%q runs nothing", row.name, row.button)
		}
		if row.button != "" || row.name == "document" {
			if row.usage != "" || row.menu != "" {
				t.Errorf("row %q/%q is not typed but has a usage or menu entry", row.name, row.button)
			}
			continue
		}
		if names[row.name] {
			t.Errorf("/%s has two rows", row.name)
		}
		names[row.name] = true
		if commands[row.name] != row {
			t.Errorf("/%s is not found by its name", row.name)
		}
		if row.menu == "" || row.usage == "" {
			t.Errorf("/%s has no menu entry or usage", row.name)
			continue
		}
		for _, l := range []Lang{"zh", "en"} {
			usage, menu := l.T(row.usage), l.T(row.menu)
			if usage == row.usage || !strings.HasPrefix(usage, "/"+row.name) {
				t.Errorf("/%s: %s usage %q does not start with the command", row.name, l, usage)
			}
			if menu == row.menu || menu == "" {
				t.Errorf("/%s: no %s menu entry (%q)", row.name, l, row.menu)
			}
			if want := l == "zh"; hasCJK(menu) != want {
				t.Errorf("/%s: %s menu entry %q is in the other language", row.name, l, menu)
			}
		}
	}
	if got := len(Menu(store.RoleAdmin, "en")); got != len(names) {
		t.Errorf("the admin's menu has %d commands, the table %d", got, len(names))
	}
	if documentRow == nil || documentRow.role != store.RoleCoordinator {
		t.Errorf("the document row is %+v, want one for coordinators", documentRow)
	}
}

// TestTable_Buttons: every action duban puts into callback data has a row
// that handles it, every button row's action is one the decoder knows, and
// each action's data reads back as itself with its argument.
func TestTable_Buttons(t *testing.T) {
	seen := map[schedule.ButtonAction]bool{}
	for _, a := range schedule.ButtonActions {
		if seen[a] {
			t.Errorf("action %q listed twice", a)
		}
		seen[a] = true
		if buttons[a] == nil {
			t.Errorf("action %q has no row in the table", a)
		}
		if strings.Contains(string(a), ":") {
			t.Errorf("action %q contains the separator", a)
		}
		for _, arg := range []string{"4.1.3", "*", "", "17", "a:b"} {
			data := schedule.CallbackData(a, arg)
			got, gotArg, ok := schedule.ParseCallback(data)
			if !ok || got != a || gotArg != arg {
				t.Errorf("ParseCallback(CallbackData(%q, %q) = %q) = %q, %q, %v", a, arg, data, got, gotArg, ok)
			}
		}
		if l := buttons[a].label(); l != "button:"+string(a) {
			t.Errorf("action %q is labelled %q", a, l)
		}
	}
	for a := range buttons {
		if !seen[a] {
			t.Errorf("row for action %q, which the decoder does not know", a)
		}
	}
	for _, forged := range []string{"", "done", "zz:1", "DONE:4.1.3", ":4.1.3", "done4.1.3"} {
		if a, _, ok := schedule.ParseCallback(forged); ok {
			t.Errorf("ParseCallback(%q) accepted as %q", forged, a)
		}
	}
}

// TestTable_Scans: the commands that read much of the store give the
// memory back after them (App.AfterScan), the others do not.
func TestTable_Scans(t *testing.T) {
	for name, want := range map[string]bool{"digest": true, "stats": true, "export": true, "overdue": true, "my": false, "task": false, "button:done": false, "document": false} {
		if got := scans(name); got != want {
			t.Errorf("scans(%q) = %v, want %v", name, got, want)
		}
	}
}
