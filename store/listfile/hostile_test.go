package listfile_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
	"github.com/duban-bureau/duban/store/storetest"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestRead_WideXLSX is issue 9's poison file: rows padded with one valued
// cell in column XFD. It is refused with one sentence naming the column and
// the limit, after reading only the first row.
func TestRead_WideXLSX(t *testing.T) {
	data := storetest.WideXLSX(4000, false)
	if len(data) > 128<<10 {
		t.Fatalf("hostile file is %d bytes, want a small upload", len(data))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := listfile.Read(bytes.NewReader(data), listfile.XLSX, listfile.Options{Year: 2021})
	runtime.ReadMemStats(&after)
	var fe *listfile.FileError
	if !errors.As(err, &fe) {
		t.Fatalf("Read = %v, want a FileError", err)
	}
	for _, want := range []string{"XFD", "64 列"} {
		if !strings.Contains(fe.Msg, want) {
			t.Errorf("refusal %q does not say %q", fe.Msg, want)
		}
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("refusing a 35 KB file allocated %d MB", got>>20)
	}
}

// TestRead_WideEmptyXLSX: empty styled cells far right (as LibreOffice
// writes them) are not content; the list is read.
func TestRead_WideEmptyXLSX(t *testing.T) {
	rows, err := listfile.Read(bytes.NewReader(storetest.WideXLSX(50, true)), listfile.XLSX, listfile.Options{Year: 2021})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(rows) != 50 || rows[0].Task.ID != "9.1.3" {
		t.Fatalf("got %d rows (first %+v), want 50", len(rows), rows[0].Task)
	}
}

// TestRead_TooManyRows: a sheet declaring or using more rows than the
// limit is refused with the limit in the message.
func TestRead_TooManyRows(t *testing.T) {
	t.Run("xlsx", func(t *testing.T) {
		data := storetest.FarRowXLSX(store.MaxTasks + 100)
		_, err := listfile.Read(bytes.NewReader(data), listfile.XLSX, opts)
		if err == nil || !strings.Contains(err.Error(), "100000") {
			t.Fatalf("Read = %v, want the row limit", err)
		}
	})
	t.Run("csv", func(t *testing.T) {
		// The chat's smaller limit, which the CSV reader applies as it reads.
		var b strings.Builder
		b.WriteString("编号,工作任务,牵头单位,完成时限\n")
		for i := 0; i <= 500; i++ {
			fmt.Fprintf(&b, "%d,x,办公室,年底前\n", i)
		}
		o := opts
		o.MaxRows = 500
		_, err := listfile.Read(strings.NewReader(b.String()), listfile.CSV, o)
		if err == nil || !strings.Contains(err.Error(), "500 项") {
			t.Fatalf("Read = %v, want the row limit", err)
		}
		o.MaxRows = 501
		if _, err := listfile.Read(strings.NewReader(b.String()), listfile.CSV, o); err != nil {
			t.Fatalf("Read at the limit: %v", err)
		}
	})
}

// TestRead_HostileValues: values that would break the round trip are
// refused with their row and column, whatever the file format.
func TestRead_HostileValues(t *testing.T) {
	long := strings.Repeat("很", store.MaxTextRunes+1)
	cases := []struct {
		name, col, value, want string
	}{
		{"NUL in a note", "最新进展", "进展\x00顺利", "控制字符"},
		{"ESC in a text", "工作任务", "任务\x1b[31m", "控制字符"},
		{"U+0001", "工作任务", "任务\x01", "控制字符"},
		{"bidi override", "工作任务", "任务\u202e甲乙", "不可见字符"},
		{"zero-width space in ID", "编号", "4.1\u200b.3", "不可见字符"},
		{"BOM in ID", "编号", "\ufeff4.1.3", "不可见字符"},
		{"zero-width joiner in lead", "牵头单位", "办公\u200d室", "不可见字符"},
		{"year 9999", "完成时限", "9999-12-31", "2000–2100"},
		{"year 0000", "完成时限", "0000-01-01", "2000–2100"},
		{"infinite target", "目标值", "1e400", "目标值"},
		{"huge target", "目标值", "1e300", "有限数"},
		{"text at the limit", "工作任务", long, "2000 个字符"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			head := []string{"编号", "工作任务", "牵头单位", "完成时限", "目标值", "最新进展"}
			row := []string{"4.1.3", "任务", "办公室", "年底前", "", ""}
			for i, h := range head {
				if h == c.col {
					row[i] = c.value
				}
			}
			for _, f := range []listfile.Format{listfile.CSV, listfile.XLSX} {
				var data []byte
				if f == listfile.CSV {
					data = csvBytes(t, [][]string{head, row})
				} else {
					data = xlsxBytes(t, func(x *excelize.File) { setRows(t, x, "Sheet1", [][]string{head, row}) })
				}
				rows, err := listfile.Read(bytes.NewReader(data), f, opts)
				var fe *listfile.FileError
				if f == listfile.CSV && c.want == "控制字符" && errors.As(err, &fe) {
					continue // a CSV with control characters is refused as binary, before any row
				}
				if f == listfile.XLSX && c.want == "控制字符" && err == nil {
					// excelize drops characters XML cannot carry when writing
					// the test file; what came back must be clean.
					if got := rows[0].Task; strings.ContainsAny(got.Text+got.Latest, "\x00\x01\x1b") {
						t.Errorf("xlsx: control character imported: %q %q", got.Text, got.Latest)
					}
					continue
				}
				var le *listfile.Error
				if !errors.As(err, &le) {
					t.Fatalf("%s: Read = %v, want row errors", f, err)
				}
				if got := le.Rows[0]; got.Line != 2 || got.Field != c.col || !strings.Contains(got.Reason, c.want) {
					t.Errorf("%s: got %v, want row 2 %s: …%s…", f, got, c.col, c.want)
				}
			}
		})
	}
}

