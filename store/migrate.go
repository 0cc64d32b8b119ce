package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Bucket names. Key encodings are documented in docs/ARCHITECTURE.md.
var (
	bktMeta        = []byte("meta")                   // "schema" → uint32 BE; "setting/<k>" → value
	bktPlans       = []byte("plans")                  // plan ID → plan record
	bktTasks       = []byte("tasks")                  // task ID → task record
	bktIdxDept     = []byte("tasks.dept")             // dept 0x00 task ID → "L" (lead) | "C" (co)
	bktIdxDeadline = []byte("tasks.open_by_deadline") // date u32 BE + task ID → list summary (schema 6; nil before), open tasks with a deadline only
	bktHistory     = []byte("history")                // task ID 0x00 seq u64 BE → update record
	bktDepts       = []byte("departments")            // name → department record
	bktContacts    = []byte("contacts")               // user ID u64 BE → contact record
	bktIdxContact  = []byte("contacts.dept")          // dept 0x00 user ID u64 BE → nil
	bktInvites     = []byte("invites")                // sha256(token) → invite record
	bktExtensions  = []byte("extensions")             // id u64 BE → extension record
	bktOutbox      = []byte("outbox")                 // idempotency key → message record
	bktIdxPending  = []byte("outbox.pending")         // band u8 + not-before unix ns u64 BE + key → chat i64 BE (band since schema 5)
	bktMsgTask     = []byte("sent.task")              // chat i64 BE + message id u64 BE → task ID
	bktSeen        = []byte("updates.seen")           // Telegram update ID u64 BE → handled-at unix s
	bktSchedule    = []byte("schedule")               // job name → next fire time (RFC 3339) and job state
	bktStaged      = []byte("imports.staged")         // staged import id → rows awaiting confirmation
	bktIdxDeptOpen = []byte("tasks.dept_open")        // dept 0x00 date u32 BE (0xFFFFFFFF = continuous) + task ID → nil, open tasks, lead and co (schema 2)
)

// migrations are applied in order, each in one transaction; the schema
// version in meta is the number applied. Append, never edit.
var migrations = []func(tx *bolt.Tx) error{
	// 1: the initial layout.
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bktPlans, bktTasks, bktIdxDept, bktIdxDeadline, bktHistory,
			bktDepts, bktContacts, bktIdxContact, bktInvites, bktExtensions, bktOutbox,
			bktIdxPending, bktMsgTask, bktSeen, bktSchedule, bktStaged} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 2: a department's open tasks in deadline order, so /my reads one page
	// of a department's work without decoding the rest.
	func(tx *bolt.Tx) error {
		idx, err := tx.CreateBucketIfNotExists(bktIdxDeptOpen)
		if err != nil {
			return err
		}
		return tx.Bucket(bktTasks).ForEach(func(_, v []byte) error {
			t, err := decodeTask(v)
			if err != nil {
				return err
			}
			for _, k := range deptOpenKeys(t) {
				if err := idx.Put(k, nil); err != nil {
					return err
				}
			}
			return nil
		})
	},
	// 3: the schedule's indexes (store/scan.go): open continuous tasks,
	// finished tasks by lead, history by time.
	migrateScan,
	// 4: contact records hold a set of roles (departments + coordinator) in
	// their own stored form (store/people.go), every department indexed.
	migrateContacts,
	// 5: the pending index leads with the message's band, so answers to
	// users go ahead of the schedule's bulk (store/outbox.go).
	migratePendingBands,
	// 6: list summaries in the open-by-deadline index (store/summary.go).
	migrateSummaries,
	// 7: plans as things of their own: tasks keyed plan/ID, archived and
	// removed tasks in their own buckets (store/migrate_plans.go).
	migratePlans,
}

// migratePendingBands rewrites every pending-index entry from
// not-before + key to band + not-before + key.
func migratePendingBands(tx *bolt.Tx) error {
	idx, out := tx.Bucket(bktIdxPending), tx.Bucket(bktOutbox)
	type entry struct{ k, v []byte }
	var old []entry
	err := idx.ForEach(func(k, v []byte) error {
		old = append(old, entry{bytes.Clone(k), bytes.Clone(v)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range old {
		if err := idx.Delete(e.k); err != nil {
			return err
		}
	}
	for _, e := range old {
		if len(e.k) < 8 {
			continue
		}
		raw := out.Get(e.k[8:])
		if raw == nil {
			continue // an index entry without its message: nothing to send
		}
		m, err := decodeMessage(raw)
		if err != nil {
			return fmt.Errorf("outbox %q: %w", e.k[8:], err)
		}
		if m.State != MessagePending {
			continue
		}
		v := e.v
		if len(v) != 8 {
			v = u64(uint64(m.ChatID))
		}
		if err := idx.Put(pendingKey(m), v); err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion is the schema this build writes.
var SchemaVersion = len(migrations)

func (db *DB) migrate() error {
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bktMeta)
		return err
	}); err != nil {
		return Wrap(err, EINTERNAL, "e_db_init")
	}
	var v int
	db.bolt.View(func(tx *bolt.Tx) error { v = schemaOf(tx); return nil })
	if v > 0 && v < len(migrations) {
		// An upgrade: keep a copy of the old file before touching it.
		bak := fmt.Sprintf("%s.v%d.bak", db.Path, v)
		if _, err := db.BackupFile(bak); err != nil {
			return Wrap(err, EINTERNAL, "e_db_upgrade_backup")
		}
	}
	for {
		done := false
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			v := schemaOf(tx)
			if v > len(migrations) {
				return Refuse(EINTERNAL, "e_db_too_new", v, len(migrations))
			}
			if v == len(migrations) {
				done = true
				return nil
			}
			if err := migrations[v](tx); err != nil {
				return Wrap(err, EINTERNAL, "e_db_migrate", v+1)
			}
			return tx.Bucket(bktMeta).Put([]byte("schema"), u32(uint32(v+1)))
		})
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

func schemaOf(tx *bolt.Tx) int {
	b := tx.Bucket(bktMeta)
	if b == nil {
		return 0
	}
	v := b.Get([]byte("schema"))
	if len(v) != 4 {
		return 0
	}
	return int(binary.BigEndian.Uint32(v))
}

// SchemaVersion returns the schema version stored in the file.
func (tx *Tx) SchemaVersion() (int, error) { return schemaOf(tx.tx), nil }

// Setting returns a stored setting ("" when unset).
func (tx *Tx) Setting(key string) string {
	return string(tx.tx.Bucket(bktMeta).Get([]byte("setting/" + key)))
}

// SetSetting stores a setting; an empty value deletes it.
func (tx *Tx) SetSetting(key, value string) error {
	b := tx.tx.Bucket(bktMeta)
	if value == "" {
		return b.Delete([]byte("setting/" + key))
	}
	return b.Put([]byte("setting/"+key), []byte(value))
}

func u32(v uint32) []byte {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, v)
	return b
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}
