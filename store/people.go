package store

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/json"
	"time"
)

// Departments returns every department in name order.
func (tx *Tx) Departments() ([]Department, error) {
	var out []Department
	err := tx.tx.Bucket(bktDepts).ForEach(func(k, _ []byte) error {
		out = append(out, Department{Name: string(k)})
		return nil
	})
	return out, err
}

// DepartmentNames returns the names of every department.
func (tx *Tx) DepartmentNames() []string {
	var out []string
	tx.tx.Bucket(bktDepts).ForEach(func(k, _ []byte) error { out = append(out, string(k)); return nil })
	return out
}

// HasDepartment reports whether name is a known department.
func (tx *Tx) HasDepartment(name string) bool {
	return tx.tx.Bucket(bktDepts).Get([]byte(name)) != nil
}

// AddDepartment adds a department; adding an existing one is a no-op.
func (tx *Tx) AddDepartment(name string) error {
	name = NormName(name)
	if tx.HasDepartment(name) {
		return nil
	}
	if err := CheckDeptName(name); err != nil {
		return err
	}
	return tx.tx.Bucket(bktDepts).Put([]byte(name), []byte("{}"))
}

// RenameDepartment renames a department and rewrites every task and contact
// that names it, so history and registrations carry over.
func (tx *Tx) RenameDepartment(old, new string, by Actor) error {
	new = NormName(new) // as AddDepartment stores it
	if !tx.HasDepartment(old) {
		return Refuse(ENOTFOUND, "e_no_dept", old)
	}
	if tx.HasDepartment(new) {
		return Refuse(ECONFLICT, "e_dept_exists", new)
	}
	if err := tx.AddDepartment(new); err != nil {
		return err
	}
	tasks, err := tx.TasksByDept(old, true)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		n := t.Clone()
		if n.Lead == old {
			n.Lead = new
		}
		for i, d := range n.CoDepts {
			if d == old {
				n.CoDepts[i] = new
			}
		}
		// The kind (rename_dept) is what the edge words (单位更名); the note
		// holds only the names, in no language.
		if _, err := tx.SaveTask(n, by, "rename_dept", old+" → "+new); err != nil {
			return err
		}
	}
	contacts, err := tx.peopleByDept(old)
	if err != nil {
		return err
	}
	for _, c := range contacts {
		var depts []string
		for _, d := range c.Departments() {
			if d == old {
				d = new
			}
			depts = append(depts, d)
		}
		c.SetDepts(depts)
		if err := tx.PutContact(c); err != nil {
			return err
		}
	}
	if err := tx.renameInvites(old, new); err != nil {
		return err
	}
	return tx.tx.Bucket(bktDepts).Delete([]byte(old))
}

// RemoveDepartment deletes a department that no task or contact uses.
func (tx *Tx) RemoveDepartment(name string) error {
	if !tx.HasDepartment(name) {
		return Refuse(ENOTFOUND, "e_no_dept", name)
	}
	prefix := append([]byte(name), 0)
	if k, _ := tx.tx.Bucket(bktIdxDept).Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
		return Refuse(ECONFLICT, "e_dept_has_tasks", name)
	}
	if k, _ := tx.tx.Bucket(bktIdxContact).Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
		return Refuse(ECONFLICT, "e_dept_has_contacts", name)
	}
	return tx.tx.Bucket(bktDepts).Delete([]byte(name))
}

// Contact returns the registered user, or ENOTFOUND.
func (tx *Tx) Contact(userID int64) (*Contact, error) {
	v := tx.tx.Bucket(bktContacts).Get(u64(uint64(userID)))
	if v == nil {
		return nil, Refuse(ENOTFOUND, "e_user_unregistered", userID)
	}
	return decodeContact(v)
}

// PutContact creates or replaces a contact and its department index entries.
func (tx *Tx) PutContact(c *Contact) error {
	old, err := tx.Contact(c.UserID)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return err // overwriting it would leave its index entries behind
	}
	if err == nil {
		for _, d := range old.Departments() {
			if err := tx.tx.Bucket(bktIdxContact).Delete(contactKey(d, old.UserID)); err != nil {
				return err
			}
		}
	}
	if c.JoinedAt.IsZero() {
		c.JoinedAt = tx.now
	}
	c.SetDepts(c.Departments())
	v, err := encodeContact(c)
	if err != nil {
		return err
	}
	if err := tx.tx.Bucket(bktContacts).Put(u64(uint64(c.UserID)), v); err != nil {
		return err
	}
	for _, d := range c.Departments() {
		if err := tx.tx.Bucket(bktIdxContact).Put(contactKey(d, c.UserID), nil); err != nil {
			return err
		}
	}
	return nil
}

// DeleteContact removes a registration (their history stays).
func (tx *Tx) DeleteContact(userID int64) error {
	c, err := tx.Contact(userID)
	if err != nil {
		return err
	}
	for _, d := range c.Departments() {
		if err := tx.tx.Bucket(bktIdxContact).Delete(contactKey(d, c.UserID)); err != nil {
			return err
		}
	}
	return tx.tx.Bucket(bktContacts).Delete(u64(uint64(userID)))
}

func contactKey(dept string, id int64) []byte {
	return append(append([]byte(dept), 0), u64(uint64(id))...)
}

// Contacts returns every registered user.
func (tx *Tx) Contacts() ([]*Contact, error) {
	var out []*Contact
	err := tx.tx.Bucket(bktContacts).ForEach(func(_, v []byte) error {
		c, err := decodeContact(v)
		if err == nil {
			out = append(out, c)
		}
		return err
	})
	return out, err
}

