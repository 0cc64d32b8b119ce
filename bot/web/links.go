package web

import (
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// DefaultTTL is how long a /ledger link stays valid unless --web-link-ttl
// says otherwise.
const DefaultTTL = 24 * time.Hour

// Links makes the signed links /ledger answers with; it implements
// bot.LedgerLinks. The key is made on first use, inside the caller's write
// transaction, so it commits with the reply that carries the link.
type Links struct {
	BaseURL string        // public base URL of the web listener (--web-url)
	TTL     time.Duration // validity of a link (--web-link-ttl); DefaultTTL when zero
}

// Link returns the URL of the ledger for scope (a department, "" for all)
// and the instant it expires.
func (l Links) Link(tx *store.Tx, scope string, now time.Time) (string, time.Time, error) {
	key, err := tx.EnsureWebKey()
	if err != nil {
		return "", time.Time{}, err
	}
	ttl := l.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	exp := now.Add(ttl).Truncate(time.Second)
	return strings.TrimRight(l.BaseURL, "/") + "/l/" + Sign(key, scope, exp), exp, nil
}
