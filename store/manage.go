package store

import (
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// PendingExtensions returns the extension requests still waiting for a
// coordinator, oldest first.
func (tx *Tx) PendingExtensions() ([]*Extension, error) {
	var out []*Extension
	err := tx.tx.Bucket(bktExtensions).ForEach(func(_, v []byte) error {
		e, err := decodeExtension(v)
		if err != nil {
			return err
		}
		if !e.Decided {
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// FindContact finds a registered user by numeric ID or @username.
func (tx *Tx) FindContact(who string) (*Contact, error) {
	who = strings.TrimSpace(who)
	if id, err := strconv.ParseInt(who, 10, 64); err == nil {
		return tx.Contact(id)
	}
	name := strings.TrimPrefix(who, "@")
	if name != "" {
		all, err := tx.Contacts()
		if err != nil {
			return nil, err
		}
		for _, c := range all {
			if c.Username != "" && strings.EqualFold(c.Username, name) {
				return c, nil
			}
		}
	}
	return nil, Refuse(ENOTFOUND, "e_no_user", who)
}

// InviteID is the short public name of an invite: the first 8 hex digits
// of its hash (the token itself is never stored).
func InviteID(inv Invite) string { return hex.EncodeToString(inv.Hash[:4]) }

// revokedBy marks an invite revoked in UsedBy (user IDs are positive).
const revokedBy = -1

// Invites returns the invites not yet used, revoked or expired at now.
func (tx *Tx) Invites() ([]Invite, error) {
	var out []Invite
	err := tx.tx.Bucket(bktInvites).ForEach(func(k, v []byte) error {
		var r inviteRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		if r.UsedBy == 0 && tx.now.Before(r.ExpiresAt) {
			inv := Invite{Dept: r.Dept, Role: r.Role, CreatedBy: r.CreatedBy, ExpiresAt: r.ExpiresAt}
			copy(inv.Hash[:], k)
			out = append(out, inv)
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ExpiresAt.Before(out[j].ExpiresAt) })
	return out, err
}

// RevokeInvite makes the open invite whose InviteID is id unusable.
func (tx *Tx) RevokeInvite(id string) (*Invite, error) {
	open, err := tx.Invites()
	if err != nil {
		return nil, err
	}
	for _, inv := range open {
		if InviteID(inv) == strings.ToLower(strings.TrimSpace(id)) {
			b := tx.tx.Bucket(bktInvites)
			v, err := json.Marshal(inviteRecord{inv.Dept, inv.Role, inv.CreatedBy, inv.ExpiresAt, revokedBy})
			if err != nil {
				return nil, err
			}
			return &inv, b.Put(inv.Hash[:], v)
		}
	}
	return nil, Refuse(ENOTFOUND, "e_no_invite", id)
}
