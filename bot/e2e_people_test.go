package bot_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/store"
)

// invite makes an invite as the admin and returns its token.
func invite(t *testing.T, h *harness, who string) string {
	t.Helper()
	got := h.say(adminU, "/invite "+who)
	m := inviteLink.FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("/invite %s answered %q", who, got)
	}
	return m[1]
}

// TestChat_RolesAreASet: the contact made coordinator keeps the
// department, and an invite for a second department adds it instead of
// moving the person (point 9); /my marks 配合 tasks (point 11).
func TestChat_RolesAreASet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(adminU, "/coordinator "+itoa(contactA.ID))
	got := h.say(contactA, "/start "+invite(t, h, deptB))
	mustContain(t, "second invite", got, "您现在也是"+deptB+"的联络员", deptA)
	var c *store.Contact
	h.db.View(func(tx *store.Tx) error { c, _ = tx.Contact(contactA.ID); return nil })
	if c.Role != store.RoleCoordinator || !c.ContactOf(deptA) || !c.ContactOf(deptB) {
		t.Fatalf("contact A = %s of %v, want a coordinator and contact of both", c.Role, c.Departments())
	}
	// Asked, the person may leave the old department instead.
	ask := h.last(contactA.ID)
	leave := button(t, ask, "退出"+deptA)
	my := h.say(contactA, "/my")
	mustContain(t, "/my", my, deptA+"未完成任务", deptB+"未完成任务", "牵头", "配合")
	mustContain(t, "/remind reaches the coordinator-contact", h.say(coordU, "/remind 4.2.1"), "2位联络员")

	// 3.1.2 is led by deptA; a task deptA only supports is marked.
	defer func() {
		if toast := h.press(contactA, ask.ID, leave); toast != "已退出"+deptA {
			t.Errorf("leave toast = %q", toast)
		}
		h.db.View(func(tx *store.Tx) error { c, _ = tx.Contact(contactA.ID); return nil })
		if c.ContactOf(deptA) || !c.ContactOf(deptB) || c.Role != store.RoleCoordinator {
			t.Errorf("after leaving: %s of %v", c.Role, c.Departments())
		}
	}()
	h.say(coordU, "/assign 4.2.2 "+deptB+"、"+deptA)
	my = h.say(contactA, "/my")
	if !regexp.MustCompile(`4\.2\.2 [^\n]*〔配合，牵头：` + deptB + `〕`).MatchString(my) {
		t.Errorf("/my does not mark 4.2.2 as 配合 under %s:\n%s", deptA, my)
	}
}

// TestChat_PeopleManaged: /people, /remove, /coordinator USER off,
// /invites with revoke, and /coordinator refusing groups and strangers
// (point 10).
func TestChat_PeopleManaged(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.say(contactB, "/my") // seen today
	got := h.say(coordU, "/people")
	mustContain(t, "/people", got, "登记人员", "水 联络员（1004）", deptB+"联络员", "可送达", "最近使用：2021-06-15", "督办员", "管理员")

	mustContain(t, "/coordinator group", h.say(adminU, "/coordinator -1001234"), "是群组ID")
	mustContain(t, "/coordinator stranger", h.say(adminU, "/coordinator "+itoa(strangerU.ID)), "尚未登记", "/invite 督办员")
	offer := h.last(adminU.ID)
	h.press(adminU, offer.ID, button(t, offer, "生成督办员邀请链接"))
	if !inviteLink.MatchString(h.last(adminU.ID).Text) {
		t.Errorf("the offered invite is not a link: %q", h.last(adminU.ID).Text)
	}
	var n int
	h.db.View(func(tx *store.Tx) error { all, _ := tx.Contacts(); n = len(all); return nil })
	if n != 3 {
		t.Errorf("refused /coordinator stored someone: %d people", n)
	}

	h.say(contactA, "/my") // Telegram tells the bot the username
	mustContain(t, "/coordinator @air", h.say(adminU, "/coordinator @air"), "已设为督办员")
	mustContain(t, "/coordinator off", h.say(adminU, "/coordinator "+itoa(contactA.ID)+" off"), "已不再是督办员")
	mustContain(t, "demoted contact", h.say(contactA, "/overdue"), "需要督办员权限")
	mustContain(t, "demoted contact keeps the department", h.say(contactA, "/my"), deptA)

	mustContain(t, "/remove", h.say(coordU, "/remove "+itoa(contactB.ID)), "已取消", "历史记录保留")
	mustContain(t, "removed contact", h.say(contactB, "/progress 4.2.1 10%"), "需要联络员身份")
	mustContain(t, "/remove a coordinator by a coordinator", h.say(coordU, "/remove "+itoa(coordU.ID)), "需要管理员权限")

	token := invite(t, h, deptB)
	list := h.exchange(coordU.ID, func() string { return sendText(h, coordU, "/invites") })
	mustContain(t, "/invites", texts(list), "未使用的邀请", deptB)
	var id string
	for _, line := range strings.Split(list[0].Text, "\n") {
		if strings.Contains(line, deptB) {
			id, _, _ = strings.Cut(line, "：")
		}
	}
	revoke := button(t, list[0], "撤销"+id)
	if toast := h.press(coordU, list[0].ID, revoke); !strings.Contains(toast, "已撤销邀请") {
		t.Errorf("revoke toast = %q", toast)
	}
	mustContain(t, "revoked invite", h.say(newcomerU, "/start "+token), "邀请链接无效")
	if got := h.say(coordU, "/invites"); strings.Contains(got, deptB) {
		t.Errorf("/invites still lists the revoked invite:\n%s", got)
	}
}

// TestChat_HelpPerRole: /help lists each role's new commands, and the
// admin's mentions /invite 督办员 (point 12).
func TestChat_HelpPerRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "admin /help", h.say(adminU, "/help"), "/invite 督办员", "/people", "/coordinator")
	coord := h.say(coordU, "/help")
	mustContain(t, "coordinator /help", coord, "/pending", "/return", "/target", "/invites", "/remove", "/history", "待销号")
	if strings.Contains(coord, "/invite 督办员") {
		t.Errorf("coordinator /help offers /invite 督办员:\n%s", coord)
	}
	contact := h.say(contactA, "/help")
	mustContain(t, "contact /help", contact, "/history", "/done")
	for _, c := range []string{"/pending", "/people", "/target"} {
		if strings.Contains(contact, c) {
			t.Errorf("contact /help offers %s", c)
		}
	}
}
