package telegram

import (
	"strconv"
	"sync"
	"time"

	"github.com/duban-bureau/duban/store"
)

// OffsetStore keeps the poller's offset in the store and forgets handled
// update IDs that Telegram can no longer re-deliver. The offset is only a
// starting hint: Telegram itself keeps every unconfirmed update, and the
// handled-update marks make a re-delivery harmless, so it is written at
// most every Every (default 10 s) rather than costing an fsync per batch.
type OffsetStore struct {
	DB    *store.DB
	Every time.Duration

	mu    sync.Mutex
	saved time.Time
	next  int64 // the latest offset, not yet written when > written
	wrote int64
}

// keepSeen is how many update IDs below the offset stay remembered.
const keepSeen = 10000

// Load returns the stored offset (0 when none).
func (o *OffsetStore) Load() int64 {
	var n int64
	o.DB.View(func(tx *store.Tx) error {
		n, _ = strconv.ParseInt(tx.Setting("poll_offset"), 10, 64)
		return nil
	})
	o.mu.Lock()
	o.wrote, o.next = n, n
	o.mu.Unlock()
	return n
}

// Save records the offset after a handled batch, writing it when Every has
// passed since the last write.
func (o *OffsetStore) Save(next int64) error {
	o.mu.Lock()
	o.next = next
	due := time.Since(o.saved) >= o.every()
	o.mu.Unlock()
	if !due {
		return nil
	}
	return o.Flush()
}

// Flush writes the latest offset now (at shutdown).
func (o *OffsetStore) Flush() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.next == o.wrote {
		return nil
	}
	next := o.next
	err := o.DB.Update(func(tx *store.Tx) error {
		if err := tx.PruneUpdates(next - keepSeen); err != nil {
			return err
		}
		return tx.SetSetting("poll_offset", strconv.FormatInt(next, 10))
	})
	if err == nil {
		o.wrote, o.saved = next, time.Now()
	}
	return err
}

func (o *OffsetStore) every() time.Duration {
	if o.Every > 0 {
		return o.Every
	}
	return 10 * time.Second
}
