package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"

	"github.com/duban-bureau/duban/store/vocab"
)

// Plans as things of their own. The `tasks` bucket holds the tasks that
// are worked on: those of active plans, not removed. A plan's archive moves
// its tasks to `tasks.archived` (kept, read by qualified ID, exported with
// --plan, in no index); a removed task moves to `tasks.removed` until it is
// restored. Every list, reminder and digest reads `tasks` and its indexes
// only, so neither needs a filter.
var (
	bktTasksArchived = []byte("tasks.archived") // task key → task record: tasks of archived plans
	bktTasksRemoved  = []byte("tasks.removed")  // task key → task record: removed tasks, until restored
)

// PutPlan stores a plan's metadata and indicators under its ID. A plan
// stored for the first time gets its import time and the active state;
// fields left empty keep their stored values.
func (tx *Tx) PutPlan(p *Plan) error {
	if p.ID == "" || strings.Contains(p.ID, KeySep) || strings.ContainsRune(p.ID, 0) || strings.ContainsAny(p.ID, " \u3000") {
		return Refuse(EINVALID, "e_plan_id_bad", p.ID)
	}
	if v := tx.tx.Bucket(bktPlans).Get([]byte(p.ID)); v != nil {
		old, err := decodePlan(v)
		if err != nil {
			return err
		}
		if p.Fingerprint == "" {
			p.Fingerprint = old.Fingerprint
		}
		if p.ImportedAt.IsZero() {
			p.ImportedAt = old.ImportedAt
		}
		if p.State == "" {
			p.State = old.State
		}
		if p.Issuer == "" {
			p.Issuer = old.Issuer
		}
		p.Example = p.Example || old.Example
	}
	if p.ImportedAt.IsZero() {
		p.ImportedAt = tx.now
	}
	if p.State == "" {
		p.State = PlanActive
	}
	v, err := encodePlan(p)
	if err != nil {
		return err
	}
	tx.plans = nil
	return tx.tx.Bucket(bktPlans).Put([]byte(p.ID), v)
}

// AddPlan stores a plan read from a document and puts its tasks in it:
// the plan of the same year and title when one is stored (a re-import),
// else a new plan named by its year (2026, or 2026-2 when that is taken).
// It sets p.ID and every task's PlanID, and reports whether the plan is new.
func (tx *Tx) AddPlan(p *Plan, tasks []*Task) (bool, error) {
	plans, err := tx.Plans()
	if err != nil {
		return false, err
	}
	p.Fingerprint = PlanID(p.Year, p.Title)
	p.ID = ""
	for _, q := range plans {
		if q.Fingerprint == p.Fingerprint && tx.sameKind(p, q) {
			p.ID = q.ID
		}
	}
	fresh := p.ID == ""
	if fresh {
		p.ID = freeName(plans, p.Year)
	}
	if p.Issuer != "" && !p.Example && tx.Bureau().Name == "" && CheckName("", FieldBureau, p.Issuer, MaxNameRunes) == nil {
		// The first real plan names the bureau (duban bureau set changes it).
		if err := tx.SetBureau(Bureau{Name: p.Issuer}); err != nil {
			return false, err
		}
	}
	for _, t := range tasks {
		t.PlanID = p.ID
	}
	return fresh, tx.PutPlan(p)
}

// StoredPlan returns the stored plan a document's plan is a re-import of
// (same year and title), or nil when importing it would make a new plan.
func (tx *Tx) StoredPlan(p *Plan) (*Plan, error) {
	plans, err := tx.Plans()
	if err != nil {
		return nil, err
	}
	fp := PlanID(p.Year, p.Title)
	for _, q := range plans {
		if q.Fingerprint == fp && tx.sameKind(p, q) {
			return q, nil
		}
	}
	return nil, nil
}

// sameKind reports whether a document's plan p may be a re-import of the
// stored plan q: a real plan is never filed into the demonstration, even
// when its title is the example's (a bureau's own plan of that year).
func (tx *Tx) sameKind(p, q *Plan) bool {
	return p.Example || !q.Example || !tx.IsExamplePlan()
}

