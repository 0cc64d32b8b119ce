package store_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

// TestEachTaskBrief: the brief decoder reads every counted field as the
// full decoder does, and leaves the texts out.
func TestEachTaskBrief(t *testing.T) {
	db := MustOpenDB(t)
	r := rand.New(rand.NewPCG(5, 6))
	depts := []string{"办公室", "综合处", "执法局"}
	err := db.Update(func(tx *store.Tx) error {
		for i := range 500 {
			task := storetest.Task(i, r, depts, 2021)
			task.LeadSuggested = i%7 == 0
			if err := tx.PutTask(task); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *store.Tx) error {
		n := 0
		err := tx.EachTaskBrief(func(b *store.Task) error {
			n++
			full, err := tx.Task(b.ID)
			if err != nil {
				return err
			}
			want := *full
			want.Section, want.Text, want.Unit, want.Latest = "", "", "", ""
			want.CreatedAt, want.UpdatedAt = b.CreatedAt, b.UpdatedAt
			if !b.CreatedAt.IsZero() || !b.UpdatedAt.IsZero() {
				t.Errorf("%s: times decoded", b.ID)
			}
			got := *b
			if got.ID != want.ID || got.PlanID != want.PlanID || got.Lead != want.Lead || got.LeadSuggested != want.LeadSuggested ||
				!bytes.Equal([]byte(join(got.CoDepts)), []byte(join(want.CoDepts))) || got.Deadline != want.Deadline ||
				got.Cadence != want.Cadence || got.Target != want.Target || got.Current != want.Current ||
				got.Status != want.Status || got.Progress != want.Progress || got.Text != "" || got.Latest != "" {
				t.Errorf("brief %+v\nwant %+v", got, want)
			}
			return nil
		})
		if err != nil || n != 500 {
			t.Errorf("EachTaskBrief: %d tasks, %v", n, err)
		}
		return nil
	})
}

func join(ss []string) string {
	var b bytes.Buffer
	for _, s := range ss {
		b.WriteString(s + "|")
	}
	return b.String()
}

func TestWebKey_Rotate(t *testing.T) {
	db := MustOpenDB(t)
	var a, b, c []byte
	db.Update(func(tx *store.Tx) error {
		if tx.WebKey() != nil {
			t.Errorf("a new database has a web key")
		}
		a, _ = tx.EnsureWebKey()
		b, _ = tx.EnsureWebKey()
		c, _ = tx.RotateWebKey()
		return nil
	})
	if len(a) != 32 || !bytes.Equal(a, b) {
		t.Errorf("EnsureWebKey made %x then %x, want one 32-byte key", a, b)
	}
	if bytes.Equal(a, c) {
		t.Errorf("RotateWebKey kept the key")
	}
	db.View(func(tx *store.Tx) error {
		if !bytes.Equal(tx.WebKey(), c) {
			t.Errorf("the rotated key was not stored")
		}
		return nil
	})
}
