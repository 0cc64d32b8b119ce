package bot

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// MaxLedgerTasks bounds the list a digest attaches as the 台账: the
// workbook is built in memory (about 10 KB a task), and a bureau's list is
// a few hundred tasks; longer lists are for /export and the web 台账.
const MaxLedgerTasks = 5000

// ScoreSheet is the name of the export's on-time sheet (考核).
const ScoreSheet = "按时完成率"

// Ledger writes the 督办台账: the whole responsibility list as XLSX (as
// /export sends it) with the on-time sheet. The weekly digest attaches it
// when its lists were cut.
func Ledger(tx *store.Tx, loc *time.Location, now time.Time, lang Lang) (*store.Document, error) {
	if n := tx.TaskCount(); n > MaxLedgerTasks {
		return nil, &schedule.LedgerTooLarge{Tasks: n, Limit: MaxLedgerTasks}
	}
	tasks, err := tx.Tasks()
	if err == nil {
		tasks, err = tx.ForExport(tasks)
	}
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		t.UpdatedAt = t.UpdatedAt.In(loc)
	}
	var buf bytes.Buffer
	if err := listfile.WriteXLSXTitled(&buf, ExportTitle(tx, lang), tasks, nil); err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	data, err := withScoreSheet(buf.Bytes(), tx, now, loc, lang)
	if err != nil {
		return nil, err
	}
	return &store.Document{Name: "督办台账-" + now.In(loc).Format("20060102") + ".xlsx", Data: data}, nil
}

// ExportTitle is the title of an exported workbook: the bureau's name and
// the list ("" while no bureau is named).
func ExportTitle(tx *store.Tx, lang Lang) string {
	if b := tx.Bureau(); b.Name != "" {
		return lang.T("export_title", b.Name)
	}
	return ""
}

// withScoreSheet adds the on-time table (schedule.BuildScore) as its own
// sheet to a workbook: /export and the 台账 both carry it.
func withScoreSheet(xlsx []byte, tx *store.Tx, now time.Time, loc *time.Location, lang Lang) ([]byte, error) {
	sc, err := schedule.BuildScore(tx, now, loc)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		return nil, fmt.Errorf("score sheet: %w", err)
	}
	defer f.Close()
	if _, err := f.NewSheet(ScoreSheet); err != nil {
		return nil, err
	}
	for i, row := range sc.Rows(lang) {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr(ScoreSheet, cell, v); err != nil {
				return nil, err
			}
		}
	}
	f.SetColWidth(ScoreSheet, "A", "A", 28)
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// digestText asks the Reporter for the digest and whether a list in it
// was cut (the digest then says so: schedule.DigestWasCut).
func (c *call) digestText() (string, bool, error) {
	text, err := c.Reporter.Digest(c.tx, c.now)
	return text, err == nil && schedule.DigestWasCut(text), err
}

// attachLedger sends the 台账 after a digest whose lists were cut.
func (c *call) attachLedger(chat int64) error {
	doc, err := Ledger(c.tx, c.loc(), c.now, c.Lang)
	var tooBig *schedule.LedgerTooLarge
	if errors.As(err, &tooBig) {
		c.send(chat, store.KindLedger, c.Lang.T("ledger_too_large", tooBig.Tasks, tooBig.Limit))
		return nil
	}
	if err != nil {
		return err
	}
	m := c.send(chat, store.KindLedger, c.Lang.T("ledger_caption"))
	m.Document = doc
	m.NotBefore = c.now.Add(time.Millisecond) // after every part of the digest
	return nil
}
