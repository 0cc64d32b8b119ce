package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// webKeySetting is the setting holding the key that signs web 台账 links
// (hex). It lives in the database so every process serving the file
// checks links with the same key, and rotating it invalidates them all.
const webKeySetting = "web_key"

// WebKey returns the key that signs web 台账 links, nil when none was made
// yet (then no link can be valid).
func (tx *Tx) WebKey() []byte {
	v := tx.Setting(webKeySetting)
	if v == "" {
		return nil
	}
	k, err := hex.DecodeString(v)
	if err != nil || len(k) < 16 {
		return nil // a damaged key signs nothing; rotate-key replaces it
	}
	return k
}

// EnsureWebKey returns the link key, making one (32 random bytes) in this
// write transaction when there is none yet.
func (tx *Tx) EnsureWebKey() ([]byte, error) {
	if k := tx.WebKey(); k != nil {
		return k, nil
	}
	return tx.RotateWebKey()
}

// RotateWebKey replaces the link key with a fresh random one: every link
// signed with the old key stops working at once.
func (tx *Tx) RotateWebKey() ([]byte, error) {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("web key: %w", err)
	}
	if err := tx.SetSetting(webKeySetting, hex.EncodeToString(k)); err != nil {
		return nil, err
	}
	return k, nil
}

// EachTaskBrief calls fn with every task in key order (not ID order),
// decoding only what counting and filtering need: ID, PlanID, Lead,
// LeadSuggested, CoDepts, Deadline, Cadence, Target, Current, Status and
// Progress. Section, Text, Unit, Latest and the times stay empty, so the
// web 台账 counts 100,000 tasks without allocating their texts. t is
// reused between calls: keep only its strings (they are not reused), never
// t itself. The record's fields are read in encodeTask's order, which new
// fields only extend (ARCHITECTURE.md), so this prefix stays valid; an
// older format byte goes through the full decoder (TestEachTaskBrief).
func (tx *Tx) EachTaskBrief(fn func(t *Task) error) error {
	if tx.intern == nil {
		tx.intern = map[string]string{}
	}
	var t Task
	return tx.tx.Bucket(bktTasks).ForEach(func(k, v []byte) error {
		if !tx.inScope(k) {
			return nil
		}
		if len(v) == 0 || v[0] != taskFormat {
			full, err := tx.decodeTask(v)
			if err != nil {
				return err
			}
			t = *full
			t.Section, t.Text, t.Unit, t.Latest, t.CreatedAt, t.UpdatedAt = "", "", "", "", time.Time{}, time.Time{}
			return fn(&t)
		}
		d := decoder{b: v[1:], intern: tx.intern}
		t = Task{ID: d.str(), PlanID: d.istr()}
		d.skip() // Section
		d.skip() // Text
		t.Lead, t.LeadSuggested, t.CoDepts = d.istr(), d.bool(), d.strs()
		t.Deadline, t.Cadence, t.Target = Date(d.int()), Cadence(d.istr()), d.float()
		d.skip() // Unit
		t.Current, t.Status, t.Progress = d.float(), Status(d.istr()), int(d.int())
		if d.err != nil {
			return fmt.Errorf("decode task %q: %w", k, d.err)
		}
		return fn(&t)
	})
}

// skip passes over a length-prefixed string without allocating it.
func (d *decoder) skip() {
	n := d.uvarint()
	if d.err != nil || uint64(len(d.b)) < n {
		d.err = errShortRecord
		return
	}
	d.b = d.b[n:]
}
