package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// historyRecord is the stored form of an HistoryEntry.
type historyRecord struct {
	At      time.Time `json:"at"`
	By      Actor     `json:"by"`
	Kind    string    `json:"kind"`
	Changes []Change  `json:"ch,omitempty"`
	Note    string    `json:"note,omitempty"`
}

// AppendHistory appends u to its task's history, assigning the next Seq.
func (tx *Tx) AppendHistory(u *HistoryEntry) error {
	if u.PlanID == "" && tx.tx.Bucket(bktTasks).Get([]byte(u.TaskID)) == nil {
		// An entry naming a task by its bare ID: file it under the task's key.
		u.PlanID, u.TaskID = SplitKey(tx.historyKeyOf(u.TaskID))
	}
	return tx.appendHistory(u, func(bkt, k, v []byte) error { return tx.tx.Bucket(bkt).Put(k, v) })
}

// appendHistory assigns u its Seq and gives put its entries.
func (tx *Tx) appendHistory(u *HistoryEntry, put func(bkt, k, v []byte) error) error {
	seq, err := tx.tx.Bucket(bktHistory).NextSequence()
	if err != nil {
		return err
	}
	u.Seq = seq
	if u.At.IsZero() {
		u.At = tx.now
	}
	v, err := json.Marshal(historyRecord{u.At, u.By, u.Kind, u.Changes, u.Note})
	if err != nil {
		return err
	}
	if err := put(bktIdxHistAt, histAtKey(u.At, u.Key(), seq), nil); err != nil {
		return err
	}
	return put(bktHistory, append(append([]byte(u.Key()), 0), u64(seq)...), v)
}

// History returns a task's history, oldest first.
func (tx *Tx) History(ref string) ([]HistoryEntry, error) {
	taskID := tx.historyKeyOf(ref)
	prefix := append([]byte(taskID), 0)
	var out []HistoryEntry
	c := tx.tx.Bucket(bktHistory).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		u, err := decodeHistory(k[len(prefix):], taskID, v)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

func decodeHistory(seq []byte, taskID string, v []byte) (HistoryEntry, error) {
	var r historyRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return HistoryEntry{}, fmt.Errorf("decode history of %s: %w", taskID, err)
	}
	plan, id := SplitKey(taskID)
	return HistoryEntry{TaskID: id, PlanID: plan, Seq: binary.BigEndian.Uint64(seq), At: r.At, By: r.By, Kind: r.Kind, Changes: r.Changes, Note: r.Note}, nil
}