// freeName is a new plan's ID: its year ("2026"), or year-2, year-3 …
// when another plan has it.
func freeName(plans []*Plan, year int) string {
	base := strconv.Itoa(year)
	if year == 0 {
		base = "plan"
	}
	taken := func(s string) bool {
		for _, q := range plans {
			if q.ID == s {
				return true
			}
		}
		return false
	}
	s := base
	for n := 2; taken(s); n++ {
		s = base + "-" + strconv.Itoa(n)
	}
	return s
}

// ensurePlan stores a plan record for a plan ID tasks name before their
// plan was stored (a list file, a test): every task belongs to a plan.
func (tx *Tx) ensurePlan(id string) error {
	if id == "" || tx.tx.Bucket(bktPlans).Get([]byte(id)) != nil {
		return nil
	}
	year := 0
	for _, r := range id {
		if r < '0' || r > '9' || year > 9999 {
			break
		}
		year = year*10 + int(r-'0')
	}
	if year < 2000 || year > 2100 {
		year = 0
	}
	return tx.PutPlan(&Plan{ID: id, Title: id, Year: year})
}

// Plans returns every stored plan, oldest year first.
func (tx *Tx) Plans() ([]*Plan, error) {
	if tx.plans != nil {
		return tx.plans, nil
	}
	out := []*Plan{}
	err := tx.tx.Bucket(bktPlans).ForEach(func(_, v []byte) error {
		p, err := decodePlan(v)
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Year != out[j].Year {
			return out[i].Year < out[j].Year
		}
		return out[i].ImportedAt.Before(out[j].ImportedAt)
	})
	if err == nil {
		tx.plans = out
	}
	return out, err
}

// ActivePlans returns the plans whose tasks are worked on.
func (tx *Tx) ActivePlans() ([]*Plan, error) {
	plans, err := tx.Plans()
	var out []*Plan
	for _, p := range plans {
		if p.Active() {
			out = append(out, p)
		}
	}
	return out, err
}

// Plan returns the plan named by ref: its short name (2026), ID or year
// (when one plan has that year); "" is the only active plan.
func (tx *Tx) Plan(ref string) (*Plan, error) {
	plans, err := tx.Plans()
	if err != nil {
		return nil, err
	}
	ref = NormName(strings.TrimSpace(ref))
	if ref == "" {
		var active []*Plan
		for _, p := range plans {
			if p.Active() {
				active = append(active, p)
			}
		}
		switch len(active) {
		case 1:
			return active[0], nil
		case 0:
			return nil, Refuse(ENOTFOUND, "e_no_active_plan")
		}
		return nil, Refuse(ECONFLICT, "e_plans_active", len(active), planNames(active))
	}
	for _, p := range plans {
		if p.ID == ref || p.Fingerprint == ref {
			return p, nil
		}
	}
	var byYear []*Plan
	for _, p := range plans {
		if strconv.Itoa(p.Year) == ref {
			byYear = append(byYear, p)
		}
	}
	switch len(byYear) {
	case 1:
		return byYear[0], nil
	case 0:
		return nil, Refuse(ENOTFOUND, "e_no_plan", ref)
	}
	return nil, Refuse(ECONFLICT, "e_plans_of_year", ref, len(byYear), planNames(byYear))
}

func planNames(ps []*Plan) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name()
	}
	return strings.Join(names, "、")
}

