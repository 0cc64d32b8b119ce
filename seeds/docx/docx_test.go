package docx_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/seeds/docx"
	"github.com/duban-bureau/duban/seeds/docx/docxtest"
)

func texts(t *testing.T, data []byte) []string {
	t.Helper()
	blocks, err := docx.Read(data)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	var out []string
	for _, b := range blocks {
		if b.Table != nil {
			var rows []string
			for _, r := range b.Table {
				rows = append(rows, strings.Join(r, "|"))
			}
			out = append(out, "table:"+strings.Join(rows, "/"))
			continue
		}
		out = append(out, b.Text)
	}
	return out
}

func TestRead_RunsNumberingBreaks(t *testing.T) {
	d := &docxtest.Doc{}
	d.P("2021年某市生态环境工作要点", 2)
	d.NumP(1, 0, "总体要求", 1)
	d.NumP(1, 1, "指导思想。坚持精准治污。", 3)
	d.NumP(1, 0, "重点任务", 0)
	d.NumP(1, 1, "精准治气。完成10家企业\n深度治理。", 4)
	d.NumP(1, 2, "第一项。", 0)
	d.NumP(1, 2, "第二项。", 0)
	d.NumP(1, 1, "巩固治水。", 0)
	d.NumP(1, 2, "第三项重新从1开始。", 0)
	d.Deleted("删掉的文字。")
	d.NumP(2, 0, "另一个列表。", 0)
	got := strings.Join(texts(t, d.Bytes()), "\n")
	want := strings.Join([]string{
		"2021年某市生态环境工作要点",
		"一、总体要求",
		"（一）指导思想。坚持精准治污。",
		"二、重点任务",
		"（一）精准治气。完成10家企业\n深度治理。",
		"1.第一项。",
		"2.第二项。",
		"（二）巩固治水。",
		"1.第三项重新从1开始。",
		"",
		"1.另一个列表。",
	}, "\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestRead_TableMerges(t *testing.T) {
	d := &docxtest.Doc{}
	d.Table([][]docxtest.Cell{
		{{Text: "序号"}, {Text: "工作任务"}, {Text: "牵头单位"}},
		{{Text: "一、大气", Span: 3}},
		{{Text: "1"}, {Text: "任务甲"}, {Text: "市生态环境局", Merge: "restart"}},
		{{Text: "2"}, {Text: "任务乙\n第二段"}, {Merge: "continue"}},
	})
	got := strings.Join(texts(t, d.Bytes()), "\n")
	want := "table:序号|工作任务|牵头单位/一、大气|一、大气|一、大气/1|任务甲|市生态环境局/2|任务乙\n第二段|市生态环境局"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestRead_Refuses(t *testing.T) {
	t.Run("NotZip", func(t *testing.T) {
		if _, err := docx.Read([]byte("2021年工作要点\n一、任务")); err == nil {
			t.Fatal("no error for plain text")
		}
	})
	t.Run("NoDocument", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("xl/workbook.xml")
		_, _ = w.Write([]byte("<workbook/>"))
		_ = zw.Close()
		if _, err := docx.Read(buf.Bytes()); err != docx.ErrNotDocx {
			t.Fatalf("err = %v, want ErrNotDocx", err)
		}
	})
	t.Run("ZipBomb", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/document.xml")
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		_, _ = w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`))
		for i := 0; i <= docx.MaxPartSize>>20; i++ {
			_, _ = w.Write(chunk)
		}
		_ = zw.Close()
		if buf.Len() > 1<<20 {
			t.Fatalf("bomb is %d bytes compressed; the test wants a small file", buf.Len())
		}
		_, err := docx.Read(buf.Bytes())
		if err == nil || !strings.Contains(err.Error(), "过大") {
			t.Fatalf("err = %v, want a refusal naming the size", err)
		}
	})
	t.Run("HugeParagraph", func(t *testing.T) {
		// One run of 59 MB compresses to ~60 KB; read whole, it took
		// 543 MB and 13 s before the plan parser refused it.
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/document.xml")
		_, _ = w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`))
		chunk := bytes.Repeat([]byte("任务"), 1<<18)
		for i := 0; i < 4; i++ {
			_, _ = w.Write(chunk)
		}
		_, _ = w.Write([]byte(`</w:t></w:r></w:p></w:body></w:document>`))
		_ = zw.Close()
		_, err := docx.Read(buf.Bytes())
		if err == nil || !strings.Contains(err.Error(), "一段文字超过") {
			t.Fatalf("err = %v, want a refusal of the huge paragraph", err)
		}
	})
}

func TestRead_StyleNumbering(t *testing.T) {
	d := &docxtest.Doc{}
	d.P("2022年某局工作要点", 0)
	d.StyleP("Heading1", "重点任务")
	d.StyleP("Heading2", "治气。开展巡查。")
	d.StyleP("Heading2", "治水。清理河道。")
	d.StyleP("Heading1", "保障措施")
	got := strings.Join(texts(t, d.Bytes()), "\n")
	want := "2022年某局工作要点\n一、重点任务\n（一）治气。开展巡查。\n（二）治水。清理河道。\n二、保障措施"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
