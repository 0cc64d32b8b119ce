package store_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/storetest"
)

func TestTx_AddDepartment(t *testing.T) {
	db := MustOpenDB(t)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, d := range []string{"综合处", " 办公室 ", "综合处"} {
			if err := tx.AddDepartment(d); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, db, func(tx *store.Tx) error {
		if got, want := tx.DepartmentNames(), []string{"办公室", "综合处"}; !slices.Equal(got, want) {
			t.Errorf("DepartmentNames = %q, want %q", got, want)
		}
		depts, err := tx.Departments()
		if len(depts) != 2 || depts[0].Name != "办公室" {
			t.Errorf("Departments = %+v, want 办公室, 综合处", depts)
		}
		if !tx.HasDepartment("办公室") || tx.HasDepartment("执法局") {
			t.Errorf("HasDepartment(办公室, 执法局) = %v, %v, want true, false", tx.HasDepartment("办公室"), tx.HasDepartment("执法局"))
		}
		return err
	})
	t.Run("EINVALID", func(t *testing.T) {
		for _, bad := range []string{"", "  ", "综合处、办公室", "a,b", "a，b", "a\nb", "a\x00b"} {
			err := db.Update(func(tx *store.Tx) error { return tx.AddDepartment(bad) })
			if got, want := store.ErrorCode(err), store.EINVALID; got != want {
				t.Errorf("AddDepartment(%q): code %q, want %q", bad, got, want)
			}
		}
	})
}