// resolveTask finds the bucket and key of the task ref names (see Task).
func (tx *Tx) resolveTask(ref string) ([]byte, string, error) {
	ref = strings.TrimSpace(ref)
	refs := []string{ref}
	if n := NormName(ref); n != ref && n != "" {
		refs = append(refs, n) // ４.１.３ typed with a full-width IME
	}
	for _, r := range refs {
		if bkt := tx.bucketOf(r); bkt != nil {
			return bkt, r, nil
		}
	}
	plans, err := tx.Plans()
	if err != nil {
		return nil, "", err
	}
	for _, r := range refs {
		if prefix, id := SplitKey(r); prefix != "" {
			p, err := tx.Plan(prefix)
			if err != nil {
				return nil, "", err
			}
			key := p.ID + KeySep + id
			if bkt := tx.bucketOf(key); bkt != nil {
				return bkt, key, nil
			}
			return nil, "", tx.notFound(key, r)
		}
	}
	// A bare ID: the active plans' task; an archived plan's when no active
	// plan has it.
	// The not-adopted example is asked last: a demonstration does not make
	// the bureau's own IDs ambiguous.
	var real, demo []*Plan
	for _, p := range plans {
		if p.Example && tx.IsExamplePlan() {
			demo = append(demo, p)
		} else {
			real = append(real, p)
		}
	}
	find := func(ps []*Plan, active bool) (hits []string, bkts [][]byte) {
		for _, p := range ps {
			if p.Active() != active {
				continue
			}
			for _, r := range refs {
				key := p.ID + KeySep + r
				if bkt := tx.bucketOf(key); bkt != nil {
					hits, bkts = append(hits, p.Name()+KeySep+r), append(bkts, bkt)
					if len(hits) == 1 {
						refs = []string{r}
					}
					break
				}
			}
		}
		return hits, bkts
	}
	for _, active := range []bool{true, false} {
		hits, bkts := find(real, active)
		if len(hits) == 0 {
			hits, bkts = find(demo, active)
		}
		switch {
		case len(hits) == 1:
			_, key := tx.keyOfHit(plans, hits[0])
			return bkts[0], key, nil
		case len(hits) > 1:
			return nil, "", Refuse(ECONFLICT, "e_task_ambiguous", ref, len(hits), strings.Join(hits, " "), hits[len(hits)-1])
		}
	}
	key := ref
	if len(plans) > 0 {
		key = plans[len(plans)-1].ID + KeySep + ref
	}
	return nil, "", tx.notFound(key, ref)
}

// keyOfHit turns short/ID back into the store key.
func (tx *Tx) keyOfHit(plans []*Plan, hit string) (string, string) {
	short, id := SplitKey(hit)
	for _, p := range plans {
		if p.Name() == short {
			return p.ID, p.ID + KeySep + id
		}
	}
	return "", hit
}

// bucketOf returns the bucket holding key: live, archived, or nil (removed
// tasks are found by RemovedTask only).
func (tx *Tx) bucketOf(key string) []byte {
	if key == "" {
		return nil
	}
	for _, b := range [][]byte{bktTasks, bktTasksArchived} {
		if tx.tx.Bucket(b).Get([]byte(key)) != nil {
			return b
		}
	}
	return nil
}

func (tx *Tx) notFound(key, ref string) error {
	if tx.tx.Bucket(bktTasksRemoved).Get([]byte(key)) != nil {
		return Refuse(ENOTFOUND, "e_task_removed", ref, ref)
	}
	for _, p := range tx.plans {
		if tx.tx.Bucket(bktTasksRemoved).Get([]byte(p.ID+KeySep+ref)) != nil {
			return Refuse(ENOTFOUND, "e_task_removed", ref, ref)
		}
	}
	return Refuse(ENOTFOUND, "e_no_task", ref)
}

// TaskAt reads the task stored under a key (2026/4.1.3), live or
// archived, without resolving what a person typed: an import's rows are
// placed already.
func (tx *Tx) TaskAt(key string) (*Task, error) { return tx.taskByKey(key) }

// taskByKey reads the task stored under key, live or archived.
func (tx *Tx) taskByKey(key string) (*Task, error) {
	if v := tx.tx.Bucket(bktTasks).Get([]byte(key)); v != nil {
		return tx.decodeTask(v)
	}
	if v := tx.tx.Bucket(bktTasksArchived).Get([]byte(key)); v != nil {
		t, err := tx.decodeTask(v)
		if t != nil {
			t.archived = true
		}
		return t, err
	}
	_, id := SplitKey(key)
	return nil, Refuse(ENOTFOUND, "e_no_task", id)
}

