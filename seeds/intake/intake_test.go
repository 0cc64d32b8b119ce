package intake_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
)

var cst = time.FixedZone("CST", 8*3600)

// t0 is when the task was created (and exported); the contact's change
// comes two hours later.
var t0 = time.Date(2026, 11, 30, 9, 20, 30, 0, cst)

const lead = "大气环境与应对气候变化处"

// fixture is a database holding task 4.1.3, created at t0 and moved to 80%
// by a contact at change.
type fixture struct {
	t   *testing.T
	db  *store.DB
	now time.Time
}

func newFixture(t *testing.T, change time.Time) *fixture {
	t.Helper()
	f := &fixture{t: t, now: t0}
	db, err := store.Open(filepath.Join(t.TempDir(), "d.db"), store.Options{Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Check(); err != nil {
			t.Error(err)
		}
		db.Close()
	})
	f.db = db
	f.update(func(tx *store.Tx) error {
		for _, d := range []string{lead, "办公室"} {
			if err := tx.AddDepartment(d); err != nil {
				return err
			}
		}
		_, err := f.read(tx, "编号,工作任务,牵头单位,完成时限\n4.1.3,完成85家企业整治。,"+lead+",2026-12-31\n").
			Apply(tx, intake.ApplyOptions{By: store.Actor{Via: "cli"}})
		return err
	})
	f.now = change
	f.update(func(tx *store.Tx) error {
		task, err := tx.Task("4.1.3")
		if err != nil {
			return err
		}
		task.Progress, task.Status, task.Latest = 80, store.StatusInProgress, "已完成初稿"
		_, err = tx.SaveTask(task, store.Actor{Via: "telegram", Name: "联络员甲"}, "progress", "")
		return err
	})
	f.now = change.Add(time.Hour)
	return f
}

func (f *fixture) update(fn func(tx *store.Tx) error) {
	f.t.Helper()
	if err := f.db.Update(fn); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) read(tx *store.Tx, csv string) *intake.Import {
	f.t.Helper()
	im, err := intake.Read(tx, "清单.csv", []byte(csv), intake.Options{Loc: cst})
	if err != nil {
		f.t.Fatal(err)
	}
	return im
}

// row is a list with 4.1.3 at progress p and 更新时间 at ("" for none).
func row(p int, latest, at string) string {
	return "编号,工作任务,牵头单位,完成时限,进度,最新进展,更新时间\n4.1.3,完成85家企业整治。," + lead + ",2026-12-31," +
		fmt.Sprint(p) + "%," + latest + "," + at + "\n"
}

func TestPreview_Conflicts(t *testing.T) {
	later := t0.Add(2 * time.Hour)         // the change, in a later minute than the export
	sameMinute := t0.Add(20 * time.Second) // 09:20:50, the minute the export shows
	for _, tc := range []struct {
		name     string
		change   time.Time
		csv      string
		conflict []string // conflicting fields
		updated  bool
	}{
		{"OldExportRevertsProgress", later, row(0, "", "2026-11-30 09:20"), []string{"progress", "latest"}, false},
		{"OldExportEditedProgress", later, row(30, "已完成初稿", "2026-11-30 09:20"), []string{"progress"}, false},
		{"ExcelDateForm", later, row(0, "", "2026/11/30 9:20"), []string{"progress", "latest"}, false},
		{"OnlyFieldsNotChangedSince", later, strings.Replace(row(80, "已完成初稿", "2026-11-30 09:20"), "2026-12-31", "2026-10-31", 2), nil, true},
		{"NoUpdatedColumn", later, "编号,工作任务,牵头单位,完成时限,进度\n4.1.3,完成85家企业整治。," + lead + ",2026-12-31,0%\n", nil, true},
		{"EmptyUpdatedCell", later, row(0, "", ""), nil, true},
		{"ExportAfterTheChange", later, row(50, "已完成初稿", "2026-11-30 11:20"), nil, true},
		{"SameMinuteFileShowsReplacedValue", sameMinute, row(0, "", "2026-11-30 09:20"), []string{"progress", "latest"}, false},
		{"SameMinuteFileEditedOnward", sameMinute, row(90, "已完成初稿", "2026-11-30 09:20"), nil, true},
		{"Unchanged", later, row(80, "已完成初稿", "2026-11-30 09:20"), nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.change)
			f.db.View(func(tx *store.Tx) error {
				r, err := f.read(tx, tc.csv).Preview(tx)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, c := range r.Conflicts {
					for _, fc := range c.Fields {
						got = append(got, fc.Field)
						if fc.Field == "progress" && (fc.File != "0" && fc.File != "30" || fc.DB != "80" || fc.By.Name != "联络员甲" || !fc.At.Equal(tc.change)) {
							t.Errorf("progress conflict = %+v, want file 0, database 80, by 联络员甲 at %v", fc, tc.change)
						}
					}
				}
				if strings.Join(got, ",") != strings.Join(tc.conflict, ",") {
					t.Errorf("conflicting fields %v, want %v", got, tc.conflict)
				}
				if (len(r.Updated) == 1) != tc.updated {
					t.Errorf("updated %d tasks, want %v (report %+v)", len(r.Updated), tc.updated, r)
				}
				return nil
			})
		})
	}
}

