package store

import (
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestMigrate_V3ToV4Contacts opens a schema-3 file whose contacts are the
// old records (the JSON of the domain struct, one department each): they
// keep working, and a coordinator who was a contact stays one.
func TestMigrate_V3ToV4Contacts(t *testing.T) {
	db := openUpgraded(t, 3, func(tx *bolt.Tx) error {
		old := map[int64]string{
			7: `{"UserID":7,"ChatID":7,"Name":"李","Username":"li","Dept":"综合处","Role":"contact","Unreachable":false,"JoinedAt":"2021-03-01T09:00:00+08:00"}`,
			8: `{"UserID":8,"ChatID":8,"Name":"王","Username":"","Dept":"","Role":"coordinator","Unreachable":false,"JoinedAt":"2021-03-01T09:00:00+08:00"}`,
			9: `{"UserID":9,"ChatID":9,"Name":"赵","Username":"","Dept":"水处","Role":"coordinator","Unreachable":true,"JoinedAt":"2021-03-01T09:00:00+08:00"}`,
		}
		for id, v := range old {
			if err := tx.Bucket(bktContacts).Put(u64(uint64(id)), []byte(v)); err != nil {
				return err
			}
		}
		for _, k := range [][]byte{contactKey("综合处", 7), contactKey("水处", 9)} {
			if err := tx.Bucket(bktIdxContact).Put(k, nil); err != nil {
				return err
			}
		}
		return nil
	})
	db.View(func(tx *Tx) error {
		if v, _ := tx.SchemaVersion(); v != SchemaVersion {
			t.Errorf("schema %d, want %d", v, SchemaVersion)
		}
		for id, want := range map[int64]struct {
			role  Role
			depts string
		}{7: {RoleContact, "综合处"}, 8: {RoleCoordinator, ""}, 9: {RoleCoordinator, "水处"}} {
			c, err := tx.Contact(id)
			if err != nil {
				t.Fatalf("contact %d: %v", id, err)
			}
			if got := fmtIDs(c.Departments()); c.Role != want.role || got != want.depts {
				t.Errorf("contact %d = %s of %q, want %s of %q", id, c.Role, got, want.role, want.depts)
			}
		}
		if c, _ := tx.Contact(9); !c.Unreachable || c.Name != "赵" {
			t.Errorf("contact 9 lost fields: %+v", c)
		}
		if cs, _ := tx.ContactsByDept("水处"); len(cs) != 1 || cs[0].UserID != 9 {
			t.Errorf("水处 contacts = %v, want the coordinator-contact 9", cs)
		}
		// The records were rewritten in the new stored form.
		if v := tx.tx.Bucket(bktContacts).Get(u64(7)); len(v) == 0 || v[0] != '{' || string(v[:6]) != `{"v":2` {
			t.Errorf("contact 7 not rewritten: %s", v)
		}
		return nil
	})
	if err := db.Check(); err != nil {
		t.Errorf("check: %v", err)
	}
}
