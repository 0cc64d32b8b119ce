package schedule

import (
	"github.com/duban-bureau/duban/schedule/lang"
	"sort"
	"time"

	"github.com/duban-bureau/duban/store"
)

// streamDigest builds the digest holding only what it shows: the open
// tasks stream through the builder, the week's history through a map of
// the tasks it finished (ID → when), and of those only the latest Lines
// are kept with their text.
func streamDigest(tx *store.Tx, s Snapshot, prev *DigestStats, now time.Time) (Digest, error) {
	b := newDigestBuilder(s, now, prev)
	if err := tx.EachOpenTask(b.add); err != nil {
		return Digest{}, err
	}
	now = now.In(s.loc())
	since := now.Add(-7 * 24 * time.Hour)
	latest := map[string]time.Time{}
	err := tx.EachHistorySince(since, func(u store.HistoryEntry) error {
		if u.At.After(now) || !u.At.After(since) || !finishes(u) {
			return nil
		}
		if at, ok := latest[u.Key()]; !ok || u.At.After(at) {
			latest[u.Key()] = u.At
		}
		return nil
	})
	if err != nil {
		return Digest{}, err
	}
	recent := topN{n: b.d.Lines, less: func(a, b DigestItem) bool { return a.Date > b.Date }}
	ids := make([]string, 0, len(latest))
	for id := range latest {
		ids = append(ids, id)
	}
	sort.Strings(ids)                                    // key order: neighbouring records share pages
	err = tx.EachTaskOf(ids, func(t *store.Task) error { // a deleted task is skipped
		if !t.Open() { // a reopened one is not a completion
			recent.add(DigestItem{ID: t.ID, Text: t.Text, Dept: t.Lead, Status: t.Status, Light: store.LightGreen,
				Date: store.DateOf(latest[t.Key()].In(s.loc()))})
		}
		return nil
	})
	if err != nil {
		return Digest{}, err
	}
	shown := append([]DigestItem(nil), recent.items...)
	sortItems(shown, func(a, b DigestItem) bool { return a.Date < b.Date })
	return b.finishWith(shown, recent.count), nil
}

// LoadDigestSnapshot is LoadSnapshot without the open tasks: BuildDigestTx
// then streams them from the store one at a time, so the digest over
// 100,000 tasks is built in memory bounded by what it shows.
func LoadDigestSnapshot(tx *store.Tx, p Policy, admins []int64, lang lang.Lang, loc *time.Location) (Snapshot, error) {
	s, err := loadSnapshot(tx, admins, lang, loc, func(store.Date) bool { return false }, true)
	if err != nil {
		return s, err
	}
	s.Finished = tx.FinishedByLead()
	s.Lights, s.DigestLines, s.streamTasks = p.Lights, p.DigestLines, true
	return s, nil
}
