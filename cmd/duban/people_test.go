package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
)

// TestPeople_CLI: an admin at the server lists, demotes, removes people
// and revokes invites with `duban people`, as the chat's commands do.
func TestPeople_CLI(t *testing.T) {
	path := dbPath(t)
	db := openDB(t, path)
	err := db.Update(func(tx *store.Tx) error {
		tx.AddDepartment("综合处")
		for _, c := range []*store.Contact{
			{UserID: 11, ChatID: 11, Name: "李", Username: "li", Dept: "综合处", Role: store.RoleCoordinator},
			{UserID: 12, ChatID: 12, Name: "王", Dept: "综合处", Role: store.RoleContact, Unreachable: true},
		} {
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		return tx.PutInvite("tok", store.Invite{Dept: "综合处", Role: store.RoleContact, ExpiresAt: time.Now().Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	run := func(args ...string) (string, int) {
		t.Helper()
		out := &syncBuffer{}
		env := &Env{Stdout: out, Stderr: out, Getenv: func(string) string { return "" }}
		code := Main(context.Background(), env, append([]string{"people", "--db", path}, args...))
		return out.String(), code
	}
	got, code := run()
	if code != 0 {
		t.Fatalf("duban people: exit %d\n%s", code, got)
	}
	mustHave(t, "duban people", got, "登记人员2人", "李 @li（11）：督办员、综合处联络员", "王（12）：综合处联络员；已屏蔽机器人")
	got, _ = run("coordinator", "@li", "off")
	mustHave(t, "coordinator off", got, "用户11已不再是督办员")
	got, _ = run("remove", "12")
	mustHave(t, "remove", got, "已取消王（12）的登记")
	got, code = run("coordinator", "--", "-100123")
	if code == 0 {
		t.Errorf("coordinator of a group ID succeeded: %s", got)
	}
	mustHave(t, "coordinator group", got, "是群组ID")
	got, _ = run("invites")
	mustHave(t, "invites", got, "未使用的邀请1个", "综合处")
	id, _, _ := strings.Cut(strings.Split(got, "\n")[1], "：") // "abcd1234：综合处，… 前有效"
	got, _ = run("invites", "revoke", id)
	mustHave(t, "revoke", got, "已撤销邀请")
	got, _ = run()
	mustHave(t, "after", got, "登记人员1人", "李 @li（11）：综合处联络员")
}

func mustHave(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s = %q, want it to contain %q", what, got, w)
		}
	}
}

// TestShell_BannerFollowsLang: `duban shell --lang en` greets in English.
func TestShell_BannerFollowsLang(t *testing.T) {
	for _, tc := range []struct{ lang, want, not string }{
		{"en", "speaking as user 1", "数据库"},
		{"zh", "以用户1身份发言", "speaking"},
	} {
		out := &syncBuffer{}
		env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: out, Getenv: func(string) string { return "" }}
		if code := Main(context.Background(), env, []string{"shell", "--db", dbPath(t), "--lang", tc.lang}); code != 0 {
			t.Fatalf("shell --lang %s: exit %d\n%s", tc.lang, code, out.String())
		}
		if got := out.String(); !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
			t.Errorf("shell --lang %s banner = %q, want %q and no %q", tc.lang, got, tc.want, tc.not)
		}
	}
}

// TestPeople_CLIHeadStaysHead: a department head made coordinator at the
// server and demoted again is the head again, not a contact who gets the
// daily reminders; a head's invite is listed as the head's.
func TestPeople_CLIHeadStaysHead(t *testing.T) {
	path := dbPath(t)
	db := openDB(t, path)
	err := db.Update(func(tx *store.Tx) error {
		tx.AddDepartment("综合处")
		if err := tx.PutContact(&store.Contact{UserID: 13, ChatID: 13, Name: "赵", Dept: "综合处", Role: store.RoleHead}); err != nil {
			return err
		}
		return tx.PutInvite("tok", store.Invite{Dept: "综合处", Role: store.RoleHead, ExpiresAt: time.Now().Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	run := func(args ...string) string {
		t.Helper()
		out := &syncBuffer{}
		env := &Env{Stdout: out, Stderr: out, Getenv: func(string) string { return "" }}
		if code := Main(context.Background(), env, append([]string{"people", "--db", path}, args...)); code != 0 {
			t.Fatalf("duban people %v: exit %d\n%s", args, code, out.String())
		}
		return out.String()
	}
	mustHave(t, "duban people", run(), "赵（13）：综合处负责人")
	run("coordinator", "13")
	mustHave(t, "head made coordinator", run(), "赵（13）：督办员、综合处负责人")
	run("coordinator", "13", "off")
	mustHave(t, "head demoted", run(), "赵（13）：综合处负责人")
	db = openDB(t, path)
	db.View(func(tx *store.Tx) error {
		if c, err := tx.Contact(13); err != nil || c.Role != store.RoleHead {
			t.Errorf("after coordinator off: %+v %v, want the head", c, err)
		}
		return nil
	})
	db.Close()
	mustHave(t, "duban people invites", run("invites"), "综合处负责人")
}
