package listfile_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
	"github.com/xuri/excelize/v2"
)

func newRand() *rand.Rand { return rand.New(rand.NewPCG(2021, 630)) }

func sampleTasks() []*store.Task {
	loc := time.FixedZone("CST", 8*3600)
	return []*store.Task{
		{ID: "4.1.10", Section: "四、深入打好污染防治攻坚战 / (一)精准推进大气污染防治", Text: "完成85家“散乱污”企业整治",
			Lead: "大气环境与应对气候变化处", CoDepts: []string{"执法局", "综合处"}, Deadline: store.NewDate(2021, 6, 30),
			Target: 85, Unit: "家", Status: store.StatusInProgress, Progress: 60, Latest: "已完成51家",
			UpdatedAt: time.Date(2021, 5, 20, 9, 30, 0, 0, loc)},
		{ID: "4.2.1", Text: "=HYPERLINK(\"http://evil\")", Lead: "办公室", Cadence: store.CadenceMonthly,
			Status: store.StatusNotStarted, Latest: "-5 +3 @x"},
		{ID: "4.2.2", Text: "plain", Lead: "执法局", Deadline: store.NewDate(2021, 12, 31),
			Target: 0.5, Unit: "%", Status: store.StatusClosed, Progress: 100},
	}
}

func TestWriteCSV(t *testing.T) {
	data := write(t, listfile.CSV, sampleTasks())
	if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.Errorf("no UTF-8 BOM")
	}
	lines := strings.Split(string(data[3:]), "\r\n")
	want := []string{
		"编号,章节,工作任务,牵头单位,配合单位,完成时限,目标值,计量单位,状态,进度,最新进展,更新时间",
		"4.1.10,四、深入打好污染防治攻坚战 / (一)精准推进大气污染防治,完成85家“散乱污”企业整治,大气环境与应对气候变化处,执法局、综合处,2021-06-30,85,家,推进中,60%,已完成51家,2021-05-20 09:30",
		`4.2.1,,"'=HYPERLINK(""http://evil"")",办公室,,持续推进,,,未开始,0%,'-5 +3 @x,`,
		"4.2.2,,plain,执法局,,2021-12-31,0.5,%,已销号,100%,,",
		"",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), data)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], want[i])
		}
	}
}

func TestWriteXLSX(t *testing.T) {
	data := write(t, listfile.XLSX, sampleTasks())
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != listfile.SheetName {
		t.Errorf("got sheets %v, want [%s]", got, listfile.SheetName)
	}
	s := listfile.SheetName
	for _, tc := range []struct{ axis, want string }{
		{"A1", "编号"}, {"L1", "更新时间"}, {"A2", "4.1.10"}, {"E2", "执法局、综合处"},
		{"F2", "2021-06-30"}, {"J2", "60%"}, {"G2", "85"}, {"C3", `=HYPERLINK("http://evil")`},
		{"F3", "持续推进"}, {"I4", "已销号"}, {"L2", "2021-05-20 09:30"},
	} {
		if got, _ := f.GetCellValue(s, tc.axis); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.axis, got, tc.want)
		}
	}
	// Text, never a formula: the injected HYPERLINK stays inert.
	if formula, _ := f.GetCellFormula(s, "C3"); formula != "" {
		t.Errorf("C3 has formula %q", formula)
	}
	if typ, _ := f.GetCellType(s, "A2"); typ != excelize.CellTypeSharedString {
		t.Errorf("A2 (编号) has type %v, want a string", typ)
	}
	panes, _ := f.GetPanes(s)
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	style, _ := f.GetCellStyle(s, "A1")
	if st, _ := f.GetStyle(style); st == nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header not bold")
	}
	if w, _ := f.GetColWidth(s, "C"); w < 40 {
		t.Errorf("工作任务 column width %v, want wide", w)
	}
	if names := f.GetDefinedName(); len(names) == 0 || !strings.Contains(names[0].RefersTo, "$A$1:$L$4") {
		t.Errorf("no auto filter over A1:L4: %+v", names)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, f := range []listfile.Format{listfile.CSV, listfile.XLSX} {
		t.Run(string(f), func(t *testing.T) {
			t.Run("sample", func(t *testing.T) { checkRoundTrip(t, f, sampleTasks()) })
			for seed := range uint64(5) {
				t.Run(fmt.Sprintf("generated/%d", seed), func(t *testing.T) {
					checkRoundTrip(t, f, genTasks(rand.New(rand.NewPCG(seed, 630)), 200))
				})
			}
			t.Run("every progress", func(t *testing.T) {
				var tasks []*store.Task
				for p := 0; p <= 100; p++ {
					tasks = append(tasks, &store.Task{ID: strings.Repeat("9", p+1), Text: "x", Lead: "办公室",
						Deadline: store.NewDate(2021, 1, 1), Status: store.StatusInProgress, Progress: p})
				}
				checkRoundTrip(t, f, tasks)
			})
			t.Run("empty", func(t *testing.T) { checkRoundTrip(t, f, nil) })
		})
	}
}

// TestRoundTrip_Twice checks export → import → export gives the same bytes
// for CSV, so repeated round-trips cannot drift.
func TestRoundTrip_Twice(t *testing.T) {
	tasks := genTasks(newRand(), 200)
	first := write(t, listfile.CSV, tasks)
	rows := mustRead(t, first, listfile.CSV, opts)
	again := make([]*store.Task, len(rows))
	for i, r := range rows {
		again[i] = r.Task
		again[i].UpdatedAt = tasks[i].UpdatedAt
	}
	if second := write(t, listfile.CSV, again); !bytes.Equal(first, second) {
		t.Errorf("second export differs from the first")
	}
}

// BenchmarkRoundTrip writes and reads back 1,000 tasks, the size of a
// large bureau's list; write and read are also timed apart.
func BenchmarkRoundTrip(b *testing.B) {
	tasks := genTasks(newRand(), 1000)
	for _, f := range []listfile.Format{listfile.CSV, listfile.XLSX} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				data := write(b, f, tasks)
				if rows := mustRead(b, data, f, opts); len(rows) != len(tasks) {
					b.Fatalf("got %d rows", len(rows))
				}
			}
		})
		b.Run(string(f)+"/write", func(b *testing.B) {
			for b.Loop() {
				write(b, f, tasks)
			}
		})
		b.Run(string(f)+"/read", func(b *testing.B) {
			data := write(b, f, tasks)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				mustRead(b, data, f, opts)
			}
		})
	}
}
