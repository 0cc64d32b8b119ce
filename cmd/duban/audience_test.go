package main

import (
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot/telegramtest"
)

// register invites user into dept as admin 1 and redeems the link; it
// returns when the new contact got their welcome.
func register(t *testing.T, fake *telegramtest.Server, p *proc, user models.User, dept string) {
	t.Helper()
	admin := models.User{ID: 1, FirstName: "管理员"}
	before := fake.SentCount(1)
	fake.SendText(admin, models.Chat{}, "/invite "+dept)
	waitFake(t, fake, p, 30*time.Second, "the invite link", func(s *telegramtest.Server) bool { return s.SentCount(1) > before })
	link := fake.Sent(1)[before].Text
	i := strings.LastIndex(link, "start=")
	if i < 0 {
		t.Fatalf("no invite link in %q", link)
	}
	token := strings.Fields(link[i+len("start="):])[0]
	fake.SendText(user, models.Chat{}, "/start "+token)
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
	contact := models.User{ID: 77, FirstName: "李联络"}
	dept := "大气环境与应对气候变化处"
	register(t, fake, p, contact, dept)

	// The contact blocks the bot; the next nudge bounces with 403.
	fake.Block(contact.ID)
	fake.SendText(models.User{ID: 1, FirstName: "管理员"}, models.Chat{}, "/remind 4.1.3")
	told := func(s *telegramtest.Server) bool { return repliesTo(s, 1, "无法给") >= 1 }
	waitFake(t, fake, p, 30*time.Second, "the admin told about the 403", told)

	// Telegram's my_chat_member "kicked" follows; still one notice.
	fake.ChatMemberUpdate(contact, "kicked")
	n := fake.SentCount(1)
	fake.SendText(models.User{ID: 1, FirstName: "管理员"}, models.Chat{}, "/task 4.1.3")
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
