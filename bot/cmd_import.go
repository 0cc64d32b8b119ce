package bot

import (
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
)

// MaxChatImport bounds the rows of one import confirmed in chat: the chat
// reads and writes an import inside the transaction every user's update
// waits for, and 10,000 rows take under a second (docs/BENCHMARKS.md).
// Larger lists, up to store.MaxTasks, go through duban import.
const MaxChatImport = 10_000

// previewLines caps the task lines of an import's preview and result in
// chat (a dry run on the command line lists them all).
const previewLines = 15

// readImport reads a sent or staged document through the one pipeline.
func (c *call) readImport(name string, data []byte) (*intake.Import, error) {
	return intake.Read(c.tx, name, data, intake.Options{MaxTasks: MaxChatImport, Loc: c.loc()})
}

// renderReport lists a preview's or a result's tasks for the chat.
func (c *call) renderReport(r *intake.Report, forceHint string) string {
	s := intake.Render(c.Lang, r, intake.RenderOptions{Max: previewLines, Cut: 30, Esc: esc, Loc: c.loc(), ForceHint: forceHint})
	if s == "" {
		return ""
	}
	return "\n" + s
}

// importDocument answers a sent .xlsx/.csv (or plan .txt/.md) with a dry-run
// summary and a confirm button; nothing is written to the list yet.
// Who may send one is the table's document row (bot/commands.go).
func (c *call) importDocument(string) error {
	if c.r.crashed {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("import_crashed", c.r.DocumentName))
	}
	if !intake.Importable(c.r.DocumentName) {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("import_not_list", c.r.DocumentName))
	}
	if c.r.DocumentSize > c.maxImportBytes() {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("import_too_big", c.r.DocumentName, c.maxImportBytes()>>20))
	}
	if c.doc == nil {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("import_fetch_failed"))
	}
	im, err := c.readImport(c.r.DocumentName, c.doc)
	if err != nil {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("import_bad", c.r.DocumentName, c.Lang.ErrorText(err)))
	}
	p, err := im.Preview(c.tx)
	if err != nil {
		return err
	}
	// The ID goes into the buttons' callback data: random, so nobody can
	// press a preview they were not shown by guessing its update ID.
	id, err := NewToken()
	if err != nil {
		return store.Errorf(store.EINTERNAL, "staged import ID: %v", err)
	}
	if err := intake.Stage(c.tx, id, &intake.Staged{Name: c.r.DocumentName, Data: c.doc, UserID: c.r.UserID, Conflicts: p.ConflictIDs()}); err != nil {
		return err
	}
	if err := c.planWorkbook(im); err != nil {
		return err
	}
	text := c.Lang.T("import_preview", esc(c.r.DocumentName), p.Rows, len(p.Created), len(p.Updated), p.Unchanged) + c.planDetails(im, p)
	if len(p.Conflicts) > 0 {
		text += "\n" + c.Lang.T("import_preview_conflicts", len(p.Conflicts))
	}
	text += c.renderReport(p, "import_force_hint")
	row := []store.Button{{Text: c.Lang.T("btn_import"), Data: schedule.CallbackData(schedule.ActionImport, id)}}
	if p.Example.Offer {
		text += "\n" + c.Lang.T("import_example_offer", p.Example.Tasks)
		row = append(row, store.Button{Text: c.Lang.T("btn_import_example"), Data: schedule.CallbackData(schedule.ActionImportExample, id)})
	}
	if p.Carry.From != "" {
		text += "\n" + c.Lang.T("import_carry_offer", esc(p.Carry.From), p.Carry.Open)
		row = append(row, store.Button{Text: c.Lang.T("btn_import_carry"), Data: schedule.CallbackData(schedule.ActionImportCarry, id)})
	}
	m := c.reply(text)
	m.Buttons = [][]store.Button{append(row, store.Button{Text: c.Lang.T("btn_discard"), Data: schedule.CallbackData(schedule.ActionDiscard, id)})}
	if len(p.Conflicts) > 0 {
		m.Buttons = append(m.Buttons, []store.Button{{Text: c.Lang.T("btn_import_force"), Data: schedule.CallbackData(schedule.ActionImportForce, id)}})
	}
	return nil
}

// confirmImport applies (or discards) a staged document in one
// transaction; kind is the button: ActionImport, ActionDiscard,
// ActionImportForce (conflicting rows too) or ActionImportExample (the
// example plan goes).
func (c *call) confirmImport(id string, kind schedule.ButtonAction) error {
	s, err := intake.TakeStaged(c.tx, id)
	if err != nil {
		return err
	}
	if s == nil {
		c.toast = c.Lang.T("import_gone")
		return nil
	}
	if s.UserID != c.r.UserID {
		// TakeStaged took it out; it stays the uploader's to confirm.
		c.toast = c.Lang.T("import_not_yours")
		return intake.Stage(c.tx, id, s)
	}
	edit := &store.Message{ChatID: c.r.ChatID, Kind: store.KindEdit, EditID: c.r.MessageID}
	c.out = append(c.out, edit)
	if kind == schedule.ActionDiscard {
		edit.Text, c.toast = c.Lang.T("import_discarded", esc(s.Name)), c.Lang.T("import_discarded_short")
		return nil
	}
	im, err := c.readImport(s.Name, s.Data)
	if err != nil {
		edit.Text = c.Lang.T("import_bad", esc(s.Name), esc(c.Lang.ErrorText(err)))
		return nil
	}
	a := c.actor()
	a.Via = "import"
	opt := intake.ApplyOptions{By: a, Note: s.Name, RemoveExample: kind == schedule.ActionImportExample, CarryOver: kind == schedule.ActionImportCarry}
	if kind == schedule.ActionImportForce {
		opt.Force, opt.ForceOnly = true, append([]string{}, s.Conflicts...)
	}
	if opt.RemoveExample && !c.tx.IsExamplePlan() {
		opt.RemoveExample = false // removed meanwhile (duban example remove)
	}
	r, err := im.Apply(c.tx, opt)
	if err != nil {
		return err
	}
	c.plan = nil // read the new plan's year from here on
	edit.Text = c.Lang.T("import_done", esc(s.Name), len(r.Created), len(r.Updated)+len(r.Forced), r.Unchanged)
	if r.Example.Removed > 0 {
		edit.Text += "\n" + c.Lang.T("import_example_removed", r.Example.Removed)
	}
	if r.Carry.Moved > 0 {
		edit.Text += "\n" + c.Lang.T("import_carried", r.Carry.Moved, esc(r.Carry.From))
	}
	edit.Text += c.renderReport(r, "")
	c.toast = c.Lang.T("import_done_short")
	return nil
}

// cmdExport sends the whole list as an XLSX document.
func (c *call) cmdExport(string) error {
	tasks, err := c.tx.Tasks()
	if err == nil {
		tasks, err = c.tx.ForExport(tasks) // 2026/4.1.3 once there are two plans
	}
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