func TestTx_RenameDepartment(t *testing.T) {
	setup := func(t *testing.T) *store.DB {
		db := MustOpenDB(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			for _, d := range []string{"综合处", "办公室", "执法局"} {
				if err := tx.AddDepartment(d); err != nil {
					return err
				}
			}
			for _, task := range []*store.Task{
				newTask("1.1.1", "综合处", store.NewDate(2021, 6, 30)),
				newTask("1.1.2", "办公室", store.NewDate(2021, 6, 30), "执法局", "综合处"),
				newTask("1.1.3", "办公室", 0),
			} {
				if err := tx.PutTask(task); err != nil {
					return err
				}
			}
			if err := tx.PutContact(&store.Contact{UserID: 7, ChatID: 7, Name: "李", Dept: "综合处", Role: store.RoleContact}); err != nil {
				return err
			}
			return tx.PutContact(&store.Contact{UserID: 8, ChatID: 8, Name: "张", Dept: "办公室", Role: store.RoleContact})
		})
		return db
	}

	t.Run("KeepsTasksAndContacts", func(t *testing.T) {
		db := setup(t)
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.RenameDepartment("综合处", "综合协调处", alice) })
		mustView(t, db, func(tx *store.Tx) error {
			if got, want := tx.DepartmentNames(), []string{"办公室", "执法局", "综合协调处"}; !slices.Equal(got, want) {
				t.Errorf("DepartmentNames = %q, want %q", got, want)
			}
			if got, _ := tx.TasksByDept("综合处", true); len(got) != 0 {
				t.Errorf("TasksByDept(old) = %q, want none", taskIDs(got))
			}
			lead, _ := tx.TasksByDept("综合协调处", false)
			if got, want := taskIDs(lead), []string{"1.1.1"}; !slices.Equal(got, want) {
				t.Errorf("TasksByDept(new, lead) = %q, want %q", got, want)
			}
			all, _ := tx.TasksByDept("综合协调处", true)
			if got, want := taskIDs(all), []string{"1.1.1", "1.1.2"}; !slices.Equal(got, want) {
				t.Errorf("TasksByDept(new, co) = %q, want %q", got, want)
			}
			t2, _ := tx.Task("1.1.2")
			if got, want := t2.CoDepts, []string{"执法局", "综合协调处"}; !slices.Equal(got, want) {
				t.Errorf("1.1.2 CoDepts = %q, want %q (order kept)", got, want)
			}
			for _, id := range []string{"1.1.1", "1.1.2"} {
				h, _ := tx.History(id)
				if len(h) != 1 || h[0].Kind != "rename_dept" || h[0].By != alice || h[0].Note == "" {
					t.Errorf("%s history = %+v, want one rename_dept entry by alice", id, h)
				}
			}
			if h, _ := tx.History("1.1.3"); len(h) != 0 {
				t.Errorf("1.1.3 (untouched) history = %+v, want none", h)
			}
			cs, _ := tx.ContactsByDept("综合协调处")
			if len(cs) != 1 || cs[0].UserID != 7 || cs[0].Dept != "综合协调处" {
				t.Errorf("ContactsByDept(new) = %+v, want user 7", cs)
			}
			if cs, _ := tx.ContactsByDept("综合处"); len(cs) != 0 {
				t.Errorf("ContactsByDept(old) = %+v, want none", cs)
			}
			// The overdue index still finds the renamed department's task.
			od, _ := tx.OverdueTasks(store.NewDate(2021, 7, 1))
			if got, want := taskIDs(od), []string{"1.1.1", "1.1.2"}; !slices.Equal(got, want) {
				t.Errorf("OverdueTasks = %q, want %q", got, want)
			}
			return nil
		})
		t.Run("OldNameRemovable", func(t *testing.T) {
			err := db.Update(func(tx *store.Tx) error { return tx.RemoveDepartment("综合处") })
			if got, want := store.ErrorCode(err), store.ENOTFOUND; got != want {
				t.Errorf("RemoveDepartment(old): code %q, want %q", got, want)
			}
		})
	})

	t.Run("TrimmedName", func(t *testing.T) {
		db := setup(t)
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.RenameDepartment("综合处", " 综合协调处 ", alice) })
		mustView(t, db, func(tx *store.Tx) error {
			task, _ := tx.Task("1.1.1")
			if task.Lead != "综合协调处" {
				t.Errorf("Lead = %q, want %q", task.Lead, "综合协调处")
			}
			if !tx.HasDepartment("综合协调处") {
				t.Errorf("DepartmentNames = %q, want 综合协调处 among them", tx.DepartmentNames())
			}
			return nil
		})
	})

	t.Run("PendingInviteFollows", func(t *testing.T) {
		db := setup(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			if err := tx.PutInvite("tok", store.Invite{Dept: "综合处", Role: store.RoleContact, ExpiresAt: t0.Add(time.Hour)}); err != nil {
				return err
			}
			return tx.RenameDepartment("综合处", "综合协调处", alice)
		})
		mustUpdate(t, db, func(tx *store.Tx) error {
			inv, err := tx.UseInvite("tok", 9)
			if err == nil && inv.Dept != "综合协调处" {
				t.Errorf("invite Dept = %q, want %q", inv.Dept, "综合协调处")
			}
			return err
		})
	})

	for _, tc := range []struct {
		name     string
		old, new string
		code     string
	}{
		{"ENOTFOUND", "人事处", "人事二处", store.ENOTFOUND},
		{"ECONFLICT", "综合处", "办公室", store.ECONFLICT},
		{"EINVALID", "综合处", "综合处、办公室", store.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := setup(t)
			err := db.Update(func(tx *store.Tx) error { return tx.RenameDepartment(tc.old, tc.new, alice) })
			if got := store.ErrorCode(err); got != tc.code {
				t.Errorf("RenameDepartment(%s, %s): code %q, want %q (err %v)", tc.old, tc.new, got, tc.code, err)
			}
		})
	}
}