// TestRead_XLSXEscapes: _x0000_ in a shared string decodes to NUL, which
// the validation layer refuses rather than importing text XLSX cannot
// write back.
func TestRead_XLSXEscapes(t *testing.T) {
	data := xlsxBytes(t, func(x *excelize.File) {
		setRows(t, x, "Sheet1", [][]string{{"编号", "工作任务", "牵头单位", "完成时限", "最新进展"}})
		must(t, x.SetCellStr("Sheet1", "A2", "4.1.3"))
		must(t, x.SetCellStr("Sheet1", "B2", "任务"))
		must(t, x.SetCellStr("Sheet1", "C2", "办公室"))
		must(t, x.SetCellStr("Sheet1", "D2", "年底前"))
		must(t, x.SetCellStr("Sheet1", "E2", "进展_x0000_顺利_x001B_"))
	})
	_, err := listfile.Read(bytes.NewReader(data), listfile.XLSX, opts)
	var le *listfile.Error
	if !errors.As(err, &le) || le.Rows[0].Field != listfile.ColLatest || !strings.Contains(le.Rows[0].Reason, "控制字符") {
		t.Fatalf("Read = %v, want 最新进展 refused for a control character", err)
	}
}

// TestRead_FullWidthNames: IDs and department names are NFKC-normalised,
// and a known department matches whatever width it was typed in.
func TestRead_FullWidthNames(t *testing.T) {
	data := csvBytes(t, [][]string{{"编号", "工作任务", "牵头单位", "完成时限"}, {"４.１.３", "任务", "办公室", "年底前"}})
	rows := mustRead(t, data, listfile.CSV, opts)
	if rows[0].Task.ID != "4.1.3" {
		t.Errorf("ID = %q, want 4.1.3", rows[0].Task.ID)
	}
}

// BenchmarkReadWideXLSX previews the worst file of issue 9 (4,000 rows,
// each padded to column XFD). peak-rss-MB is the process's peak resident
// set (getrusage), an upper bound for the preview itself.
func BenchmarkReadWideXLSX(b *testing.B) {
	data := storetest.WideXLSX(4000, false)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := listfile.Read(bytes.NewReader(data), listfile.XLSX, listfile.Options{Year: 2021}); err == nil {
			b.Fatal("the hostile file was accepted")
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MB")
	}
}

// TestRead_CSVControlCharacter: one U+0001 or ESC in a cell of an
// otherwise good CSV (GBK or UTF-8) was refused as "文件含有二进制内容" with
// no row; the refusal now names the line and the character.
func TestRead_CSVControlCharacter(t *testing.T) {
	head := "编号,工作任务,牵头单位,完成时限\n9.1,任务一,办公室,2026-12-31\n"
	for name, data := range map[string][]byte{
		"utf8": []byte(head + "9.2,任务\x01二,办公室,2026-12-31\n"),
		"gbk":  gbk(t, head+"9.2,任务\x1b二,办公室,2026-12-31\n"),
	} {
		_, err := listfile.Read(bytes.NewReader(data), listfile.CSV, listfile.Options{Year: 2026})
		var fe *listfile.FileError
		if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "第3行") || !strings.Contains(fe.Msg, "控制字符") {
			t.Errorf("%s: Read = %v, want a refusal naming line 3 and the control character", name, err)
		}
	}
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRead_HugeCellXLSX: one cell holding a 24 MB string (a 25 KB upload;
// Excel itself stops at 32,767 characters) took 900 MB and 18 s to
// refuse, as a shared string or an inline one. It is refused while the
// part streams, with one sentence naming the limit.
func TestRead_HugeCellXLSX(t *testing.T) {
	huge := strings.Repeat("督", 8<<20) // 24 MB of UTF-8
	f := excelize.NewFile()
	for i, h := range []string{"编号", "工作任务", "牵头单位", "完成时限"} {
		c, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue("Sheet1", c, h)
	}
	f.SetCellValue("Sheet1", "A2", "9.1.1")
	f.SetCellValue("Sheet1", "B2", "PLACEHOLDER")
	var base bytes.Buffer
	if err := f.Write(&base); err != nil {
		t.Fatal(err)
	}
	inline := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c><c r="B1" t="inlineStr"><is><t>` + huge +
		`</t></is></c></row></sheetData></worksheet>`
	for name, data := range map[string][]byte{
		"shared": rewritePart(t, base.Bytes(), "xl/sharedStrings.xml", func(s string) string { return strings.Replace(s, "PLACEHOLDER", huge, 1) }),
		"inline": rewritePart(t, base.Bytes(), "xl/worksheets/sheet1.xml", func(string) string { return inline }),
	} {
		if len(data) > 256<<10 {
			t.Fatalf("%s: hostile file is %d bytes, want a small upload", name, len(data))
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := listfile.Read(bytes.NewReader(data), listfile.XLSX, listfile.Options{Year: 2026})
		runtime.ReadMemStats(&after)
		var fe *listfile.FileError
		if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "32767") {
			t.Errorf("%s: Read = %v, want a refusal naming Excel's cell limit", name, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
			t.Errorf("%s: refusing a %d KB file allocated %d MB", name, len(data)>>10, got>>20)
		}
	}
}

// rewritePart returns the workbook data with one part's text changed.
func rewritePart(t *testing.T, data []byte, part string, change func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == part {
			body, found = []byte(change(string(body))), true
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil || !found {
		t.Fatalf("rewriting %s: %v (found %v)", part, err, found)
	}
	return out.Bytes()
}
