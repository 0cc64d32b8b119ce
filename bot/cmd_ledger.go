package bot

import (
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// LedgerLinks makes the signed links to the web 台账 (bot/web.Links
// implements it; serve and the shell set App.Ledger).
type LedgerLinks interface {
	// Link returns the URL of the ledger of scope (a department, "" for
	// all) and when it expires; it may create the signing key in tx.
	Link(tx *store.Tx, scope string, now time.Time) (string, time.Time, error)
}

// cmdLedger answers a coordinator with a link to the web 台账: the whole
// ledger, or one department's (to hand to its contact). The link is the
// credential, so it is only given in a private chat.
func (c *call) cmdLedger(args string) error {
	if c.Ledger == nil {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("ledger_off"))
	}
	if c.r.Group {
		return store.Errorf(store.EINVALID, "%s", c.Lang.T("ledger_private"))
	}
	dept := trimDept(args)
	scope := c.Lang.T("web_scope_all")
	if dept != "" {
		if !c.tx.HasDepartment(dept) {
			return store.Errorf(store.ENOTFOUND, "%s", c.Lang.T("ledger_no_dept", dept))
		}
		scope = dept
	}
	url, exp, err := c.Ledger.Link(c.tx, dept, c.now)
	if err != nil {
		return store.Errorf(store.EINTERNAL, "ledger link: %v", err)
	}
	c.reply(c.Lang.T("ledger_link", esc(scope), esc(url), exp.In(c.loc()).Format("2006-01-02 15:04")))
	return nil
}

// trimDept reads a department argument: spaces (full-width too) around it
// do not count; inner ones do (a name may hold one).
func trimDept(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\u3000", " "))
}