// isRemoved reports whether key names a removed task.
func (tx *Tx) isRemoved(key string) bool {
	return tx.tx.Bucket(bktTasksRemoved).Get([]byte(key)) != nil
}

// Archived reports whether t belongs to an archived plan (read-only).
func (t *Task) Archived() bool { return t.archived }

// Ref is how people name t: its ID, qualified with the plan's short name
// when another active plan has a task of the same ID.
func (tx *Tx) Ref(t *Task) string {
	plans, err := tx.Plans()
	if err != nil || t.PlanID == "" {
		return t.ID
	}
	var mine string
	shared := false
	for _, p := range plans {
		if p.ID == t.PlanID {
			mine = p.Name()
			continue
		}
		if p.Active() && tx.tx.Bucket(bktTasks).Get([]byte(p.ID+KeySep+t.ID)) != nil {
			shared = true
		}
	}
	if shared || t.archived {
		return mine + KeySep + t.ID
	}
	return t.ID
}

// PlanTasks returns a plan's tasks, live or archived, in ID order.
func (tx *Tx) PlanTasks(planID string) ([]*Task, error) {
	var out []*Task
	prefix := []byte(planID + KeySep)
	for _, b := range [][]byte{bktTasks, bktTasksArchived} {
		c := tx.tx.Bucket(b).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			t, err := tx.decodeTask(v)
			if err != nil {
				return nil, err
			}
			t.archived = string(b) == string(bktTasksArchived)
			out = append(out, t)
		}
	}
	SortTasks(out)
	return out, nil
}

// PlanSummary is one line of `duban plans` and /plans.
type PlanSummary struct {
	Plan            *Plan
	Tasks, Finished int
	Removed         int
}

// DonePercent is the share of finished tasks, rounded down.
func (s PlanSummary) DonePercent() int {
	if s.Tasks == 0 {
		return 0
	}
	return s.Finished * 100 / s.Tasks
}

// PlanSummaries counts every plan's tasks (and the tasks of no plan, under
// a plan with an empty ID, when there are any).
func (tx *Tx) PlanSummaries() ([]PlanSummary, error) {
	plans, err := tx.Plans()
	if err != nil {
		return nil, err
	}
	byID := map[string]*PlanSummary{}
	out := make([]PlanSummary, len(plans))
	for i, p := range plans {
		out[i].Plan = p
		byID[p.ID] = &out[i]
	}
	var loose *PlanSummary
	count := func(bkt []byte, removed bool) error {
		return tx.tx.Bucket(bkt).ForEach(func(k, v []byte) error {
			plan, _ := SplitKey(string(k))
			s := byID[plan]
			if s == nil {
				if loose == nil {
					loose = &PlanSummary{Plan: &Plan{}}
				}
				s = loose
			}
			if removed {
				s.Removed++
				return nil
			}
			st, err := statusOf(v)
			if err != nil {
				return err
			}
			s.Tasks++
			if st.Finished() {
				s.Finished++
			}
			return nil
		})
	}
	for _, b := range []struct {
		bkt     []byte
		removed bool
	}{{bktTasks, false}, {bktTasksArchived, false}, {bktTasksRemoved, true}} {
		if err := count(b.bkt, b.removed); err != nil {
			return nil, err
		}
	}
	if loose != nil {
		out = append(out, *loose)
	}
	return out, nil
}

// statusOf decodes only as much of a task record as its status needs.
func statusOf(v []byte) (Status, error) {
	t, err := decodeTask(v)
	if err != nil {
		return "", err
	}
	return t.Status, nil
}

// ArchivePlan stops a plan's reminders: its tasks leave every list and
// index and stay readable. It returns how many tasks moved.
func (tx *Tx) ArchivePlan(ref string, by Actor) (*Plan, int, error) {
	return tx.setPlanState(ref, PlanArchived)
}

