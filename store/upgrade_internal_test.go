package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// openUpgraded writes a file at schema version `version` (the first
// `version` migrations, then fill), opens it with Open so the pending
// migrations run, and checks that Open kept a copy of the old file first.
func openUpgraded(t *testing.T, version int, fill func(tx *bolt.Tx) error) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bktMeta)
		if err != nil {
			return err
		}
		for _, m := range migrations[:version] {
			if err := m(tx); err != nil {
				return err
			}
		}
		if err := fill(tx); err != nil {
			return err
		}
		return meta.Put([]byte("schema"), u32(uint32(version)))
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := os.Stat(fmt.Sprintf("%s.v%d.bak", path, version)); err != nil {
		t.Errorf("no copy of the schema-%d file before migrating: %v", version, err)
	}
	return db
}
