package bot

import (
	"strconv"
	"sync"
	"time"

	"github.com/duban-bureau/duban/store"
)

// The poison guard. A document is the one kind of update whose handling
// reads an untrusted file of some size; the limits in listfile should stop
// any file that could exhaust the process, but if one ever did, Telegram
// would deliver the same update again after the restart, and again. So
// before a document is fetched its update ID is recorded as in progress,
// in a transaction of its own, under this process's run ID, and cleared
// once the update is settled. A mark left by another run means that run
// died handling this very update: it is answered with an apology and
// marked handled instead of being tried a second time.

const attemptKey = "attempt/"

var (
	runOnce sync.Once
	runID   string
)

// thisRun identifies this process's marks.
func thisRun() string {
	runOnce.Do(func() { runID = strconv.FormatInt(time.Now().UnixNano(), 36) })
	return runID
}

// beginAttempt marks r in progress and reports whether a previous run had
// left the mark (it died handling r). Requests without an update ID (the
// shell) are not guarded.
func (a *App) beginAttempt(r Request) (crashed bool) {
	if r.UpdateID == 0 {
		return false
	}
	key := attemptKey + strconv.FormatInt(r.UpdateID, 10)
	err := a.DB.Update(func(tx *store.Tx) error {
		if tx.SeenUpdate(r.UpdateID) {
			return nil // a duplicate: apply says so
		}
		if v := tx.Setting(key); v != "" && v != thisRun() {
			crashed = true
			return nil
		}
		return tx.SetSetting(key, thisRun())
	})
	if err != nil {
		a.log().Warn("mark update in progress", "update", r.UpdateID, "err", err)
	}
	return crashed
}

// endAttempt clears r's mark once r is settled (or failed and will be
// delivered again, which is then a fresh attempt).
func (a *App) endAttempt(r Request) {
	if r.UpdateID == 0 {
		return
	}
	key := attemptKey + strconv.FormatInt(r.UpdateID, 10)
	if err := a.DB.Update(func(tx *store.Tx) error { return tx.SetSetting(key, "") }); err != nil {
		a.log().Warn("clear update in progress", "update", r.UpdateID, "err", err)
	}
}
