package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule/lang"
	"github.com/duban-bureau/duban/store"
	bolt "go.etcd.io/bbolt"
)

func TestOpen(t *testing.T) {
	t.Run("Mode0600", func(t *testing.T) {
		db := MustOpenDB(t)
		fi, err := os.Stat(db.Path)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
			t.Errorf("mode = %v, want %v", got, want)
		}
	})

	t.Run("ErrLocked", func(t *testing.T) {
		db := MustOpenDB(t)
		// bbolt's flock belongs to the open file description, so a second
		// Open in this process waits exactly as another process would.
		start := time.Now()
		db2, err := store.Open(db.Path, store.Options{Timeout: 100 * time.Millisecond})
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Errorf("Open took %v, want it to give up after its timeout", elapsed)
		}
		if err == nil {
			db2.Close()
			t.Fatal("second Open: got nil error, want ErrLocked")
		}
		if !errors.Is(err, store.ErrLocked) {
			t.Errorf("second Open: got %v, want errors.Is ErrLocked", err)
		}
		if got, want := lang.Lang("zh").ErrorText(err), "正被另一个进程使用"; !strings.Contains(got, want) {
			t.Errorf("message = %q, want it to contain %q", got, want)
		}
	})

	t.Run("ErrLockedDefaultTimeout", func(t *testing.T) {
		db := MustOpenDB(t)
		start := time.Now()
		_, err := store.Open(db.Path, store.Options{})
		if !errors.Is(err, store.ErrLocked) {
			t.Fatalf("second Open: got %v, want ErrLocked", err)
		}
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Errorf("Open took %v, want about a second", elapsed)
		}
	})

	t.Run("SchemaVersion", func(t *testing.T) {
		db := MustOpenDB(t)
		mustView(t, db, func(tx *store.Tx) error {
			if got, _ := tx.SchemaVersion(); got != store.SchemaVersion {
				t.Errorf("SchemaVersion = %d, want %d", got, store.SchemaVersion)
			}
			return nil
		})
	})

	t.Run("ReopenIdempotent", func(t *testing.T) {
		db := MustOpenDB(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			if err := tx.AddDepartment("综合处"); err != nil {
				return err
			}
			return tx.PutTask(newTask("1.1.1", "综合处", store.NewDate(2021, 6, 30)))
		})
		for i := 0; i < 3; i++ {
			db = MustReopenDB(t, db)
		}
		mustView(t, db, func(tx *store.Tx) error {
			if got, _ := tx.SchemaVersion(); got != store.SchemaVersion {
				t.Errorf("SchemaVersion = %d, want %d", got, store.SchemaVersion)
			}
			if got := tx.TaskCount(); got != 1 {
				t.Errorf("TaskCount = %d, want 1", got)
			}
			if got := tx.DepartmentNames(); len(got) != 1 || got[0] != "综合处" {
				t.Errorf("DepartmentNames = %q, want [综合处]", got)
			}
			return nil
		})
		// An up-to-date file is not an upgrade: no pre-migration backup.
		if m, _ := filepath.Glob(db.Path + ".v*.bak"); len(m) != 0 {
			t.Errorf("backups = %q, want none", m)
		}
	})

	t.Run("NewerSchemaRefused", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "duban.db")
		b, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Update(func(tx *bolt.Tx) error {
			m, err := tx.CreateBucketIfNotExists([]byte("meta"))
			if err != nil {
				return err
			}
			v := binary.BigEndian.AppendUint32(nil, uint32(store.SchemaVersion+1))
			return m.Put([]byte("schema"), v)
		}); err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		db, err := store.Open(path, store.Options{})
		if err == nil {
			db.Close()
			t.Fatal("Open: got nil error, want the newer schema refused")
		}
		if got, want := lang.Lang("zh").ErrorText(err), "请升级 duban"; !strings.Contains(got, want) {
			t.Errorf("Open: got %q, want it to contain %q", got, want)
		}
		// Refusing must release the file.
		db = MustOpenPath(t, path, store.Options{ReadOnly: true})
		mustView(t, db, func(tx *store.Tx) error {
			if got, want := mustSchema(tx), store.SchemaVersion+1; got != want {
				t.Errorf("SchemaVersion = %d, want %d (untouched)", got, want)
			}
			return nil
		})
	})
}

func mustSchema(tx *store.Tx) int { v, _ := tx.SchemaVersion(); return v }

