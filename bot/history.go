package bot

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// historyPage is how many entries one /history message shows.
const historyPage = 20

// historyEntry renders one history entry as ledger columns: when (with the
// year), who, what, and the detail — statuses in the reader's language,
// each note once.
func historyEntry(l Lang, u store.HistoryEntry, loc *time.Location) (when, who, what, detail string) {
	if loc == nil {
		loc = time.Local
	}
	var parts []string
	for _, ch := range u.Changes {
		old, new := ch.Old, ch.New
		switch ch.Field {
		case "lead_suggested":
			continue
		case "latest":
			if new == u.Note {
				continue // the note follows once
			}
		case "status":
			old, new = l.Status(store.Status(old)), l.Status(store.Status(new))
			if ch.Old == "" {
				old = l.Status(store.StatusNotStarted)
			}
		case "progress":
			old, new = orZero(old)+"%", orZero(new)+"%"
		}
		parts = append(parts, l.Field(ch.Field)+l.T("colon")+orDash(old)+"→"+orDash(new))
	}
	if u.Note != "" {
		parts = append(parts, u.Note)
	}
	who = u.By.Name
	if who == "" {
		who = l.T("via_" + u.By.Via)
		if who == "via_"+u.By.Via {
			who = u.By.Via
		}
	}
	return u.At.In(loc).Format("2006-01-02 15:04"), who, l.Kind(u.Kind), strings.Join(parts, l.T("list_sep2"))
}

// historyLine is one entry on one line of chat.
func historyLine(l Lang, u store.HistoryEntry, loc *time.Location) string {
	when, who, what, detail := historyEntry(l, u, loc)
	s := when + " " + who + " " + what
	if detail != "" {
		s += l.T("colon") + detail
	}
	return s
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// cmdHistory shows a task's whole history, oldest first, a page at a time:
// /history ID [page].
func (c *call) cmdHistory(args string) error {
	t, f, err := c.taskArgs("history", args, 1, 2)
	if err != nil {
		return err
	}
	page := 1
	if len(f) == 2 {
		if page, err = strconv.Atoi(widthFold(f[1])); err != nil || page < 1 {
			return c.usage("history")
		}
	}
	h, err := c.tx.History(t.Key())
	if err != nil {
		return err
	}
	pages := max(1, (len(h)+historyPage-1)/historyPage)
	if page > pages {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("history_no_page", t.ID, pages))
	}
	lines := []string{c.Lang.T("history_title", esc(t.ID), len(h), page, pages)}
	for _, u := range h[(page-1)*historyPage : min(len(h), page*historyPage)] {
		lines = append(lines, esc(historyLine(c.Lang, u, c.Loc)))
	}
	if page < pages {
		lines = append(lines, c.Lang.T("history_next", esc(t.ID), page+1))
	}
	c.reply(strings.Join(lines, "\n"))
	return nil
}

// historyRows is the whole ledger, oldest first, as rows of the export's
// 督办记录 sheet.
func (c *call) historyRows() ([][]string, error) {
	all, err := c.tx.HistorySince(time.Unix(0, 0))
	if err != nil {
		return nil, err
	}
	plans, err := c.tx.Plans()
	if err != nil {
		return nil, err
	}
	rows := make([][]string, 0, len(all))
	for _, u := range all {
		when, who, what, detail := historyEntry(c.Lang, u, c.Loc)
		id := u.TaskID
		if len(plans) > 1 {
			id = u.Key() // 2026/4.1.3, as the list sheet names it then
		}
		rows = append(rows, []string{when, id, who, what, detail})
	}
	return rows, nil
}

// writeExport writes the list with its ledger.
func (c *call) writeExport(tasks []*store.Task) ([]byte, error) {
	rows, err := c.historyRows()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := listfile.WriteXLSXTitled(&buf, ExportTitle(c.tx, c.Lang), tasks, rows); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return buf.Bytes(), nil
}
