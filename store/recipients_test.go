package store_test

import (
	"slices"
	"testing"

	"github.com/duban-bureau/duban/store"
)

func chats(rs []store.Recipient) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.ChatID)
	}
	return out
}

// TestAudience is the one rule of who hears the coordinators' notices.
func TestAudience(t *testing.T) {
	contacts := []*store.Contact{
		{UserID: 30, ChatID: 30, Role: store.RoleCoordinator},
		{UserID: 20, ChatID: 20, Role: store.RoleCoordinator, Unreachable: true},
		{UserID: 1, ChatID: 1, Role: store.RoleCoordinator}, // also an admin
		{UserID: 40, ChatID: 40, Role: store.RoleContact, Dept: "综合处"},
		{UserID: 50, ChatID: 50, Role: store.RoleContact, Unreachable: true}, // an admin who blocked the bot
	}
	cases := []struct {
		name     string
		about    store.About
		digest   int64
		contacts []*store.Contact
		admins   []int64
		want     []int64
	}{
		{"admins only (the quick start)", store.AboutAlert, 0, nil, []int64{7, 3, 7}, []int64{3, 7}},
		{"coordinators and admins, no duplicates, unreachable left out", store.AboutWork, 0, contacts, []int64{1, 50, 9}, []int64{1, 9, 30}},
		{"work goes to the digest chat alone", store.AboutWork, -100, contacts, []int64{9}, []int64{-100}},
		{"alerts go to the digest chat and everyone", store.AboutAlert, -100, contacts, []int64{9}, []int64{-100, 1, 9, 30}},
		{"nobody", store.AboutWork, 0, contacts[3:4], nil, nil},
	}
	for _, c := range cases {
		got := store.Audience(c.about, c.digest, c.contacts, c.admins)
		if !slices.Equal(chats(got), c.want) {
			t.Errorf("%s: %v, want %v", c.name, chats(got), c.want)
		}
		for _, r := range got {
			if r.Group != (r.ChatID == c.digest) || r.Admin != slices.Contains(c.admins, r.ChatID) ||
				r.ChatID == 1 && r.Contact == nil {
				t.Errorf("%s: recipient %+v", c.name, r)
			}
		}
	}
}

// TestTx_Audience reads the digest chat and the stored admins; a lost
// digest chat falls back to the private chats, a supergroup move follows.
func TestTx_Audience(t *testing.T) {
	db := MustOpenDB(t)
	mustUpdate(t, db, func(tx *store.Tx) error {
		if err := tx.SetAdmins([]int64{5}); err != nil {
			return err
		}
		return tx.SetDigestChat(-100)
	})
	mustUpdate(t, db, func(tx *store.Tx) error {
		if got, _ := tx.Audience(store.AboutWork); !slices.Equal(chats(got), []int64{-100}) {
			t.Errorf("with a digest chat: %v", chats(got))
		}
		if moved, err := tx.MoveDigestChat(-100, -1000100); !moved || err != nil || tx.DigestChat() != -1000100 {
			t.Errorf("MoveDigestChat: %v %v, digest %d", moved, err, tx.DigestChat())
		}
		if lost, err := tx.DigestChatLost(-42, "kicked"); lost || err != nil {
			t.Errorf("another chat lost: %v %v", lost, err)
		}
		if lost, err := tx.DigestChatLost(-1000100, "kicked"); !lost || err != nil || tx.DigestChat() != 0 {
			t.Errorf("DigestChatLost: %v %v, digest %d", lost, err, tx.DigestChat())
		}
		if got, _ := tx.Audience(store.AboutWork, 6); !slices.Equal(chats(got), []int64{5, 6}) {
			t.Errorf("after the group was lost: %v, want the stored and the given admins", chats(got))
		}
		return nil
	})
}
