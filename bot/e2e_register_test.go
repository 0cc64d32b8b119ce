package bot_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
)

var inviteLink = regexp.MustCompile(`https://t\.me/duban_test_bot\?start=([A-Za-z0-9_-]+)`)

func TestChat_Register(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inviteToken := func() string {
		t.Helper()
		got := h.say(adminU, "/invite "+deptA)
		m := inviteLink.FindStringSubmatch(got)
		if m == nil {
			t.Fatalf("/invite answered %q, want a t.me start link", got)
		}
		if len(m[1]) != 22 {
			t.Errorf("token %q has %d characters, want 22", m[1], len(m[1]))
		}
		mustContain(t, "/invite", got, deptA)
		return m[1]
	}
	contact := func() *store.Contact {
		t.Helper()
		var c *store.Contact
		h.db.View(func(tx *store.Tx) error { c, _ = tx.Contact(newcomerU.ID); return nil })
		return c
	}

	token := inviteToken()
	if other := inviteToken(); other == token {
		t.Errorf("two invites gave the same token %q", token)
	}

	t.Run("Registered", func(t *testing.T) {
		got := h.say(newcomerU, "/start "+token)
		mustContain(t, "/start TOKEN", got, "登记成功", deptA)
		c := contact()
		if c == nil || c.Dept != deptA || c.Role != store.RoleContact || c.ChatID != newcomerU.ID {
			t.Fatalf("contact = %+v, want a contact of %s in chat %d", c, deptA, newcomerU.ID)
		}
		mustContain(t, "/my after registering", h.say(newcomerU, "/my"), deptA, "4.1.3")
	})
	t.Run("TokenUsedTwice", func(t *testing.T) {
		got := h.say(strangerU, "/start "+token)
		mustContain(t, "second /start TOKEN", got, "邀请链接无效、已使用或已过期")
		var c *store.Contact
		h.db.View(func(tx *store.Tx) error { c, _ = tx.Contact(strangerU.ID); return nil })
		if c != nil {
			t.Errorf("a used token registered %+v", c)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		late := inviteToken()
		h.clock.Add(8 * 24 * time.Hour)
		got := h.say(strangerU, "/start "+late)
		mustContain(t, "/start with an 8-day-old token", got, "已过期")
		var c *store.Contact
		h.db.View(func(tx *store.Tx) error { c, _ = tx.Contact(strangerU.ID); return nil })
		if c != nil {
			t.Errorf("an expired token registered %+v", c)
		}
	})
	t.Run("CoordinatorInvite", func(t *testing.T) {
		mustContain(t, "coordinator's /invite 督办员", h.say(coordU, "/invite 督办员"), "需要管理员权限")
		m := inviteLink.FindStringSubmatch(h.say(adminU, "/invite 督办员"))
		if m == nil {
			t.Fatalf("admin's /invite 督办员 made no link")
		}
		got := h.say(contactB, "/start "+m[1])
		mustContain(t, "/start with a coordinator invite", got, "登记成功：您是督办员")
		if strings.Contains(got, "联络员") {
			t.Errorf("a coordinator was welcomed as a contact: %q", got)
		}
		var c *store.Contact
		h.db.View(func(tx *store.Tx) error { c, _ = tx.Contact(contactB.ID); return nil })
		if c == nil || c.Role != store.RoleCoordinator {
			t.Fatalf("contact after a coordinator invite = %+v", c)
		}
		mustContain(t, "/overdue", h.say(contactB, "/overdue"), "逾期任务")
	})
	t.Run("UnknownDept", func(t *testing.T) {
		got := h.say(coordU, "/invite 不存在处")
		mustContain(t, "/invite unknown dept", got, "没有名为“不存在处”的单位")
		if inviteLink.MatchString(got) {
			t.Errorf("/invite of an unknown department made a link: %q", got)
		}
	})
}

func TestChat_Coordinator(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "contact's /overdue before", h.say(contactB, "/overdue"), "需要督办员权限")
	got := h.say(coordU, "/coordinator 1004")
	mustContain(t, "coordinator's /coordinator", got, "需要管理员权限")

	got = h.say(adminU, "/coordinator 1004")
	mustContain(t, "admin's /coordinator", got, "用户1004已设为督办员")
	mustContain(t, "notice to the new coordinator", h.last(contactB.ID).Text, "您已被设为督办员")
	var c *store.Contact
	h.db.View(func(tx *store.Tx) error { c, _ = tx.Contact(contactB.ID); return nil })
	if c == nil || c.Role != store.RoleCoordinator {
		t.Fatalf("contact after /coordinator = %+v, want role coordinator", c)
	}
	mustContain(t, "new coordinator's /overdue", h.say(contactB, "/overdue"), "逾期任务", "6.3.2")
	mustContain(t, "/coordinator abc", h.say(adminU, "/coordinator abc"), "用法：/coordinator 用户ID")
}
