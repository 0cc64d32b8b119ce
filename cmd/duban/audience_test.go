package main

import (
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// register invites user into dept as admin 1 and redeems the link; it
// returns when the new contact got their welcome.
func register(t *testing.T, fake *telegramtest.Server, p *proc, user telegramtest.User, dept string) {
	t.Helper()
	admin := telegramtest.User{ID: 1, FirstName: "管理员"}
	before := fake.SentCount(1)
	fake.SendText(admin, telegramtest.Chat{}, "/invite "+dept)
	waitFake(t, fake, p, 30*time.Second, "the invite link", func(s *telegramtest.Server) bool { return s.SentCount(1) > before })
	link := fake.Sent(1)[before].Text
	i := strings.LastIndex(link, "start=")
	if i < 0 {
		t.Fatalf("no invite link in %q", link)
	}
	token := strings.Fields(link[i+len("start="):])[0]
	fake.SendText(user, telegramtest.Chat{}, "/start "+token)
	waitFake(t, fake, p, 30*time.Second, "the welcome", func(s *telegramtest.Server) bool { return s.SentCount(user.ID) >= 1 })
}

// TestServe_AdminOnlyHearsBlockedContact is the README's quick start:
// --admin only, no coordinator registered. A contact blocks the bot, and a
// reminder to them then bounces with 403: the admin is told once, with the
// contact's name and department. Before, the notice went to registered
// coordinators only, so nobody heard.
func TestServe_AdminOnlyHearsBlockedContact(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	p := serve(t, fake, dbPath(t), nil)
	contact := telegramtest.User{ID: 77, FirstName: "李联络"}
	dept := "大气环境与应对气候变化处"
	register(t, fake, p, contact, dept)

	// The contact blocks the bot; the next nudge bounces with 403.
	fake.Block(contact.ID)
	fake.SendText(telegramtest.User{ID: 1, FirstName: "管理员"}, telegramtest.Chat{}, "/remind 4.1.3")
	told := func(s *telegramtest.Server) bool { return repliesTo(s, 1, "无法给") >= 1 }
	waitFake(t, fake, p, 30*time.Second, "the admin told about the 403", told)

	// Telegram's my_chat_member "kicked" follows; still one notice.
	fake.ChatMemberUpdate(contact, "kicked")
	n := fake.SentCount(1)
	fake.SendText(telegramtest.User{ID: 1, FirstName: "管理员"}, telegramtest.Chat{}, "/task 4.1.3")
	waitFake(t, fake, p, 30*time.Second, "the /task answer", func(s *telegramtest.Server) bool { return s.SentCount(1) > n })
	p.stop(30 * time.Second)

	var notices []string
	for _, m := range fake.Sent(1) {
		if strings.Contains(m.Text, "无法给") {
			notices = append(notices, m.Text)
		}
	}
	if len(notices) != 1 {
		t.Fatalf("admin got %d notices about the blocked contact, want 1: %q\nlogs:\n%s", len(notices), notices, p.logs())
	}
	if !strings.Contains(notices[0], contact.FirstName) || !strings.Contains(notices[0], dept) {
		t.Errorf("notice %q does not name the contact and department", notices[0])
	}
}

// groupRemoved pushes the my_chat_member update Telegram sends when a
// group kicks the bot, and makes sends to the group fail with 403.
func groupRemoved(fake *telegramtest.Server, group telegramtest.Chat, by telegramtest.User, status string) {
	me := fake.Me()
	member := telegramtest.ChatMember{Status: telegramtest.ChatMemberStatusKicked, User: me}
	if status == "left" {
		member = telegramtest.ChatMember{Status: telegramtest.ChatMemberStatusLeft, User: me}
	}
	fake.Block(group.ID)
	fake.Push(telegramtest.Update{MyChatMember: &telegramtest.ChatMemberUpdated{Chat: group, From: by,
		OldChatMember: telegramtest.ChatMember{Status: telegramtest.ChatMemberStatusMember, User: me},
		NewChatMember: member}})
}

// TestServe_DigestGroupRemovesBot: the coordinators' group kicks the bot
// (and, for a second group, only answers 403). The digest chat is cleared,
// the admins hear once, an extension request asked afterwards (or queued
// for the group when the 403 came) reaches the admin's private chat with
// its buttons, and /digest no longer says "sent to the group". Before,
// all of it went to the group and was lost.
func TestServe_DigestGroupRemovesBot(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	db := dbPath(t)
	p := serve(t, fake, db, nil)
	admin := telegramtest.User{ID: 1, FirstName: "管理员"}
	contact := telegramtest.User{ID: 77, FirstName: "李联络"}
	register(t, fake, p, contact, "大气环境与应对气候变化处")
	group := telegramtest.GroupChat(600, "督办群")
	fake.SendGroupText(admin, group.ID, group.Title, "/digestchat")
	waitFake(t, fake, p, 30*time.Second, "the group set", func(s *telegramtest.Server) bool { return repliesTo(s, group.ID, "督办群") >= 1 })

	groupRemoved(fake, group, admin, "kicked")
	lost := func(n int) func(s *telegramtest.Server) bool {
		return func(s *telegramtest.Server) bool { return repliesTo(s, 1, "已移除机器人") >= n }
	}
	waitFake(t, fake, p, 30*time.Second, "the admin told the group is gone", lost(1))
	fake.SendText(contact, telegramtest.Chat{}, "/extend 4.1.3 2027-03-31 等待监测数据")
	asked := func(n int) func(s *telegramtest.Server) bool {
		return func(s *telegramtest.Server) bool { return repliesTo(s, 1, "2027-03-31") >= n }
	}
	waitFake(t, fake, p, 30*time.Second, "the extension request in the admin's chat", asked(1))
	var req telegramtest.Message
	for _, m := range fake.Sent(1) {
		if strings.Contains(m.Text, "2027-03-31") {
			req = m
		}
	}
	if req.ReplyMarkup == nil || len(req.ReplyMarkup.InlineKeyboard) == 0 {
		t.Errorf("the re-addressed extension request has no buttons: %+v", req)
	}
	n := fake.SentCount(1)
	fake.SendText(admin, telegramtest.Chat{}, "/digest")
	waitFake(t, fake, p, 30*time.Second, "the /digest answer", func(s *telegramtest.Server) bool { return s.SentCount(1) > n })
	for _, m := range fake.Sent(1)[n:] {
		if strings.Contains(m.Text, "周报已发到督办群") {
			t.Errorf("/digest said %q with no group", m.Text)
		}
	}
	if got := repliesTo(fake, 1, "督办周报"); got != 1 {
		t.Errorf("the digest came to the admin %d times, want 1", got)
	}

	// A second group answers 403 without any update first: the request
	// queued for it moves to the admin.
	group2 := telegramtest.GroupChat(700, "督办二群")
	fake.SendGroupText(admin, group2.ID, group2.Title, "/digestchat")
	waitFake(t, fake, p, 30*time.Second, "the second group set", func(s *telegramtest.Server) bool { return repliesTo(s, group2.ID, "督办群") >= 1 })
	fake.Block(group2.ID)
	fake.SendText(contact, telegramtest.Chat{}, "/extend 4.1.4 2027-04-30 等待批复")
	waitFake(t, fake, p, 30*time.Second, "the 403-bounced request in the admin's chat", func(s *telegramtest.Server) bool {
		return repliesTo(s, 1, "2027-04-30") >= 1 && repliesTo(s, 1, "已移除机器人") >= 2
	})
	// The my_chat_member that follows the 403 changes nothing more.
	groupRemoved(fake, group2, admin, "left")
	n = fake.SentCount(1)
	fake.SendText(admin, telegramtest.Chat{}, "/task 4.1.3")
	waitFake(t, fake, p, 30*time.Second, "the /task answer", func(s *telegramtest.Server) bool { return s.SentCount(1) > n })
	p.stop(30 * time.Second)
	if got := repliesTo(fake, 1, "已移除机器人"); got != 2 {
		t.Errorf("admin told %d times about the lost groups, want 2 (once each)", got)
	}
	if got := repliesTo(fake, 1, "延期申请\n"); got != 2 {
		for _, m := range fake.Sent(1) {
			t.Logf("to admin: %q", m.Text)
		}
		t.Errorf("%d extension requests reached the admin, want 2", got)
	}
	d := openDB(t, db)
	d.View(func(tx *store.Tx) error {
		if id := tx.Setting("digest_chat"); id != "" {
			t.Errorf("digest chat %s after both groups removed the bot, want none", id)
		}
		if h := tx.Setting("digest_chat_history"); strings.Count(h, "cleared") != 2 {
			t.Errorf("digest chat history %q, want two clearings", h)
		}
		return nil
	})
}

// TestServe_DigestGroupMigrates: a group upgraded to a supergroup moves
// the digest chat setting to the new ID.
func TestServe_DigestGroupMigrates(t *testing.T) {
	t.Parallel()
	fake := telegramtest.NewServer()
	defer fake.Close()
	db := dbPath(t)
	p := serve(t, fake, db, nil)
	admin := telegramtest.User{ID: 1, FirstName: "管理员"}
	group := telegramtest.GroupChat(800, "督办群")
	fake.SendGroupText(admin, group.ID, group.Title, "/digestchat")
	waitFake(t, fake, p, 30*time.Second, "the group set", func(s *telegramtest.Server) bool { return repliesTo(s, group.ID, "督办群") >= 1 })
	super := telegramtest.Chat{ID: -1000000000800, Type: telegramtest.ChatTypeSupergroup, Title: group.Title}
	fake.AddChat(super)
	fake.Push(telegramtest.Update{Message: &telegramtest.Message{ID: 900, Chat: group, From: &admin, MigrateToChatID: super.ID}})
	fake.Push(telegramtest.Update{Message: &telegramtest.Message{ID: 1, Chat: super, MigrateFromChatID: group.ID}})
	fake.SendText(admin, telegramtest.Chat{}, "/digest")
	waitFake(t, fake, p, 30*time.Second, "the digest in the supergroup", func(s *telegramtest.Server) bool { return repliesTo(s, super.ID, "督办周报") >= 1 })
	p.stop(30 * time.Second)
	d := openDB(t, db)
	d.View(func(tx *store.Tx) error {
		if id := tx.Setting("digest_chat"); id != itoa(super.ID) {
			t.Errorf("digest chat %s, want the supergroup %d", id, super.ID)
		}
		return nil
	})
}
