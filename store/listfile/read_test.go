package listfile_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func TestFormatOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		want listfile.Format
		err  string
	}{
		{"清单.csv", listfile.CSV, ""},
		{"清单.CSV", listfile.CSV, ""},
		{"/tmp/list.xlsx", listfile.XLSX, ""},
		{"清单.xls", "", "旧版"},
		{"清单.pdf", "", "不支持 .pdf"},
		{"清单", "", "无法识别文件类型"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := listfile.FormatOf(tc.name)
			if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("got %q, %v; want %q, error containing %q", got, err, tc.want, tc.err)
			}
		})
	}
}

func TestRead_Deadline(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    store.Date
		cadence store.Cadence
	}{
		{"2021-06-30", store.NewDate(2021, 6, 30), ""},
		{"2021/6/30", store.NewDate(2021, 6, 30), ""},
		{"2021年6月30日", store.NewDate(2021, 6, 30), ""},
		{"6月30日", store.NewDate(2021, 6, 30), ""},
		{"6月底前", store.NewDate(2021, 6, 30), ""},
		{"6月底", store.NewDate(2021, 6, 30), ""},
		{"六月底", store.NewDate(2021, 6, 30), ""},
		{"上半年", store.NewDate(2021, 6, 30), ""},
		{"下半年", store.NewDate(2021, 12, 31), ""},
		{"三季度末", store.NewDate(2021, 9, 30), ""},
		{"年底前", store.NewDate(2021, 12, 31), ""},
		{"年内", store.NewDate(2021, 12, 31), ""},
		{"全年", store.NewDate(2021, 12, 31), ""},
		{"持续推进", 0, store.CadenceMonthly},
		{"44377", store.NewDate(2021, 6, 30), ""}, // Excel serial pasted as a value
		{" 2021-06-30 ", store.NewDate(2021, 6, 30), ""},
		{"2021-06-30 00:00:00", store.NewDate(2021, 6, 30), ""},
		{"2021/6/30 0:00", store.NewDate(2021, 6, 30), ""},
		{"2021-06-30T00:00:00Z", store.NewDate(2021, 6, 30), ""},
		{"三季度", store.NewDate(2021, 9, 30), ""},
		{"2022年底前", store.NewDate(2022, 12, 31), ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			data := csvBytes(t, [][]string{
				{"编号", "工作任务", "牵头单位", "完成时限"},
				{"1.1.1", "任务", "办公室", tc.in},
			})
			rows := mustRead(t, data, listfile.CSV, opts)
			if got := rows[0].Task; got.Deadline != tc.want || got.Cadence != tc.cadence {
				t.Errorf("got %v %q, want %v %q", got.Deadline, got.Cadence, tc.want, tc.cadence)
			}
		})
	}
}

func TestRead_EnglishHeaders(t *testing.T) {
	data := csvBytes(t, [][]string{
		{"Status", "ID", "Section", "Task", "Lead Department", "co-departments", "Due", "TARGET", "unit", "Progress", "Note", "Updated", "备注"},
		{"In Progress", "4.1.10", "四、攻坚", "完成85家", "执法局", "办公室, 综合处；执法局", "6月底前", "1,085", "家", "60%", "已完成一半", "2021-03-01 10:00", "x"},
		{"done", "4.1.11", "", "任务", "办公室", "", "2021-12-31", "", "", "0.6", "", "", ""},
	})
	rows := mustRead(t, data, listfile.CSV, opts)
	want := []carried{
		{ID: "4.1.10", Section: "四、攻坚", Text: "完成85家", Lead: "执法局", Co: "办公室|综合处",
			Deadline: store.NewDate(2021, 6, 30), Target: 1085, Unit: "家",
			Status: store.StatusInProgress, Progress: 60, Latest: "已完成一半"},
		{ID: "4.1.11", Text: "任务", Lead: "办公室", Deadline: store.NewDate(2021, 12, 31),
			Status: store.StatusDone, Progress: 60},
	}
	for i, w := range want {
		if got := carry(rows[i].Task); got != w {
			t.Errorf("row %d:\n got %#v\nwant %#v", i, got, w)
		}
	}
	if got := sortedKeys(rows[0].Columns); len(got) != 12 {
		t.Errorf("got columns %v, want all 12", got)
	}
}

func TestRead_ColumnsPresent(t *testing.T) {
	data := csvBytes(t, [][]string{
		{"工作任务", "完成时限", "编号", "牵头单位", "进度"},
		{"任务", "年底前", "1", "办公室", ""},
	})
	rows := mustRead(t, data, listfile.CSV, opts)
	got := strings.Join(sortedKeys(rows[0].Columns), ",")
	want := strings.Join(sortedKeys(map[string]bool{"编号": true, "工作任务": true, "牵头单位": true, "完成时限": true, "进度": true}), ",")
	if got != want {
		t.Errorf("got columns %s, want %s", got, want)
	}
	if task := rows[0].Task; task.Status != store.StatusNotStarted || task.Progress != 0 {
		t.Errorf("got status %q progress %d, want not_started 0", task.Status, task.Progress)
	}
}

