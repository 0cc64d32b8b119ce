package bot_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// TestChat_Permissions walks every command of the chat through every role.
func TestChat_Permissions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// need is the least role of each command , with the
	// arguments it is tried with.
	type cmd struct {
		need  store.Role
		args  string
		write bool // changes task 4.1.3 (deptA's): contact B is refused
	}
	commands := map[string]cmd{
		"start":       {store.RoleStranger, "", false},
		"help":        {store.RoleStranger, "", false},
		"my":          {store.RoleContact, "", false},
		"task":        {store.RoleContact, "4.1.3", false},
		"progress":    {store.RoleContact, "4.1.3 10%", true},
		"done":        {store.RoleContact, "4.1.3 完成", true},
		"blocked":     {store.RoleContact, "4.1.3 缺资金", true},
		"note":        {store.RoleContact, "4.1.3 进展", true},
		"extend":      {store.RoleContact, "4.1.3 2022-03-31 理由", true},
		"overdue":     {store.RoleCoordinator, "", false},
		"due":         {store.RoleCoordinator, "30", false},
		"stats":       {store.RoleCoordinator, "", false},
		"digest":      {store.RoleCoordinator, "", false},
		"assign":      {store.RoleCoordinator, "4.1.3 " + deptA, false},
		"deadline":    {store.RoleCoordinator, "4.1.3 2021-12-31", false},
		"invite":      {store.RoleCoordinator, deptA, false},
		"close":       {store.RoleCoordinator, "4.1.3", false},
		"reopen":      {store.RoleCoordinator, "4.1.3", false},
		"remind":      {store.RoleCoordinator, "4.1.3", false},
		"export":      {store.RoleCoordinator, "", false},
		"digestchat":  {store.RoleCoordinator, "", false},
		"depts":       {store.RoleCoordinator, "", false},
		"coordinator": {store.RoleAdmin, "1999", false},
		"pending":     {store.RoleCoordinator, "", false},
		"return":      {store.RoleCoordinator, "4.1.3 理由", false},
		"target":      {store.RoleCoordinator, "4.1.3 85", false},
		"history":     {store.RoleContact, "4.1.3", false},
		"people":      {store.RoleCoordinator, "", false},
		"remove":      {store.RoleCoordinator, "1999", false},
		"invites":     {store.RoleCoordinator, "", false},
		"ledger":      {store.RoleCoordinator, "", false},
		"notice":      {store.RoleCoordinator, "1", false},
		"score":       {store.RoleCoordinator, "", false},
		"plans":       {store.RoleCoordinator, "", false},
		"restore":     {store.RoleCoordinator, "4.1.3", false},
	}
	var names []string
	for _, m := range bot.Menu(store.RoleAdmin, "zh") {
		names = append(names, m[0])
	}
	if len(names) != len(commands) {
		t.Errorf("the bot has %d commands, this table %d: %v", len(names), len(commands), names)
	}
	roles := []struct {
		name string
		user telegramtest.User
		role store.Role
	}{
		{"stranger", strangerU, store.RoleStranger},
		{"contactB", contactB, store.RoleContact},
		{"contactA", contactA, store.RoleContact},
		{"coordinator", coordU, store.RoleCoordinator},
		{"admin", adminU, store.RoleAdmin},
	}
	rank := []store.Role{store.RoleStranger, store.RoleContact, store.RoleCoordinator, store.RoleAdmin}
	refusal := map[store.Role]string{store.RoleContact: "需要联络员身份", store.RoleCoordinator: "需要督办员权限", store.RoleAdmin: "需要管理员权限"}
	for _, name := range names {
		c, ok := commands[name]
		if !ok {
			t.Errorf("command /%s is not in the permission table", name)
			continue
		}
		for _, r := range roles {
			t.Run(name+"/"+r.name, func(t *testing.T) {
				allowed := slices.Index(rank, r.role) >= slices.Index(rank, c.need)
				if got := bot.Allowed(r.role, name); got != allowed {
					t.Errorf("Allowed(%q, %q) = %v, want %v", r.role, name, got, allowed)
				}
				before := *h.task("4.1.3")
				got := h.say(r.user, strings.TrimSpace("/"+name+" "+c.args))
				if got == "" {
					t.Fatalf("/%s by %s got no answer", name, r.name)
				}
				denied := strings.Contains(got, "此操作需要")
				switch {
				case allowed && denied:
					t.Errorf("/%s by %s refused: %q", name, r.name, got)
				case !allowed && !strings.Contains(got, refusal[c.need]):
					t.Errorf("/%s by %s answered %q, want a refusal naming %s", name, r.name, got, c.need)
				}
				if !allowed || (c.write && r.user.ID == contactB.ID) {
					if after := h.task("4.1.3"); !reflect.DeepEqual(*after, before) {
						t.Errorf("/%s by %s changed 4.1.3: %+v → %+v", name, r.name, before, *after)
					}
				}
				if c.write && r.user.ID == contactB.ID {
					mustContain(t, "/"+name+" by contact B", got, "任务4.1.3不属于您的单位（牵头单位："+deptA+"）")
				}
			})
		}
	}

	t.Run("StrangerSeesNoTask", func(t *testing.T) {
		mustContain(t, "stranger's text", h.say(strangerU, "你好"), "您尚未登记", "1005")
		help := h.say(strangerU, "/help")
		mustContain(t, "stranger's /help", help, "/start", "/help")
		for _, name := range names {
			if name != "start" && name != "help" && strings.Contains(help, "/"+name) {
				t.Errorf("stranger's /help offers /%s:\n%s", name, help)
			}
		}
		var tasks []*store.Task
		h.db.View(func(tx *store.Tx) (err error) { tasks, err = tx.Tasks(); return err })
		for _, m := range h.fake.Sent(strangerU.ID) {
			for _, task := range tasks {
				text := []rune(task.Text)
				if s := string(text[:min(8, len(text))]); strings.Contains(m.Text+m.Caption, s) {
					t.Errorf("stranger saw task %s in %q", task.ID, m.Text)
				}
			}
			if strings.Contains(m.Text, "4.1.3") || m.Document != nil {
				t.Errorf("stranger got %q", m.Text)
			}
		}
	})
}
