package outbox_test

import (
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

func TestEnqueue_SplitsLongText(t *testing.T) {
	db := newHarness(t, outbox.DefaultLimits()).db
	var b strings.Builder
	for i := 0; i < 900; i++ {
		b.WriteString("第 " + strings.Repeat("长", 20) + " 行\n")
	}
	m := &store.Message{Key: "long", ChatID: 7, Text: b.String(), Buttons: [][]store.Button{{{Text: "x", Data: "done:1"}}}}
	err := db.Update(func(tx *store.Tx) error {
		n, err := outbox.Enqueue(tx, m)
		if err != nil {
			return err
		}
		if n < 5 {
			t.Errorf("added %d messages, want the text split in several", n)
		}
		again, err := outbox.Enqueue(tx, m)
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
			if n := len([]rune(p.Text)); n > outbox.MaxMessage {
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

// TestEnqueue_LongEdit presses a button on a card that grew past Telegram's
// limit: the card is edited into the first part (its old buttons gone),
// the rest follow as new messages, the new buttons on the last, and
// Telegram (the fake) refuses nothing. Before, the edit failed with 400
// MESSAGE_TOO_LONG and the card kept its old buttons.
func TestEnqueue_LongEdit(t *testing.T) {
	srv := telegramtest.NewServer()
	defer srv.Close()
	client, err := telegram.NewClient(srv.Token, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	old := [][]store.Button{{{Text: "完成", Data: "done:4.1.3"}}}
	id, err := client.Send(t.Context(), &store.Message{ChatID: 7, Text: "任务 4.1.3", Buttons: old})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := 0; i < 300; i++ {
		b.WriteString("进展记录：" + strings.Repeat("长", 20) + "\n")
	}
	h := newHarness(t, outbox.Limits{Global: -1, PerChat: -1, PerGroupPerMinute: -1})
	h.s.Transport = client
	newButtons := [][]store.Button{{{Text: "撤销", Data: "undo:4.1.3"}}}
	err = h.db.Update(func(tx *store.Tx) error {
		n, err := outbox.Enqueue(tx, &store.Message{Key: "edit|9", ChatID: 7, EditID: id, Kind: "edit",
			Text: b.String(), Buttons: newButtons})
		if n < 2 {
			t.Errorf("added %d messages, want the edit and at least one more part", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h.run(t0.Add(time.Hour))
	for _, c := range srv.Calls("") {
		if c.Code != 0 && c.Code != 200 {
			t.Errorf("%s answered %d %s", c.Method, c.Code, c.Description)
		}
	}
	msgs := srv.Sent(7)
	if len(msgs) < 2 || msgs[0].ID != id {
		t.Fatalf("chat has %d messages, want the edited card and its continuation", len(msgs))
	}
	if strings.Contains(fmt.Sprint(msgs[0].ReplyMarkup), "done:4.1.3") {
		t.Errorf("the edited card still has its old buttons: %v", msgs[0].ReplyMarkup)
	}
	last := msgs[len(msgs)-1]
	if !strings.Contains(fmt.Sprint(last.ReplyMarkup), "undo:4.1.3") {
		t.Errorf("the last part has markup %v, want the new buttons", last.ReplyMarkup)
	}
	var joined []string
	for _, m := range msgs {
		joined = append(joined, m.Text)
	}
	if got, want := strings.Join(joined, "\n"), strings.TrimRight(b.String(), "\n"); got != want {
		t.Errorf("the parts do not rebuild the card's text (%d vs %d bytes)", len(got), len(want))
	}
}
