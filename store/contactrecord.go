package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// contactRecord is the stored form of a Contact (schema 4). Records of
// older files are the JSON of the domain struct; decodeContact reads both
// and migration 4 rewrites them.
type contactRecord struct {
	V           int       `json:"v"`
	UserID      int64     `json:"id"`
	ChatID      int64     `json:"chat"`
	Name        string    `json:"name,omitempty"`
	Username    string    `json:"user,omitempty"`
	Depts       []string  `json:"depts,omitempty"`
	Coordinator bool      `json:"coord,omitempty"`
	Head        bool      `json:"head,omitempty"` // the head (负责人) of Depts, not their contact
	Unreachable bool      `json:"unreachable,omitempty"`
	JoinedAt    time.Time `json:"joined"`
	LastSeen    time.Time `json:"seen,omitzero"`
}

// legacyContact is the record of schema 1–3: the domain struct as JSON.
type legacyContact struct {
	UserID, ChatID       int64
	Name, Username, Dept string
	Role                 Role
	Unreachable          bool
	JoinedAt             time.Time
}

func encodeContact(c *Contact) ([]byte, error) {
	return json.Marshal(contactRecord{V: 2, UserID: c.UserID, ChatID: c.ChatID, Name: c.Name, Username: c.Username,
		Depts: c.Departments(), Coordinator: c.Role == RoleCoordinator || c.Role == RoleAdmin, Head: c.IsHead(),
		Unreachable: c.Unreachable, JoinedAt: c.JoinedAt, LastSeen: c.LastSeen})
}

func decodeContact(v []byte) (*Contact, error) {
	var r contactRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	if r.V == 0 {
		var l legacyContact
		if err := json.Unmarshal(v, &l); err != nil {
			return nil, err
		}
		c := &Contact{UserID: l.UserID, ChatID: l.ChatID, Name: l.Name, Username: l.Username, Role: l.Role,
			Unreachable: l.Unreachable, JoinedAt: l.JoinedAt}
		if l.Dept != "" {
			c.SetDepts([]string{l.Dept})
		}
		return c, nil
	}
	c := &Contact{UserID: r.UserID, ChatID: r.ChatID, Name: r.Name, Username: r.Username, Unreachable: r.Unreachable,
		JoinedAt: r.JoinedAt, LastSeen: r.LastSeen}
	c.SetDepts(r.Depts)
	c.Head = r.Head && len(c.Depts) > 0
	switch {
	case r.Coordinator:
		c.Role = RoleCoordinator
	case r.Head && len(c.Depts) > 0:
		c.Role = RoleHead
	case len(c.Depts) > 0:
		c.Role = RoleContact
	}
	return c, nil
}

// migrateContacts (schema 4) rewrites every contact record in the stored
// form of a set of roles and indexes every department of each.
func migrateContacts(tx *bolt.Tx) error {
	b, idx := tx.Bucket(bktContacts), tx.Bucket(bktIdxContact)
	var keys, vals [][]byte
	err := b.ForEach(func(k, v []byte) error {
		c, err := decodeContact(v)
		if err != nil {
			return fmt.Errorf("contact %x: %w", k, err)
		}
		nv, err := encodeContact(c)
		if err != nil {
			return err
		}
		for _, d := range c.Departments() {
			if err := idx.Put(contactKey(d, c.UserID), nil); err != nil {
				return err
			}
		}
		keys, vals = append(keys, bytes.Clone(k)), append(vals, nv)
		return nil
	})
	for i := 0; err == nil && i < len(keys); i++ {
		err = b.Put(keys[i], vals[i])
	}
	return err
}
