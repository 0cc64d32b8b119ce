package intake

import (
	"encoding/json"

	"github.com/duban-bureau/duban/store"
)

// Staged is a file waiting for its confirmation in the chat, kept in the
// store's staged imports (store.Tx.Stage): the file itself (read again
// when confirmed, against the database as it is then), who may confirm it,
// and what its preview showed.
type Staged struct {
	Name   string `json:"name"`
	Data   []byte `json:"data"`
	UserID int64  `json:"user"`
	// Conflicts are the conflicting task IDs the preview listed: a forced
	// confirmation applies only these.
	Conflicts []string `json:"conflicts,omitempty"`
	// Plans as entities (issue 11) add the target plan the preview named.
}

// Stage keeps s under id until it is confirmed, discarded or expires.
func Stage(tx *store.Tx, id string, s *Staged) error {
	v, err := json.Marshal(s)
	if err != nil {
		return store.Errorf(store.EINTERNAL, "stage import: %v", err)
	}
	return tx.Stage(id, v)
}

// TakeStaged returns and removes the staged file under id; nil when it is
// gone (handled, discarded or expired).
func TakeStaged(tx *store.Tx, id string) (*Staged, error) {
	v, err := tx.Staged(id)
	if err != nil || v == nil {
		return nil, err
	}
	var s Staged
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, store.Errorf(store.EINTERNAL, "staged import %s: %v", id, err)
	}
	return &s, nil
}
