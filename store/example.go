package store

import "bytes"

// ExamplePlanSetting marks a database whose tasks are the bundled example
// plan that serve (or shell) loaded into it when it was empty:
// ExamplePlanLoaded while it is a demonstration (reminders go only to the
// admins), ExamplePlanAdopted once someone chose to run it for real; unset
// for a database that never held the example.
const (
	ExamplePlanSetting = "example_plan"
	ExamplePlanLoaded  = "example"
	ExamplePlanAdopted = "adopted"
)

// IsExamplePlan reports whether the tasks are the not-adopted example plan.
func (tx *Tx) IsExamplePlan() bool { return tx.Setting(ExamplePlanSetting) == ExamplePlanLoaded }

// RemoveExamplePlan deletes the not-adopted example plan planID: every
// task of that plan with its index entries, its whole history and its
// extension requests (a demonstration leaves no trace), the plan record,
// and the setting. It
// refuses an adopted example (ECONFLICT: it is the bureau's list now) and a
// database without one (ENOTFOUND). It returns how many tasks it removed.
func (tx *Tx) RemoveExamplePlan(planID string) (int, error) {
	switch tx.Setting(ExamplePlanSetting) {
	case ExamplePlanLoaded:
	case ExamplePlanAdopted:
		return 0, Errorf(ECONFLICT, "the example plan was adopted")
	default:
		return 0, Errorf(ENOTFOUND, "no example plan")
	}
	if planID == "" { // tasks of no plan are a list's, never the example's
		return 0, Errorf(ENOTFOUND, "the example plan has no plan record")
	}
	r, err := tx.RemovePlan(planID, false)
	if err != nil {
		return 0, err
	}
	return r.Tasks, tx.SetSetting(ExamplePlanSetting, "")
}

// deleteHistory removes every history entry of a task and its entries in
// the history-by-time index.
func (tx *Tx) deleteHistory(taskID string) error {
	prefix := append([]byte(taskID), 0)
	hist, at := tx.tx.Bucket(bktHistory), tx.tx.Bucket(bktIdxHistAt)
	var keys [][]byte
	c := hist.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		u, err := decodeHistory(k[len(prefix):], taskID, v)
		if err != nil {
			return err
		}
		if err := at.Delete(histAtKey(u.At, taskID, u.Seq)); err != nil {
			return err
		}
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := hist.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
