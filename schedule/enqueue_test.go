package schedule_test

import (
	"strings"
	"testing"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

func TestEnqueue_SplitsLongText(t *testing.T) {
	db := newHarness(t, schedule.DefaultLimits()).db
	var b strings.Builder
	for i := 0; i < 900; i++ {
		b.WriteString("第 " + strings.Repeat("长", 20) + " 行\n")
	}
	m := &store.Message{Key: "long", ChatID: 7, Text: b.String(), Buttons: [][]store.Button{{{Text: "x", Data: "done:1"}}}}
	err := db.Update(func(tx *store.Tx) error {
		n, err := schedule.Enqueue(tx, m)
		if err != nil {
			return err
		}
		if n < 5 {
			t.Errorf("added %d messages, want the text split in several", n)
		}
		again, err := schedule.Enqueue(tx, m)
		if again != 0 {
			t.Errorf("second enqueue added %d, want 0 (same keys)", again)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *store.Tx) error {
		pending, _ := tx.Pending(100)
		var joined []string
		for i, p := range pending {
			if n := len([]rune(p.Text)); n > schedule.MaxMessage {
				t.Errorf("part %d has %d characters", i, n)
			}
			if (len(p.Buttons) > 0) != (i == len(pending)-1) {
				t.Errorf("part %d buttons = %v: only the last part carries them", i, p.Buttons)
			}
			joined = append(joined, p.Text)
		}
		if got := strings.Join(joined, "\n"); got != strings.TrimRight(b.String(), "\n") {
			t.Errorf("parts in pending order do not rebuild the text")
		}
		return nil
	})
}