func TestTx_RemoveDepartment(t *testing.T) {
	db := MustOpenDB(t)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, d := range []string{"综合处", "办公室", "执法局", "人事处"} {
			if err := tx.AddDepartment(d); err != nil {
				return err
			}
		}
		if err := tx.PutTask(newTask("1.1.1", "综合处", 0, "办公室")); err != nil {
			return err
		}
		return tx.PutContact(&store.Contact{UserID: 7, ChatID: 7, Dept: "执法局", Role: store.RoleContact})
	})
	for _, tc := range []struct {
		dept string
		code string
	}{
		{"综合处", store.ECONFLICT}, // leads a task
		{"办公室", store.ECONFLICT}, // co-owns a task
		{"执法局", store.ECONFLICT}, // has a contact
		{"宣传教育处", store.ENOTFOUND},
		{"人事处", ""},
	} {
		t.Run(tc.dept, func(t *testing.T) {
			err := db.Update(func(tx *store.Tx) error { return tx.RemoveDepartment(tc.dept) })
			if got := store.ErrorCode(err); got != tc.code {
				t.Errorf("RemoveDepartment(%s): code %q, want %q (err %v)", tc.dept, got, tc.code, err)
			}
		})
	}
	mustView(t, db, func(tx *store.Tx) error {
		if got, want := tx.DepartmentNames(), []string{"办公室", "执法局", "综合处"}; !slices.Equal(got, want) {
			t.Errorf("DepartmentNames = %q, want %q", got, want)
		}
		return nil
	})
	t.Run("AfterLastUserLeaves", func(t *testing.T) {
		mustUpdate(t, db, func(tx *store.Tx) error {
			if err := tx.DeleteContact(7); err != nil {
				return err
			}
			return tx.RemoveDepartment("执法局")
		})
	})
}

func TestTx_PutContact(t *testing.T) {
	db, clk := MustOpenClockDB(t)
	c := &store.Contact{UserID: 7, ChatID: 7, Name: "李", Username: "li", Dept: "综合处", Role: store.RoleContact}
	mustUpdate(t, db, func(tx *store.Tx) error { return tx.PutContact(c) })
	t.Run("RoundTrip", func(t *testing.T) {
		mustView(t, db, func(tx *store.Tx) error {
			got, err := tx.Contact(7)
			if err != nil {
				return err
			}
			want := *c
			want.JoinedAt = t0
			if !got.JoinedAt.Equal(t0) {
				t.Errorf("JoinedAt = %v, want %v", got.JoinedAt, t0)
			}
			got.JoinedAt = t0
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("Contact = %+v, want %+v", *got, want)
			}
			if _, err := tx.Contact(8); store.ErrorCode(err) != store.ENOTFOUND {
				t.Errorf("Contact(8): %v, want ENOTFOUND", err)
			}
			return nil
		})
	})
	t.Run("MoveDepartment", func(t *testing.T) {
		clk.Add(time.Hour)
		mustUpdate(t, db, func(tx *store.Tx) error {
			c, _ := tx.Contact(7)
			c.Dept = "办公室"
			return tx.PutContact(c)
		})
		mustView(t, db, func(tx *store.Tx) error {
			if cs, _ := tx.ContactsByDept("综合处"); len(cs) != 0 {
				t.Errorf("ContactsByDept(old) = %+v, want none", cs)
			}
			cs, _ := tx.ContactsByDept("办公室")
			if len(cs) != 1 || cs[0].UserID != 7 {
				t.Errorf("ContactsByDept(new) = %+v, want user 7", cs)
			} else if !cs[0].JoinedAt.Equal(t0) {
				t.Errorf("JoinedAt = %v, want unchanged %v", cs[0].JoinedAt, t0)
			}
			return nil
		})
	})
	t.Run("Coordinators", func(t *testing.T) {
		mustUpdate(t, db, func(tx *store.Tx) error {
			if err := tx.PutContact(&store.Contact{UserID: 20, ChatID: 20, Name: "督办员", Role: store.RoleCoordinator}); err != nil {
				return err
			}
			return tx.PutContact(&store.Contact{UserID: 21, ChatID: 21, Dept: "综合处", Role: store.RoleCoordinator})
		})
		mustView(t, db, func(tx *store.Tx) error {
			cs, err := tx.Audience(store.AboutWork)
			var got []int64
			for _, c := range cs {
				got = append(got, c.Contact.UserID)
			}
			if want := []int64{20, 21}; !slices.Equal(got, want) {
				t.Errorf("Coordinators = %v, want %v", got, want)
			}
			all, _ := tx.Contacts()
			if len(all) != 3 {
				t.Errorf("Contacts = %d, want 3", len(all))
			}
			return err
		})
	})
	t.Run("DeleteContact", func(t *testing.T) {
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.DeleteContact(21) })
		mustView(t, db, func(tx *store.Tx) error {
			if cs, _ := tx.ContactsByDept("综合处"); len(cs) != 0 {
				t.Errorf("ContactsByDept after delete = %+v, want none", cs)
			}
			return nil
		})
	})
}

