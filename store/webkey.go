package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
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

// EachTask calls fn with every task in key order (not ID order), without
// collecting or sorting them: the web 台账 counts and filters 100,000 tasks
// per page and keeps only the page it shows. fn must not keep t beyond the
// transaction unless it means to (the task is freshly decoded, so it may).
func (tx *Tx) EachTask(fn func(t *Task) error) error {
	return tx.tx.Bucket(bktTasks).ForEach(func(_, v []byte) error {
		t, err := tx.decodeTask(v)
		if err != nil {
			return err
		}
		return fn(t)
	})
}