// ContactsByDept returns the registered contacts (联络员) of one
// department: the people its reminders, /remind and change notices go to.
// The department's head is not among them: a head hears only of overdue
// reminders nobody answered (the escalation ladder).
func (tx *Tx) ContactsByDept(dept string) ([]*Contact, error) {
	all, err := tx.peopleByDept(dept)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if !c.IsHead() {
			out = append(out, c)
		}
	}
	return out, nil
}

// peopleByDept returns everyone registered under one department: its
// contacts and its head.
func (tx *Tx) peopleByDept(dept string) ([]*Contact, error) {
	prefix := append([]byte(dept), 0)
	var out []*Contact
	c := tx.tx.Bucket(bktIdxContact).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ct, err := tx.Contact(int64(binary.BigEndian.Uint64(k[len(prefix):])))
		if err != nil {
			return nil, err
		}
		out = append(out, ct)
	}
	return out, nil
}

// SetReachable records whether the bot can message a chat (403 / unblock).
// It reports whether the flag changed, so the caller tells coordinators once.
func (tx *Tx) SetReachable(chatID int64, ok bool) (bool, error) {
	all, err := tx.Contacts()
	if err != nil {
		return false, err
	}
	changed := false
	for _, c := range all {
		if c.ChatID == chatID && c.Unreachable == ok {
			c.Unreachable = !ok
			changed = true
			if err := tx.PutContact(c); err != nil {
				return false, err
			}
		}
	}
	return changed, nil
}

type inviteRecord struct {
	Dept      string    `json:"dept"`
	Role      Role      `json:"role"`
	CreatedBy int64     `json:"by"`
	ExpiresAt time.Time `json:"exp"`
	UsedBy    int64     `json:"used,omitempty"`
}

// renameInvites moves unused invites of department old to new, so a link
// handed out before the rename registers into the renamed department.
func (tx *Tx) renameInvites(old, new string) error {
	b := tx.tx.Bucket(bktInvites)
	var keys, vals [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var r inviteRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		if r.Dept == old && r.UsedBy == 0 {
			r.Dept = new
			nv, err := json.Marshal(r)
			keys, vals = append(keys, bytes.Clone(k)), append(vals, nv)
			return err
		}
		return nil
	})
	for i := 0; err == nil && i < len(keys); i++ {
		err = b.Put(keys[i], vals[i])
	}
	return err
}

// PutInvite stores an invite under the SHA-256 of its token; the token
// itself is never stored.
func (tx *Tx) PutInvite(token string, inv Invite) error {
	h := sha256.Sum256([]byte(token))
	v, err := json.Marshal(inviteRecord{inv.Dept, inv.Role, inv.CreatedBy, inv.ExpiresAt, 0})
	if err != nil {
		return Errorf(EINVALID, "invite: %v", err)
	}
	return tx.tx.Bucket(bktInvites).Put(h[:], v)
}

// UseInvite redeems a token once: it returns the invite and marks it used.
// Unknown, expired and used tokens give the same EINVALID answer.
func (tx *Tx) UseInvite(token string, userID int64) (*Invite, error) {
	return tx.UseInviteIf(token, userID, nil)
}

// UseInviteIf is UseInvite that first asks check whether the invite may
// be redeemed by this person: a refusal is returned and the invite stays
// unused (the person can be helped and use it later).
func (tx *Tx) UseInviteIf(token string, userID int64, check func(*Invite) error) (*Invite, error) {
	bad := Refuse(EINVALID, "e_invite_invalid")
	h := sha256.Sum256([]byte(token))
	b := tx.tx.Bucket(bktInvites)
	k, v := b.Cursor().Seek(h[:])
	if k == nil || subtle.ConstantTimeCompare(k, h[:]) != 1 {
		return nil, bad
	}
	var r inviteRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	if r.UsedBy != 0 || !tx.now.Before(r.ExpiresAt) {
		return nil, bad
	}
	if check != nil {
		if err := check(&Invite{Hash: h, Dept: r.Dept, Role: r.Role, CreatedBy: r.CreatedBy, ExpiresAt: r.ExpiresAt}); err != nil {
			return nil, err
		}
	}
	r.UsedBy = userID
	nv, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	if err := b.Put(h[:], nv); err != nil {
		return nil, err
	}
	return &Invite{Hash: h, Dept: r.Dept, Role: r.Role, CreatedBy: r.CreatedBy, ExpiresAt: r.ExpiresAt, UsedBy: userID}, nil
}

// PutExtension stores an extension request, assigning its ID when zero.
func (tx *Tx) PutExtension(e *Extension) error {
	if _, key, err := tx.resolveTask(e.TaskID); err == nil {
		e.TaskID = key // the task's key, whatever the caller named it by
	}
	if err := CheckDate(e.TaskID, FieldDeadline, e.NewDate); err != nil {
		return err
	}
	if err := CheckText(e.TaskID, FieldNote, e.Reason, MaxNoteRunes); err != nil {
		return err
	}
	b := tx.tx.Bucket(bktExtensions)
	if e.ID == 0 {
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		e.ID = id
	}
	v, err := encodeExtension(e)
	if err != nil {
		return err
	}
	return b.Put(u64(e.ID), v)
}

// Extension returns an extension request by ID.
func (tx *Tx) Extension(id uint64) (*Extension, error) {
	v := tx.tx.Bucket(bktExtensions).Get(u64(id))
	if v == nil {
		return nil, Refuse(ENOTFOUND, "e_no_extension", id)
	}
	return decodeExtension(v)
}