func TestRead_Encodings(t *testing.T) {
	const text = "编号,工作任务,牵头单位,配合单位,完成时限,状态\r\n" +
		"4.1.1,\"完成85家\"\"散乱污\"\"企业整治，\n含换行\",大气环境与应对气候变化处,执法局、综合处,6月底前,推进中\r\n" +
		"\r\n" +
		"4.1.2,开展六五环境日宣传,办公室,,2021年6月5日,未开始\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(text, ",", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data string
	}{
		{"UTF-8", text},
		{"UTF-8 BOM", "\ufeff" + text},
		{"GBK", gbk},
		{"UTF-16 tab", utf16},
		{"LF", strings.ReplaceAll(text, "\r\n", "\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := mustRead(t, []byte(tc.data), listfile.CSV, opts)
			if len(rows) != 2 {
				t.Fatalf("got %d rows, want 2", len(rows))
			}
			want := carried{ID: "4.1.1", Text: "完成85家\"散乱污\"企业整治，\n含换行", Lead: "大气环境与应对气候变化处",
				Co: "执法局|综合处", Deadline: store.NewDate(2021, 6, 30), Status: store.StatusInProgress}
			if got := carry(rows[0].Task); got != want {
				t.Errorf("got %#v\nwant %#v", got, want)
			}
			// The quoted cell spans two lines and a blank row follows: Excel
			// shows the second task on row 4.
			if rows[0].Line != 2 || rows[1].Line != 4 {
				t.Errorf("got lines %d, %d; want 2, 4", rows[0].Line, rows[1].Line)
			}
			if rows[1].Task.ID != "4.1.2" || rows[1].Task.Deadline != store.NewDate(2021, 6, 5) {
				t.Errorf("got %+v", rows[1].Task)
			}
		})
	}
}

func TestRead_RowErrors(t *testing.T) {
	data := csvBytes(t, [][]string{
		{"编号", "工作任务", "牵头单位", "配合单位", "完成时限", "目标值", "进度", "状态"},
		{"1.1", "任务A", "办公室", "", "6月底前", "", "", ""},
		{"1.2", "", "大气处", "", "6月底", "", "", ""},
		{"", "", "", "", "", "", "", ""},
		{"1.1", "任务C", "办公室", "综合处、外星处", "明年", "85家", "150%", "半完成"},
		{"", "任务D", "办公室", "", "年底前", "-3", "-1", "done"},
		{"1.5", "任务E", "", "", "2021-02-30", "", "abc", ""},
		{"1.6", "任务F", "执法局", "", "", "", "", ""},
	})
	_, err := listfile.Read(bytes.NewReader(data), listfile.CSV, opts)
	want := []listfile.RowError{
		{Line: 3, Field: "工作任务", Reason: "工作任务为空"},
		{Line: 3, Field: "牵头单位", Reason: "未知单位“大气处”（是否为“大气环境与应对气候变化处”？）"},
		{Line: 5, Field: "编号", Reason: "编号“1.1”重复（第2行已有）"},
		{Line: 5, Field: "配合单位", Reason: "未知单位“外星处”"},
		{Line: 5, Field: "完成时限", Reason: "无法识别的完成时限"},
		{Line: 5, Field: "目标值", Reason: "目标值“85家”不是数字"},
		{Line: 5, Field: "进度", Reason: "进度“150%”应为 0 到 100 之间的数"},
		{Line: 5, Field: "状态", Reason: "无法识别的状态“半完成”"},
		{Line: 6, Field: "编号", Reason: "编号为空"},
		{Line: 6, Field: "目标值", Reason: "目标值“-3”不能为负数"},
		{Line: 6, Field: "进度", Reason: "进度“-1”应为"},
		{Line: 7, Field: "牵头单位", Reason: "牵头单位为空"},
		{Line: 7, Field: "完成时限", Reason: "日期不存在"},
		{Line: 7, Field: "进度", Reason: "进度“abc”应为"},
		{Line: 8, Field: "完成时限", Reason: "完成时限为空"},
	}
	got := rowErrors(t, err)
	if len(got) != len(want) {
		t.Errorf("got %d errors, want %d:\n%v", len(got), len(want), err)
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if g.Line != w.Line || g.Field != w.Field || !strings.HasPrefix(g.Reason, w.Reason) {
			t.Errorf("error %d: got %v, want %v…", i, g, w)
		}
	}
	msg := err.Error()
	for _, s := range []string{"责任清单有 15 处错误，未导入任何任务", "\n第3行 牵头单位: 未知单位“大气处”", "\n第8行 完成时限: 完成时限为空"} {
		if !strings.Contains(msg, s) {
			t.Errorf("message lacks %q:\n%s", s, msg)
		}
	}
}