// ActivatePlan takes a plan out of the archive.
func (tx *Tx) ActivatePlan(ref string, by Actor) (*Plan, int, error) {
	return tx.setPlanState(ref, PlanActive)
}

// setPlanState moves a plan's tasks between the live and archived
// buckets; a plan already in that state is ECONFLICT.
func (tx *Tx) setPlanState(ref string, state PlanState) (*Plan, int, error) {
	p, err := tx.Plan(ref)
	if err != nil {
		return nil, 0, err
	}
	from, to, already := bktTasks, bktTasksArchived, "e_plan_archived"
	if state == PlanActive {
		from, to, already = bktTasksArchived, bktTasks, "e_plan_not_archived"
	}
	if p.Active() == (state == PlanActive) {
		return p, 0, Refuse(ECONFLICT, already, p.Name())
	}
	n, err := tx.movePlanTasks(p.ID, from, to)
	if err != nil {
		return nil, 0, err
	}
	p.State = state
	return p, n, tx.PutPlan(p)
}

func (tx *Tx) movePlanTasks(planID string, from, to []byte) (int, error) {
	moved := prefixed(tx.tx.Bucket(from), []byte(planID+KeySep))
	live := string(to) == string(bktTasks)
	for i, e := range moved {
		if err := tx.interrupted(i); err != nil {
			return 0, err
		}
		t, err := decodeTask(e.v)
		if err != nil {
			return 0, err
		}
		if live {
			err = tx.indexTask(t)
		} else {
			err = tx.unindexTask(t)
		}
		if err != nil {
			return 0, err
		}
		if err := tx.tx.Bucket(from).Delete(e.k); err != nil {
			return 0, err
		}
		if err := tx.tx.Bucket(to).Put(e.k, e.v); err != nil {
			return 0, err
		}
	}
	return len(moved), nil
}

// PlanRemoval says what removing a plan deletes.
type PlanRemoval struct {
	Plan    *Plan
	Tasks   int // live, archived and removed tasks
	History int // history entries
}

// RemovePlan deletes a plan, its tasks (live, archived or removed) and
// their history for good. With dryRun it only counts.
func (tx *Tx) RemovePlan(ref string, dryRun bool) (PlanRemoval, error) {
	p, err := tx.Plan(ref)
	if err != nil {
		return PlanRemoval{}, err
	}
	r := PlanRemoval{Plan: p}
	prefix := []byte(p.ID + KeySep)
	type hit struct {
		bkt []byte
		t   *Task
	}
	var tasks []hit
	for _, b := range [][]byte{bktTasks, bktTasksArchived, bktTasksRemoved} {
		c := tx.tx.Bucket(b).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			t, err := decodeTask(v)
			if err != nil {
				return r, err
			}
			tasks = append(tasks, hit{b, t})
		}
	}
	r.Tasks = len(tasks)
	var hist [][]byte
	c := tx.tx.Bucket(bktHistory).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		hist = append(hist, bytes.Clone(k))
	}
	r.History = len(hist)
	if dryRun {
		return r, nil
	}
	for _, h := range tasks {
		if string(h.bkt) == string(bktTasks) {
			if err := tx.unindexTask(h.t); err != nil {
				return r, err
			}
		}
		if err := tx.tx.Bucket(h.bkt).Delete([]byte(h.t.Key())); err != nil {
			return r, err
		}
	}
	at := tx.tx.Bucket(bktIdxHistAt)
	for _, k := range hist {
		if len(k) < 9 {
			continue
		}
		u, err := decodeHistory(k[len(k)-8:], string(k[:len(k)-9]), tx.tx.Bucket(bktHistory).Get(k))
		if err == nil {
			if err := at.Delete(histAtKey(u.At, u.Key(), u.Seq)); err != nil {
				return r, err
			}
		}
		if err := tx.tx.Bucket(bktHistory).Delete(k); err != nil {
			return r, err
		}
	}
	var exts [][]byte // the plan's tasks' extension requests go too
	if err := tx.tx.Bucket(bktExtensions).ForEach(func(k, v []byte) error {
		e, err := decodeExtension(v)
		if err == nil && strings.HasPrefix(e.TaskID, p.ID+KeySep) {
			exts = append(exts, bytes.Clone(k))
		}
		return err
	}); err != nil {
		return r, err
	}
	for _, k := range exts {
		if err := tx.tx.Bucket(bktExtensions).Delete(k); err != nil {
			return r, err
		}
	}
	tx.plans = nil
	return r, tx.tx.Bucket(bktPlans).Delete([]byte(p.ID))
}

