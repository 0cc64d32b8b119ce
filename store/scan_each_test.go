package store_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
)

// TestEachOpenTask_ReleasesPagesSafely streams more records than a page
// drop interval (1,024): every open task arrives once, intact, in the
// order OpenTasks would give after sorting, and EachTaskOf finds the same.
func TestEachOpenTask_ReleasesPagesSafely(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "duban.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const n = 5000
	err = db.Update(func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			task := &store.Task{ID: fmt.Sprintf("1.%d.%d", i/100+1, i%100+1), Text: fmt.Sprintf("任务正文 %d，足够长以占满页面的一部分", i),
				Lead: "大气处", Status: store.StatusInProgress, Deadline: store.NewDate(2026, 1, 1).AddDays(i % 365)}
			switch i % 5 {
			case 0:
				task.Status = store.StatusDone
			case 1:
				task.Deadline, task.Cadence = 0, store.CadenceMonthly
			}
			if err := tx.PutTask(task); err != nil {
				return err
			}
			if err := tx.AppendHistory(&store.HistoryEntry{TaskID: task.ID, Kind: "note", Note: "进展"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *store.Tx) error {
		want, err := tx.OpenTasks(nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		err = tx.EachOpenTask(func(task *store.Task) error {
			if _, dup := got[task.ID]; dup {
				t.Errorf("%s streamed twice", task.ID)
			}
			got[task.ID] = task.Text
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(want) != n*4/5 {
			t.Fatalf("streamed %d open tasks, OpenTasks %d, want %d", len(got), len(want), n*4/5)
		}
		var ids []string
		for _, w := range want {
			if got[w.ID] != w.Text {
				t.Errorf("%s: streamed text %q, want %q", w.ID, got[w.ID], w.Text)
			}
			ids = append(ids, w.ID)
		}
		seen := 0
		err = tx.EachTaskOf(append(ids, "9.9.9"), func(task *store.Task) error {
			if got[task.ID] != task.Text {
				t.Errorf("EachTaskOf %s: %q", task.ID, task.Text)
			}
			seen++
			return nil
		})
		if err != nil || seen != len(ids) {
			t.Errorf("EachTaskOf saw %d of %d (%v); an unknown ID is skipped", seen, len(ids), err)
		}
		var hist int
		tx.EachHistorySince(time.Time{}, func(store.HistoryEntry) error { hist++; return nil })
		all, _ := tx.HistorySince(time.Time{})
		if hist != len(all) || hist < n {
			t.Errorf("EachHistorySince %d entries, HistorySince %d", hist, len(all))
		}
		return nil
	})
}
