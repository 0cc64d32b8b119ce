package store

// EachOpenTask calls fn for every open task, continuous ones first, then
// by deadline, decoding one at a time and keeping none: the digest over
// 100,000 open tasks then holds only what it shows. It stops at fn's
// first error.
func (tx *Tx) EachOpenTask(fn func(*Task) error) error {
	tasks := tx.tx.Bucket(bktTasks)
	cont := tx.tx.Bucket(bktIdxOpenCont)
	c := cont.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		t, err := tx.decodeTask(tasks.Get(k))
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	c = tx.tx.Bucket(bktIdxDeadline).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) < 4 || cont.Get(k[4:]) != nil {
			continue
		}
		t, err := tx.decodeTask(tasks.Get(k[4:]))
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	return nil
}