// RemoveTask takes a task out of lists, reminders, digests and exports,
// recording who and why in its history; RestoreTask brings it back.
func (tx *Tx) RemoveTask(ref string, by Actor, reason string) (*Task, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, Refuse(EINVALID, "e_remove_reason")
	}
	t, err := tx.Task(ref)
	if err != nil {
		return nil, err
	}
	if err := CheckText(t.ID, FieldNote, reason, MaxNoteRunes); err != nil {
		return nil, err
	}
	from := bktTasks
	if t.archived {
		from = bktTasksArchived
	} else if err := tx.unindexTask(t); err != nil {
		return nil, err
	}
	v := tx.tx.Bucket(from).Get([]byte(t.Key()))
	if err := tx.tx.Bucket(bktTasksRemoved).Put([]byte(t.Key()), bytes.Clone(v)); err != nil {
		return nil, err
	}
	if err := tx.tx.Bucket(from).Delete([]byte(t.Key())); err != nil {
		return nil, err
	}
	return t, tx.AppendHistory(&HistoryEntry{TaskID: t.ID, PlanID: t.PlanID, At: tx.now, By: by, Kind: "remove", Note: reason})
}

// RemovedTasks lists removed tasks, newest plan first.
func (tx *Tx) RemovedTasks() ([]*Task, error) {
	var out []*Task
	err := tx.tx.Bucket(bktTasksRemoved).ForEach(func(_, v []byte) error {
		t, err := decodeTask(v)
		if err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	SortTasks(out)
	return out, err
}

// RestoreTask brings a removed task back where it was, with its history.
func (tx *Tx) RestoreTask(ref string, by Actor, note string) (*Task, error) {
	key, err := tx.removedKey(ref)
	if err != nil {
		return nil, err
	}
	v := bytes.Clone(tx.tx.Bucket(bktTasksRemoved).Get([]byte(key)))
	t, err := decodeTask(v)
	if err != nil {
		return nil, err
	}
	if tx.bucketOf(key) != nil {
		return nil, Refuse(ECONFLICT, "e_restore_taken", t.ID)
	}
	to := bktTasks
	if p, err := tx.Plan(t.PlanID); err == nil && !p.Active() {
		to = bktTasksArchived
	}
	if err := tx.tx.Bucket(bktTasksRemoved).Delete([]byte(key)); err != nil {
		return nil, err
	}
	if err := tx.tx.Bucket(to).Put([]byte(key), v); err != nil {
		return nil, err
	}
	if string(to) == string(bktTasks) {
		if err := tx.indexTask(t); err != nil {
			return nil, err
		}
	}
	return t, tx.AppendHistory(&HistoryEntry{TaskID: t.ID, PlanID: t.PlanID, At: tx.now, By: by, Kind: "restore", Note: note})
}

// removedKey finds a removed task's key from what a person typed.
func (tx *Tx) removedKey(ref string) (string, error) {
	ref = NormName(strings.TrimSpace(ref))
	b := tx.tx.Bucket(bktTasksRemoved)
	if b.Get([]byte(ref)) != nil {
		return ref, nil
	}
	plans, err := tx.Plans()
	if err != nil {
		return "", err
	}
	if prefix, id := SplitKey(ref); prefix != "" {
		p, err := tx.Plan(prefix)
		if err != nil {
			return "", err
		}
		if b.Get([]byte(p.ID+KeySep+id)) != nil {
			return p.ID + KeySep + id, nil
		}
		return "", Refuse(ENOTFOUND, "e_no_removed_task", ref)
	}
	var hits []string
	for i := len(plans) - 1; i >= 0; i-- {
		if b.Get([]byte(plans[i].ID+KeySep+ref)) != nil {
			hits = append(hits, plans[i].ID+KeySep+ref)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		return "", Refuse(ENOTFOUND, "e_no_removed_task", ref)
	}
	return "", Refuse(ECONFLICT, "e_removed_ambiguous", ref, len(hits), ref)
}

// CarryOver moves the unfinished tasks of plan from into plan to: each
// keeps its history (moved with it) and is marked 结转 (CarriedFrom). An
// ID the new plan already has gets the old plan's short name in front
// (2026-4.1.3). It returns the moved tasks.
func (tx *Tx) CarryOver(from, to string, by Actor) ([]*Task, error) {
	src, err := tx.Plan(from)
	if err != nil {
		return nil, err
	}
	dst, err := tx.Plan(to)
	if err != nil {
		return nil, err
	}
	if src.ID == dst.ID {
		return nil, Refuse(EINVALID, "e_carry_self")
	}
	tasks, err := tx.PlanTasks(src.ID)
	if err != nil {
		return nil, err
	}
	var out []*Task
	for _, t := range tasks {
		if !t.Open() {
			continue
		}
		oldKey := t.Key()
		n := t.Clone()
		n.archived = false
		n.PlanID = dst.ID
		n.CarriedFrom = oldKey
		if tx.bucketOf(n.Key()) != nil || tx.isRemoved(n.Key()) {
			n.ID = src.Name() + "-" + t.ID
			if tx.bucketOf(n.Key()) != nil {
				continue // carried before
			}
		}
		if t.archived {
			if err := tx.tx.Bucket(bktTasksArchived).Delete([]byte(oldKey)); err != nil {
				return nil, err
			}
		} else {
			if err := tx.unindexTask(t); err != nil {
				return nil, err
			}
			if err := tx.tx.Bucket(bktTasks).Delete([]byte(oldKey)); err != nil {
				return nil, err
			}
		}
		if err := tx.moveHistory(oldKey, n.Key()); err != nil {
			return nil, err
		}
		if err := tx.PutTask(n); err != nil {
			return nil, err
		}
		if err := tx.AppendHistory(&HistoryEntry{TaskID: n.ID, PlanID: n.PlanID, At: tx.now, By: by, Kind: "carry_over",
			Changes: []Change{{Field: "plan", Old: src.Name(), New: dst.Name()}}}); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// moveHistory re-keys a task's history entries (and their time index).
func (tx *Tx) moveHistory(oldKey, newKey string) error {
	h := tx.tx.Bucket(bktHistory)
	at := tx.tx.Bucket(bktIdxHistAt)
	prefix := append([]byte(oldKey), 0)
	for _, e := range prefixed(h, prefix) {
		seq := e.k[len(prefix):]
		u, err := decodeHistory(seq, oldKey, e.v)
		if err != nil {
			return err
		}
		if err := at.Delete(histAtKey(u.At, oldKey, u.Seq)); err != nil {
			return err
		}
		if err := at.Put(histAtKey(u.At, newKey, u.Seq), nil); err != nil {
			return err
		}
		if err := h.Delete(e.k); err != nil {
			return err
		}
		if err := h.Put(append(append([]byte(newKey), 0), seq...), e.v); err != nil {
			return err
		}
	}
	return nil
}

// historyKeyOf is the key History reads for ref: the task's key when ref
// names one (live, archived or removed), else ref itself.
func (tx *Tx) historyKeyOf(ref string) string {
	if _, key, err := tx.resolveTask(ref); err == nil {
		return key
	}
	if key, err := tx.removedKey(ref); err == nil {
		return key
	}
	return ref
}

// PlanID is the stable ID of the plan of a year and title: the same
// document imported again finds its plan; another year or title is
// another plan.
func PlanID(year int, title string) string {
	sum := sha256.Sum256([]byte(title))
	return strconv.Itoa(year) + "-" + hex.EncodeToString(sum[:4])
}

// RebasePlan moves a plan read from a document, and its tasks, to another
// year: deadlines keep month and day, and a title that starts with the old
// year names the new one. AddPlan then files it as that year's plan, so
// the old year's plan keeps its tasks.
func RebasePlan(p *Plan, tasks []*Task, year int) {
	from := p.Year
	if from == 0 {
		for _, t := range tasks {
			if !t.Deadline.IsZero() && (from == 0 || t.Deadline.Year() < from) {
				from = t.Deadline.Year()
			}
		}
	}
	if from != 0 && from != year {
		RebaseYear(tasks, from, year)
	}
	// A title that names a year names the plan's.
	if y, rest, ok := strings.Cut(p.Title, vocab.Year); ok && len(y) == 4 && y != strconv.Itoa(year) {
		if n, err := strconv.Atoi(y); err == nil && n >= 2000 && n <= 2100 {
			p.Title = strconv.Itoa(year) + vocab.Year + rest
		}
	}
	p.Year = year
	// Until AddPlan stores it, a plan's ID is its fingerprint.
	p.ID = PlanID(year, p.Title)
	for _, t := range tasks {
		t.PlanID = p.ID
	}
}

// PlaceRow returns an import row as it will be stored, in its plan (see
// ImportTasks): the preview of an import looks tasks up by it.
func (tx *Tx) PlaceRow(t *Task) (*Task, error) { return tx.placeRow(t, tx.importInto) }

// placeRow puts an import row in its plan: a qualified ID (2026/4.1.3)
// names it; a bare ID goes to the active plan that has that task, or, for
// a new task, to the only active plan (into, when given, wins for both).
// It returns the row as it will be stored (t itself is not changed).
func (tx *Tx) placeRow(t *Task, into string) (*Task, error) {
	if prefix, id := SplitKey(t.ID); prefix != "" {
		p, err := tx.Plan(prefix)
		if err != nil {
			return nil, Wrap(err, EINVALID, "e_row_plan", t.ID)
		}
		n := t.Clone()
		n.PlanID, n.ID = p.ID, id
		return n, nil
	}
	if t.PlanID != "" {
		return t, nil
	}
	n := t.Clone()
	if into != "" {
		n.PlanID = into
		return n, nil
	}
	plans, err := tx.Plans()
	if err != nil || len(plans) == 0 {
		return t, err
	}
	bkt, key, err := tx.resolveTask(t.ID)
	switch {
	case err == nil && string(bkt) == string(bktTasks):
		n.PlanID, _ = SplitKey(key)
		return n, nil
	case ErrorCode(err) == ECONFLICT:
		return nil, err
	case tx.tx.Bucket(bktTasks).Get([]byte(t.ID)) != nil:
		return t, nil // a task of no plan
	}
	p, err := tx.Plan("")
	switch {
	case err == nil && p.Example && tx.IsExamplePlan():
		return t, nil // a real list's task never joins the demonstration
	case err != nil:
		return nil, Wrap(err, EINVALID, "e_new_task_plan", t.ID, t.ID)
	}
	n.PlanID = p.ID
	return n, nil
}

// ForExport returns tasks as a list file names them: with more than one
// plan in the file's database, IDs qualified (2026/4.1.3, on copies) so
// that a re-import finds each task's plan; otherwise as they are.
func (tx *Tx) ForExport(tasks []*Task) ([]*Task, error) {
	plans, err := tx.Plans()
	if err != nil || len(plans) < 2 {
		return tasks, err
	}
	out := make([]*Task, len(tasks))
	for i, t := range tasks {
		q := t.Clone()
		q.ID = t.Key()
		out[i] = q
	}
	return out, nil
}
