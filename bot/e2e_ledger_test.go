package bot_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/bot/web"
	"github.com/duban-bureau/duban/store"
)

func withLedger(base string) harnessOpt {
	return func(a *bot.App) { a.Ledger = web.Links{BaseURL: base} }
}

var linkRE = regexp.MustCompile(`https?://[^\s"<]+/l/([A-Za-z0-9_-]+)`)

// TestChat_Ledger: a coordinator's /ledger answers with a signed link to
// the web 台账, valid 24 hours; /ledger 部门 scopes it to one department.
func TestChat_Ledger(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withLedger("https://duban.example/"))
	token := func(reply string) string {
		t.Helper()
		m := linkRE.FindStringSubmatch(reply)
		if m == nil {
			t.Fatalf("no link in %q", reply)
		}
		if !strings.HasPrefix(m[0], "https://duban.example/l/") {
			t.Errorf("link %q does not start with --web-url", m[0])
		}
		return m[1]
	}
	key := func() []byte {
		var k []byte
		h.db.View(func(tx *store.Tx) error { k = tx.WebKey(); return nil })
		return k
	}
	t.Run("All", func(t *testing.T) {
		got := h.say(coordU, "/ledger")
		mustContain(t, "/ledger", got, "网页台账", "全部单位", "有效期至2021-06-16 10:00", "请勿转发")
		scope, exp, err := web.Verify(key(), token(got), start)
		if err != nil || scope != "" || !exp.Equal(start.Add(web.DefaultTTL)) {
			t.Errorf("link: scope %q, expiry %v, %v; want the whole ledger for 24h", scope, exp, err)
		}
	})
	t.Run("Department", func(t *testing.T) {
		got := h.say(adminU, "/ledger　"+deptB) // full-width space, as typed
		mustContain(t, "/ledger dept", got, deptB)
		scope, _, err := web.Verify(key(), token(got), start)
		if err != nil || scope != deptB {
			t.Errorf("link scope %q (%v), want %s", scope, err, deptB)
		}
	})
	t.Run("UnknownDepartment", func(t *testing.T) {
		got := h.say(coordU, "/ledger 不存在处")
		mustContain(t, "/ledger unknown", got, "没有名为“不存在处”的单位", "/depts")
		if linkRE.MatchString(got) {
			t.Errorf("a link for an unknown department: %q", got)
		}
	})
	t.Run("ContactRefused", func(t *testing.T) {
		got := h.say(contactA, "/ledger")
		mustContain(t, "contact's /ledger", got, "需要督办员权限")
		if linkRE.MatchString(got) {
			t.Errorf("a contact got a link: %q", got)
		}
	})
	t.Run("NotInGroups", func(t *testing.T) {
		group := telegramtest.Chat{ID: -100777, Type: "supergroup", Title: "督办群"}
		msgs := h.sayIn(coordU, group, "/ledger")
		if len(msgs) == 0 || !strings.Contains(msgs[0].Text, "私聊") || linkRE.MatchString(msgs[0].Text) {
			t.Errorf("group /ledger answered %+v, want the private-chat hint and no link", msgs)
		}
	})
}

// TestChat_LedgerOff: without --web the command says how to turn it on.
func TestChat_LedgerOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mustContain(t, "/ledger off", h.say(coordU, "/ledger"), "网页台账未开启", "--web")
}
