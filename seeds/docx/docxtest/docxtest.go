// Package docxtest writes small .docx files for tests: real Word XML
// (WordprocessingML parts in a zip), so the reader is tested against the
// shapes Word produces — runs split inside words, automatic numbering,
// soft breaks, merged table cells — without binary fixtures. It imports
// nothing of ours.
package docxtest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// Doc is a document under construction.
type Doc struct {
	body   strings.Builder
	styles bool
}

// StyleP adds a paragraph in a paragraph style whose numbering lives in
// styles.xml (bureau templates number 标题 1 as 一、 this way): "Heading1"
// is list 1 level 0, "Heading2" list 1 level 1.
func (d *Doc) StyleP(style, text string) *Doc {
	d.styles = true
	fmt.Fprintf(&d.body, `<w:p><w:pPr><w:pStyle w:val="%s"/></w:pPr>%s</w:p>`, style, runs(text, 2))
	return d
}

// Styles is the styles.xml StyleP uses.
const Styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
</w:styles>`

// esc escapes text for XML.
func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// runs writes text as runs, cut every n runes (n <= 0: one run), the way
// Word splits text at spell-check, revision and formatting boundaries.
// "\n" becomes a soft line break (w:br).
func runs(text string, n int) string {
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString(`<w:r><w:br/></w:r>`)
		}
		r := []rune(line)
		if n <= 0 {
			n = len(r) + 1
		}
		for j := 0; j < len(r); j += n {
			k := min(j+n, len(r))
			fmt.Fprintf(&b, `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>`, esc(string(r[j:k])))
		}
	}
	return b.String()
}

// P adds a paragraph; split cuts its text into runs every split runes.
func (d *Doc) P(text string, split int) *Doc {
	fmt.Fprintf(&d.body, `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>%s</w:p>`, runs(text, split))
	return d
}

// NumP adds a paragraph numbered automatically by list numID at level
// ilvl (see Numbering): its label (一、, （一）, 1.) is not in the text.
func (d *Doc) NumP(numID, ilvl int, text string, split int) *Doc {
	fmt.Fprintf(&d.body, `<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr>%s</w:p>`, ilvl, numID, runs(text, split))
	return d
}

// Deleted adds a tracked deletion, which a reader must not show.
func (d *Doc) Deleted(text string) *Doc {
	fmt.Fprintf(&d.body, `<w:p><w:del w:id="1" w:author="x"><w:r><w:delText>%s</w:delText></w:r></w:del></w:p>`, esc(text))
	return d
}

// Cell is a table cell: Text, and Merge "restart"/"continue" for a
// vertically merged cell, Span for a horizontally merged one.
type Cell struct {
	Text  string
	Merge string
	Span  int
}

// Table adds a table.
func (d *Doc) Table(rows [][]Cell) *Doc {
	d.body.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
	for _, row := range rows {
		d.body.WriteString(`<w:tr>`)
		for _, c := range row {
			d.body.WriteString(`<w:tc><w:tcPr>`)
			if c.Span > 1 {
				fmt.Fprintf(&d.body, `<w:gridSpan w:val="%d"/>`, c.Span)
			}
			switch c.Merge {
			case "restart":
				d.body.WriteString(`<w:vMerge w:val="restart"/>`)
			case "continue":
				d.body.WriteString(`<w:vMerge/>`)
			}
			d.body.WriteString(`</w:tcPr>`)
			for _, line := range strings.Split(c.Text, "\n") {
				fmt.Fprintf(&d.body, `<w:p>%s</w:p>`, runs(line, 3))
			}
			d.body.WriteString(`</w:tc>`)
		}
		d.body.WriteString(`</w:tr>`)
	}
	d.body.WriteString(`</w:tbl>`)
	return d
}

// Numbering is the numbering.xml the numbered paragraphs use: list 1 has
// level 0 "一、" (chineseCounting), level 1 "（一）", level 2 "1.", level 3
// "（1）"; list 2 is decimal "%1." alone.
const Numbering = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%4）"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>`

// Bytes writes the .docx file.
func (d *Doc) Bytes() []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, content string) {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte(content))
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)
	add("word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>`)
	add("word/numbering.xml", Numbering)
	if d.styles {
		add("word/styles.xml", Styles)
	}
	add("word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+d.body.String()+`<w:sectPr/></w:body></w:document>`)
	_ = zw.Close()
	return buf.Bytes()
}