func TestRead_HeaderErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		want   []listfile.RowError
	}{
		{"missing", []string{"编号", "章节", "状态"}, []listfile.RowError{
			{Line: 1, Field: "表头", Reason: "缺少必需的列: 工作任务、牵头单位、完成时限"}}},
		{"duplicate", []string{"编号", "ID", "工作任务", "牵头单位", "完成时限"}, []listfile.RowError{
			{Line: 1, Field: "表头", Reason: "列“编号”出现了两次（第A列和第B列）"}}},
		{"not a list", []string{"姓名", "电话"}, []listfile.RowError{
			{Line: 1, Field: "表头", Reason: "缺少必需的列: 编号、工作任务、牵头单位、完成时限"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := csvBytes(t, [][]string{tc.header, make([]string, len(tc.header))})
			_, err := listfile.Read(bytes.NewReader(data), listfile.CSV, opts)
			got := rowErrors(t, err)
			if len(got) != len(tc.want) || got[0] != tc.want[0] {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRead_NoDepartmentCheck(t *testing.T) {
	data := csvBytes(t, [][]string{{"编号", "工作任务", "牵头单位", "完成时限"}, {"1", "x", "随便什么处", "年内"}})
	rows := mustRead(t, data, listfile.CSV, listfile.Options{Year: 2022})
	if got := rows[0].Task; got.Lead != "随便什么处" || got.Deadline != store.NewDate(2022, 12, 31) {
		t.Errorf("got %+v", got)
	}
}

func TestRead_TitleRowAndSemicolons(t *testing.T) {
	data := []byte("2021年大连市生态环境局责任清单\n\n编号;工作任务;牵头单位;完成时限\n1;任务, 含逗号;办公室;年底前\n")
	rows := mustRead(t, data, listfile.CSV, opts)
	if len(rows) != 1 || rows[0].Line != 4 || rows[0].Task.Text != "任务, 含逗号" {
		t.Errorf("got %+v", rows)
	}
}

func TestError_ManyRows(t *testing.T) {
	recs := [][]string{{"编号", "工作任务", "牵头单位", "完成时限"}}
	for range 60 {
		recs = append(recs, []string{"", "任务", "办公室", "年底前"})
	}
	_, err := listfile.Read(bytes.NewReader(csvBytes(t, recs)), listfile.CSV, opts)
	if got := rowErrors(t, err); len(got) != 60 || got[59].Line != 61 {
		t.Fatalf("got %d errors", len(got))
	}
	msg := err.Error()
	if n := strings.Count(msg, "\n"); n != 51 || !strings.HasSuffix(msg, "……另有 10 处错误") {
		t.Errorf("got %d lines:\n%s", n, msg)
	}
}

func TestRead_Limits(t *testing.T) {
	data := csvBytes(t, [][]string{{"编号", "工作任务", "牵头单位", "完成时限"}})
	if _, err := listfile.Read(bytes.NewReader(data), listfile.CSV, listfile.Options{}); err == nil {
		t.Errorf("Read without Options.Year: got no error")
	}
	var fe *listfile.FileError
	_, err := listfile.Read(endless{}, listfile.CSV, opts)
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "文件过大") {
		t.Errorf("endless input: got %v, want 文件过大", err)
	}
}

// endless is an input that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestRead_HeaderOnly(t *testing.T) {
	data := csvBytes(t, [][]string{{"编号", "工作任务", "牵头单位", "完成时限"}})
	if rows := mustRead(t, data, listfile.CSV, opts); len(rows) != 0 {
		t.Errorf("got %d rows, want 0", len(rows))
	}
}

func TestRead_NotAList(t *testing.T) {
	truncated := write(t, listfile.XLSX, genTasks(newRand(), 20))
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 250}, 64)...)
	for _, tc := range []struct {
		name   string
		data   []byte
		format listfile.Format
		want   string
	}{
		{"empty csv", nil, listfile.CSV, "文件是空的"},
		{"blank csv", []byte("\r\n , ,\r\n"), listfile.CSV, "文件是空的"},
		{"png as csv", png, listfile.CSV, "无法读取 CSV 文件"},
		{"bad GBK", []byte("编号\x81\x20\xff"), listfile.CSV, "无法识别文件编码"},
		{"bad BOM UTF-8", []byte("\xef\xbb\xbf\xff\xfe,a"), listfile.CSV, "不是有效的 UTF-8"},
		{"png as xlsx", png, listfile.XLSX, "无法读取 XLSX 文件: 文件已损坏或不完整"},
		{"text as xlsx", []byte("编号,工作任务"), listfile.XLSX, "无法读取 XLSX 文件: 文件已损坏或不完整"},
		{"empty xlsx", nil, listfile.XLSX, "无法读取 XLSX 文件: 文件已损坏或不完整"},
		{"truncated xlsx", truncated[:len(truncated)/2], listfile.XLSX, "无法读取 XLSX 文件: 文件已损坏或不完整"},
		{"truncated xlsx as csv", truncated[:len(truncated)/2], listfile.CSV, "无法读取 XLSX 文件: 文件已损坏或不完整"},
		{"xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), listfile.XLSX, "旧版 .xls"},
		{"unknown format", []byte("x"), listfile.Format("pdf"), "不支持的文件格式"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := listfile.Read(bytes.NewReader(tc.data), tc.format, opts)
			var fe *listfile.FileError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) || rows != nil {
				t.Errorf("got %d rows, error %v (%T); want *FileError containing %q", len(rows), err, err, tc.want)
			}
		})
	}
}
