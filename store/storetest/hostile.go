package storetest

import (
	"archive/zip"
	"bytes"
	"fmt"
)

// WideXLSX builds the hostile workbook of issue 9: a valid list header and
// rows tasks, each row padded with one valued cell in column XFD (16,384),
// so that a reader which materialises rows allocates 16,384 cells a row.
// With 4,000 rows it is about 35 KB. With empty set, the far cell is an
// empty styled cell (as LibreOffice writes), which a reader should ignore.
func WideXLSX(rows int, empty bool) []byte {
	var sheet bytes.Buffer
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	fmt.Fprintf(&sheet, `<dimension ref="A1:XFD%d"/><sheetData>`, rows+1)
	str := func(ref, v string) string {
		return `<c r="` + ref + `" t="inlineStr"><is><t>` + v + `</t></is></c>`
	}
	pad := func(n int) string {
		if empty {
			return fmt.Sprintf(`<c r="XFD%d" s="0"/>`, n)
		}
		return fmt.Sprintf(`<c r="XFD%d"><v>1</v></c>`, n)
	}
	sheet.WriteString(`<row r="1">` + str("A1", "编号") + str("B1", "工作任务") + str("C1", "牵头单位") +
		str("D1", "完成时限") + pad(1) + `</row>`)
	for i := 2; i <= rows+1; i++ {
		fmt.Fprintf(&sheet, `<row r="%d">%s%s%s%s%s</row>`, i,
			str(fmt.Sprintf("A%d", i), fmt.Sprintf("9.%d.%d", i/100+1, i%100+1)),
			str(fmt.Sprintf("B%d", i), "开展专项整治"),
			str(fmt.Sprintf("C%d", i), "办公室"),
			str(fmt.Sprintf("D%d", i), "年底前"), pad(i))
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	return workbook(sheet.String())
}

// FarRowXLSX is a list header and one task in spreadsheet row row: a
// sheet longer than a row limit, though its file is tiny.
func FarRowXLSX(row int) []byte {
	return workbook(fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
		`<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c><c r="B1" t="inlineStr"><is><t>工作任务</t></is></c>`+
		`<c r="C1" t="inlineStr"><is><t>牵头单位</t></is></c><c r="D1" t="inlineStr"><is><t>完成时限</t></is></c></row>`+
		`<row r="%d"><c r="A%d" t="inlineStr"><is><t>1.1.1</t></is></c></row></sheetData></worksheet>`, row, row))
}

// workbook zips a one-sheet workbook around the worksheet XML.
func workbook(sheet string) []byte {
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`</Relationships>`},
		{"xl/worksheets/sheet1.xml", sheet},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}