func TestApply_ConflictsHeldUnlessForced(t *testing.T) {
	csv := row(0, "", "2026-11-30 09:20")
	f := newFixture(t, t0.Add(2*time.Hour))
	progress := func() (int, string) {
		var p int
		var kind string
		f.db.View(func(tx *store.Tx) error {
			task, _ := tx.Task("4.1.3")
			hist, _ := tx.History("4.1.3")
			p, kind = task.Progress, hist[len(hist)-1].Kind
			return nil
		})
		return p, kind
	}
	for _, tc := range []struct {
		name      string
		opt       intake.ApplyOptions
		progress  int
		kind      string
		conflicts int
	}{
		{"Plain", intake.ApplyOptions{}, 80, "progress", 1},
		{"ForceOtherIDs", intake.ApplyOptions{Force: true, ForceOnly: []string{"9.9.9"}}, 80, "progress", 1},
		{"Force", intake.ApplyOptions{Force: true}, 0, intake.KindForced, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r *intake.Report
			f.update(func(tx *store.Tx) (err error) {
				r, err = f.read(tx, csv).Apply(tx, tc.opt)
				return err
			})
			if p, kind := progress(); p != tc.progress || kind != tc.kind || len(r.Conflicts) != tc.conflicts {
				t.Errorf("4.1.3 at %d%%, last entry %q, %d conflicts left; want %d%%, %q, %d", p, kind, len(r.Conflicts), tc.progress, tc.kind, tc.conflicts)
			}
		})
	}
}

// words is a catalogue that shows keys and arguments.
type words struct{}

func (words) T(key string, args ...any) string {
	if len(args) == 0 {
		return "[" + key + "]"
	}
	return fmt.Sprint(append([]any{"[" + key}, append(args, "]")...)...)
}
func (words) Field(f string) string        { return f }
func (words) Status(s store.Status) string { return string(s) }

func TestRender_CapsLines(t *testing.T) {
	r := &intake.Report{}
	for i := range 5 {
		r.Created = append(r.Created, &store.Task{ID: fmt.Sprintf("1.1.%d", i+1), Text: "很长的任务文字，超出截断的长度。"})
	}
	got := intake.Render(words{}, r, intake.RenderOptions{Max: 2, Cut: 4})
	want := "[intake_created5]\n1.1.1 很长的任…\n1.1.2 很长的任…\n[intake_more3]"
	if got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
	if all := intake.Render(words{}, r, intake.RenderOptions{}); strings.Count(all, "\n") != 5 || strings.Contains(all, "intake_more") {
		t.Errorf("Render without a cap = %q, want all 5 lines", all)
	}
}