func TestTx_SetReachable(t *testing.T) {
	db := MustOpenDB(t)
	mustUpdate(t, db, func(tx *store.Tx) error {
		return tx.PutContact(&store.Contact{UserID: 7, ChatID: 7, Dept: "综合处", Role: store.RoleContact})
	})
	set := func(ok bool) bool {
		t.Helper()
		var changed bool
		mustUpdate(t, db, func(tx *store.Tx) (err error) { changed, err = tx.SetReachable(7, ok); return err })
		return changed
	}
	for i, tc := range []struct {
		ok, want bool
	}{
		{true, false},  // already reachable
		{false, true},  // 403: changed once
		{false, false}, // second 403: no news
		{true, true},   // unblocked
		{true, false},
	} {
		if got := set(tc.ok); got != tc.want {
			t.Errorf("step %d: SetReachable(%v) = %v, want %v", i, tc.ok, got, tc.want)
		}
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		if changed, err := tx.SetReachable(999, false); changed || err != nil {
			t.Errorf("SetReachable(unknown) = %v, %v, want false, nil", changed, err)
		}
		return nil
	})
}

func TestTx_UseInvite(t *testing.T) {
	setup := func(t *testing.T) (*store.DB, *storetest.Clock) {
		db, clk := MustOpenClockDB(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			return tx.PutInvite("s3cret", store.Invite{Dept: "综合处", Role: store.RoleContact, CreatedBy: 20, ExpiresAt: t0.Add(72 * time.Hour)})
		})
		return db, clk
	}
	use := func(t *testing.T, db *store.DB, token string, user int64) (*store.Invite, error) {
		t.Helper()
		var inv *store.Invite
		err := db.Update(func(tx *store.Tx) (err error) { inv, err = tx.UseInvite(token, user); return err })
		return inv, err
	}

	t.Run("SingleUse", func(t *testing.T) {
		db, _ := setup(t)
		inv, err := use(t, db, "s3cret", 7)
		if err != nil {
			t.Fatalf("first UseInvite: %v", err)
		}
		if inv.Dept != "综合处" || inv.Role != store.RoleContact || inv.CreatedBy != 20 || inv.UsedBy != 7 {
			t.Errorf("invite = %+v, want 综合处 contact by 20 used by 7", inv)
		}
		if _, err := use(t, db, "s3cret", 8); store.ErrorCode(err) != store.EINVALID {
			t.Errorf("second UseInvite: %v, want EINVALID", err)
		}
		if _, err := use(t, db, "s3cret", 7); store.ErrorCode(err) != store.EINVALID {
			t.Errorf("same user again: %v, want EINVALID", err)
		}
	})

	t.Run("Expired", func(t *testing.T) {
		db, clk := setup(t)
		clk.Add(72*time.Hour - time.Second)
		// The transaction that fails is rolled back, so the invite stays
		// usable until it expires.
		if _, err := use(t, db, "wrong", 7); err == nil {
			t.Fatal("wrong token accepted")
		}
		clk.Add(time.Second)
		if _, err := use(t, db, "s3cret", 7); store.ErrorCode(err) != store.EINVALID {
			t.Errorf("UseInvite at expiry: %v, want EINVALID", err)
		}
	})

	t.Run("JustBeforeExpiry", func(t *testing.T) {
		db, clk := setup(t)
		clk.Add(72*time.Hour - time.Second)
		if _, err := use(t, db, "s3cret", 7); err != nil {
			t.Errorf("UseInvite a second before expiry: %v", err)
		}
	})

	t.Run("WrongToken", func(t *testing.T) {
		db, _ := setup(t)
		for _, tok := range []string{"", "s3cre", "s3cret ", "S3CRET"} {
			_, err := use(t, db, tok, 7)
			if got, want := store.ErrorCode(err), store.EINVALID; got != want {
				t.Errorf("UseInvite(%q): code %q, want %q", tok, got, want)
			}
		}
		if _, err := use(t, db, "s3cret", 7); err != nil {
			t.Errorf("right token after wrong ones: %v", err)
		}
	})
}
