package bot

import (
	"encoding/json"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

// staged is a document waiting for its confirm button.
type staged struct {
	Name   string `json:"name"`
	Data   []byte `json:"data"`
	UserID int64  `json:"user"`
}

// MaxChatImport bounds the rows of one import confirmed in chat: the chat
// reads and writes an import inside the transaction every user's update
// waits for, and 10,000 rows take under a second (docs/BENCHMARKS.md).
// Larger lists, up to store.MaxTasks, go through duban import.
const MaxChatImport = 10_000

// importDocument answers a sent .xlsx/.csv (or plan .txt/.md) with a dry-run
// summary and a confirm button; nothing is written to the list yet.
func (c *call) importDocument() error {
	if rank(c.role) < rank(store.RoleCoordinator) {
		return c.denied(store.RoleCoordinator)
	}
	if c.r.crashed {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("import_crashed", c.r.DocumentName))
	}
	if !Importable(c.r.DocumentName) {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("import_not_list", c.r.DocumentName))
	}
	if c.r.DocumentSize > c.maxImportBytes() {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("import_too_big", c.r.DocumentName, c.maxImportBytes()>>20))
	}
	if c.doc == nil {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("import_fetch_failed"))
	}
	l, err := LoadFileWith(c.r.DocumentName, c.doc, c.planYear(), c.tx.DepartmentNames(), LoadOptions{Owners: c.tx.Setting(seeds.OwnersSetting), MaxTasks: MaxChatImport})
	if err != nil {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("import_bad", c.r.DocumentName, c.Lang.ErrorText(err)))
	}
	if err := ensurePlanDepts(c.tx, l, false); err != nil {
		return err
	}
	res, err := c.tx.PreviewImport(previewable(c.tx, l), l.Fields)
	if err != nil {
		return err
	}
	// The ID goes into the buttons' callback data: random, so nobody can
	// press a preview they were not shown by guessing its update ID.
	id, err := NewToken()
	if err != nil {
		return store.Errorf(store.EINTERNAL, "staged import ID: %v", err)
	}
	v, err := json.Marshal(staged{Name: c.r.DocumentName, Data: c.doc, UserID: c.r.UserID})
	if err != nil {
		return store.Errorf(store.EINTERNAL, "stage import: %v", err)
	}
	if err := c.tx.Stage(id, v); err != nil {
		return err
	}
	if err := c.planWorkbook(l); err != nil {
		return err
	}
	m := c.reply(c.Lang.T("import_preview", esc(c.r.DocumentName), len(l.Tasks), res.Created, res.Updated, res.Unchanged) + c.planDetails(l))
	m.Buttons = [][]store.Button{{{Text: c.Lang.T("btn_import"), Data: cbImport + ":" + id}, {Text: c.Lang.T("btn_discard"), Data: cbDiscard + ":" + id}}}
	return nil
}

// confirmImport applies (or discards) a staged document in one transaction.
func (c *call) confirmImport(id string, apply bool) error {
	v, err := c.tx.Staged(id)
	if err != nil {
		return err
	}
	if v == nil {
		c.toast = c.Lang.T("import_gone")
		return nil
	}
	var s staged
	if err := json.Unmarshal(v, &s); err != nil {
		return err
	}
	if s.UserID != c.r.UserID {
		// Staged took it out; it stays the uploader's to confirm.
		c.toast = c.Lang.T("import_not_yours")
		return c.tx.Stage(id, v)
	}
	edit := &store.Message{ChatID: c.r.ChatID, Kind: "edit", EditID: c.r.MessageID}
	c.out = append(c.out, edit)
	if !apply {
		edit.Text, c.toast = c.Lang.T("import_discarded", esc(s.Name)), c.Lang.T("import_discarded_short")
		return nil
	}
	l, err := LoadFileWith(s.Name, s.Data, c.planYear(), c.tx.DepartmentNames(), LoadOptions{Owners: c.tx.Setting(seeds.OwnersSetting), MaxTasks: MaxChatImport})
	if err != nil {
		edit.Text = c.Lang.T("import_bad", esc(s.Name), esc(c.Lang.ErrorText(err)))
		return nil
	}
	if err := ensurePlanDepts(c.tx, l, true); err != nil {
		return err
	}
	if l.Plan != nil {
		if err := c.tx.PutPlan(l.Plan); err != nil {
			return err
		}
		c.plan = nil // read the new plan's year from here on
	}
	a := c.actor()
	a.Via = "import"
	res, err := c.tx.ImportTasks(l.Tasks, l.Fields, a, s.Name)
	if err != nil {
		return err
	}
	edit.Text, c.toast = c.Lang.T("import_done", esc(s.Name), res.Created, res.Updated, res.Unchanged), c.Lang.T("import_done_short")
	return nil
}

// ensurePlanDepts adds the departments a plan's owner suggestions name (they
// come from the bundled department list) when add is set; list files must
// name known departments, which listfile already checked.
func ensurePlanDepts(tx *store.Tx, l *Loaded, add bool) error {
	if l.Kind != "plan" || !add {
		return nil
	}
	for _, t := range l.Tasks {
		for _, d := range append([]string{t.Lead}, t.CoDepts...) {
			if d != "" && !tx.HasDepartment(d) {
				if err := tx.AddDepartment(d); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// EnsurePlanDepts is ensurePlanDepts for the command line and start-up.
func EnsurePlanDepts(tx *store.Tx, l *Loaded) error { return ensurePlanDepts(tx, l, true) }

// PlanYear is the year of the newest stored plan, or fallback when there
// is none. A plan record that does not read is an error.
func PlanYear(tx *store.Tx, fallback int) (int, error) {
	ps, err := schedule.PlanStart(tx)
	if err != nil || ps.IsZero() {
		return fallback, err
	}
	return ps.Year(), nil
}

// cmdExport sends the whole list as an XLSX document.
func (c *call) cmdExport(string) error {
	tasks, err := c.tx.Tasks()
	if err != nil {
		return err
	}
	for _, t := range tasks {
		t.UpdatedAt = t.UpdatedAt.In(c.loc())
	}
	data, err := c.writeExport(tasks)
	if err != nil {
		return err
	}
	data, err = withScoreSheet(data, c.tx, c.now, c.loc(), c.Lang) // issue 13: the on-time rate is in the export
	if err != nil {
		return store.Errorf(store.EINTERNAL, "export: %v", err)
	}
	m := c.reply(c.Lang.T("export_caption", len(tasks), c.now.Format("2006-01-02 15:04")))
	m.Document = &store.Document{Name: "责任清单-" + c.now.Format("20060102") + ".xlsx", Data: data}
	return nil
}