func TestDB_Backup(t *testing.T) {
	setup := func(t *testing.T) *store.DB {
		db := MustOpenDB(t)
		mustPutTasks(t, db,
			newTask("4.1.2", "综合处", store.NewDate(2021, 6, 30)),
			newTask("4.1.10", "办公室", 0, "综合处"),
		)
		return db
	}
	t.Run("BackupFile", func(t *testing.T) {
		db := setup(t)
		path := filepath.Join(t.TempDir(), "backup.db")
		n, err := db.BackupFile(path)
		if err != nil {
			t.Fatalf("BackupFile: %v", err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() != n {
			t.Errorf("BackupFile wrote %d bytes, file has %d", n, fi.Size())
		}
		if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
			t.Errorf("backup mode = %v, want %v", got, want)
		}
		if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
			t.Errorf("temporary file left behind: %v", err)
		}
		bak := MustOpenPath(t, path, store.Options{})
		assertSameTasks(t, db, bak)
	})
	t.Run("WriteTo", func(t *testing.T) {
		db := setup(t)
		var buf bytes.Buffer
		n, err := db.WriteTo(&buf)
		if err != nil {
			t.Fatalf("WriteTo: %v", err)
		}
		if int(n) != buf.Len() {
			t.Errorf("WriteTo returned %d, wrote %d", n, buf.Len())
		}
		path := filepath.Join(t.TempDir(), "copy.db")
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		assertSameTasks(t, db, MustOpenPath(t, path, store.Options{}))
	})
}

func assertSameTasks(t *testing.T, a, b *store.DB) {
	t.Helper()
	var want, got []*store.Task
	mustView(t, a, func(tx *store.Tx) (err error) { want, err = tx.Tasks(); return err })
	mustView(t, b, func(tx *store.Tx) (err error) { got, err = tx.Tasks(); return err })
	if len(got) != len(want) {
		t.Fatalf("copy has %d tasks, want %d", len(got), len(want))
	}
	for i := range want {
		if g, w := fmt.Sprintf("%+v", *got[i]), fmt.Sprintf("%+v", *want[i]); g != w {
			t.Errorf("task %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

func TestTx_Setting(t *testing.T) {
	db := MustOpenDB(t)
	mustView(t, db, func(tx *store.Tx) error {
		if got := tx.Setting("digest_chat"); got != "" {
			t.Errorf("unset Setting = %q, want empty", got)
		}
		return nil
	})
	mustUpdate(t, db, func(tx *store.Tx) error { return tx.SetSetting("digest_chat", "-100123") })
	db = MustReopenDB(t, db)
	mustView(t, db, func(tx *store.Tx) error {
		if got, want := tx.Setting("digest_chat"), "-100123"; got != want {
			t.Errorf("Setting = %q, want %q", got, want)
		}
		return nil
	})
	t.Run("EmptyDeletes", func(t *testing.T) {
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.SetSetting("digest_chat", "") })
		mustView(t, db, func(tx *store.Tx) error {
			if got := tx.Setting("digest_chat"); got != "" {
				t.Errorf("Setting after delete = %q, want empty", got)
			}
			return nil
		})
	})
}

func TestTx_Now(t *testing.T) {
	db, clk := MustOpenClockDB(t)
	mustView(t, db, func(tx *store.Tx) error {
		if got := tx.Now(); !got.Equal(t0) {
			t.Errorf("Now = %v, want %v", got, t0)
		}
		return nil
	})
	clk.Add(time.Hour)
	mustView(t, db, func(tx *store.Tx) error {
		if got, want := tx.Now(), t0.Add(time.Hour); !got.Equal(want) {
			t.Errorf("Now = %v, want %v", got, want)
		}
		return nil
	})
}

func TestDB_Ping(t *testing.T) {
	db := MustOpenDB(t)
	if err := db.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestDB_Batch(t *testing.T) {
	db := MustOpenDB(t)
	const n = 100
	var tasks []*store.Task
	for i := 1; i <= n; i++ {
		tasks = append(tasks, newTask(fmt.Sprintf("1.1.%d", i), "综合处", store.NewDate(2021, 6, 30)))
	}
	mustPutTasks(t, db, tasks...)

	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("1.1.%d", i)
			errs <- db.Batch(func(tx *store.Tx) error {
				// Idempotent: Batch may run fn again.
				task, err := tx.Task(id)
				if err != nil {
					return err
				}
				task.Progress = 50
				task.Status = store.StatusInProgress
				_, err = tx.SaveTask(task, store.Actor{UserID: int64(i), Via: "telegram"}, "progress", "")
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Batch: %v", err)
		}
	}
	mustView(t, db, func(tx *store.Tx) error {
		for i := 1; i <= n; i++ {
			id := fmt.Sprintf("1.1.%d", i)
			task, err := tx.Task(id)
			if err != nil {
				return err
			}
			if task.Progress != 50 || task.Status != store.StatusInProgress {
				t.Errorf("%s: progress %d status %s, want 50 in_progress", id, task.Progress, task.Status)
			}
			h, err := tx.History(id)
			if err != nil {
				return err
			}
			if len(h) != 1 {
				t.Errorf("%s: %d history entries, want 1", id, len(h))
			}
		}
		return nil
	})
}
