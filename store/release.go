package store

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// ReleaseMapped drops the database file's pages from this process's
// memory map. bbolt reads through a shared mmap, so every page a scan
// touches (the daily reminder scan, a digest) stays counted in the
// process's resident memory until the kernel needs it. The pages remain
// in the page cache: the next read of one is a minor fault, not disk I/O.
// It runs inside a read transaction so bbolt cannot remap meanwhile.
func (db *DB) ReleaseMapped() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		info := db.bolt.Info()
		size := tx.Size()
		if info.Data == 0 || size <= 0 {
			return nil
		}
		// The mapping's address comes as a uintptr: hand it to the system
		// call as one rather than forging a Go pointer to it.
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, info.Data, uintptr(size), syscall.MADV_DONTNEED); errno != 0 {
			return errno
		}
		return nil
	})
}
