// Package docx reads the text of a Word .docx file — what bureaus circulate
// their plans in — as paragraphs and tables, with the standard library only
// (archive/zip, encoding/xml). It owns the OOXML details a plan parser must
// not see: runs split anywhere inside a word, automatic numbering (w:numPr
// with numbering.xml, where 一、 or （一） is not in the text), soft line
// breaks, tracked deletions, merged table cells. It bounds what it reads, so
// a zip bomb or a huge document is refused rather than unpacked. It imports
// nothing of ours.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits on what Read accepts. A long real plan's document.xml is a few MB.
const (
	MaxPartSize = 64 << 20 // uncompressed size of one part (document.xml)
	MaxEntries  = 2000     // entries in the zip
	MaxBlocks   = 200000   // paragraphs and table rows
	// MaxTextRun bounds the bytes of text between two tags of
	// document.xml (one w:t run): a real paragraph is a few thousand
	// characters, and a 58 KB upload can inflate to one 59 MB run, which
	// the XML decoder would hold whole, and every step after it copy.
	MaxTextRun = 1 << 20
)

// Block is one paragraph or one table of the document body, in order.
// Exactly one of Text (a paragraph; soft breaks are "\n") and Table (rows
// of cell texts; merged cells repeat the text above or to the left) is set.
type Block struct {
	Text  string
	Table [][]string
}

// ErrNotDocx is returned for data that is not a Word document.
var ErrNotDocx = errors.New("不是有效的 .docx 文件（文件已损坏，或是改了扩展名的其他文件）")

// Read returns the body of a .docx document.
func Read(data []byte) ([]Block, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, ErrNotDocx
	}
	if len(zr.File) > MaxEntries {
		return nil, fmt.Errorf(".docx 文件包含过多部件（%d 个），拒绝读取", len(zr.File))
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	doc, ok := parts["word/document.xml"]
	if !ok {
		return nil, ErrNotDocx
	}
	r := &reader{num: newNumbering()}
	if f, ok := parts["word/numbering.xml"]; ok {
		b, err := readPart(f)
		if err != nil {
			return nil, err
		}
		r.num.load(b)
	}
	if f, ok := parts["word/styles.xml"]; ok {
		b, err := readPart(f)
		if err != nil {
			return nil, err
		}
		r.styles = loadStyles(b)
	}
	b, err := readPart(doc)
	if err != nil {
		return nil, err
	}
	return r.body(b)
}

// readPart reads one zip entry, refusing more than MaxPartSize whatever the
// header claims.
func readPart(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > MaxPartSize {
		return nil, fmt.Errorf(".docx 文件过大（%s 解压后超过 %d MB）", f.Name, MaxPartSize>>20)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, ErrNotDocx
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, MaxPartSize+1))
	if err != nil {
		return nil, ErrNotDocx
	}
	if len(b) > MaxPartSize {
		return nil, fmt.Errorf(".docx 文件过大（%s 解压后超过 %d MB）", f.Name, MaxPartSize>>20)
	}
	return b, nil
}

// reader walks document.xml.
type reader struct {
	num    *numbering
	styles map[string]numRef // paragraph style ID → its numbering
	blocks []Block
}

type numRef struct {
	numID string
	ilvl  int
	set   bool
}

// para collects one paragraph.
type para struct {
	text    strings.Builder
	style   string
	ref     numRef
	inDel   int
	inInstr bool
	inPPr   bool // tab stops in paragraph properties are not text
}

// cellState collects one table cell.
type cellState struct {
	paras  []string
	vMerge string // "", "restart" or "continue"
	span   int
}

type tableState struct {
	rows [][]cellState
	row  []cellState
	cell *cellState
}

func (r *reader) body(data []byte) ([]Block, error) {
	if longestTextRun(data) > MaxTextRun {
		return nil, fmt.Errorf(".docx 文件中有一段文字超过 %d MB，不像是一份工作计划，拒绝读取", MaxTextRun>>20)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var (
		p      *para
		tables []*tableState // nested tables flatten into the outer cell
		nBlock int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ErrNotDocx
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				p = &para{}
			case "pPr":
				if p != nil {
					p.inPPr = true
				}
			case "pStyle":
				if p != nil {
					p.style = attr(t, "val")
				}
			case "numId":
				if p != nil {
					p.ref.numID, p.ref.set = attr(t, "val"), true
				}
			case "ilvl":
				if p != nil {
					p.ref.ilvl, _ = strconv.Atoi(attr(t, "val"))
				}
			case "t":
				if p != nil && p.inDel == 0 && !p.inInstr {
					var s string
					if err := d.DecodeElement(&s, &t); err != nil {
						return nil, ErrNotDocx
					}
					p.text.WriteString(s)
				}
			case "tab":
				if p != nil && p.inDel == 0 && !p.inPPr {
					p.text.WriteByte('\t')
				}
			case "br", "cr":
				if p != nil && p.inDel == 0 && attr(t, "type") != "page" {
					p.text.WriteByte('\n')
				}
			case "del", "moveFrom":
				if p != nil {
					p.inDel++
				}
			case "instrText":
				if p != nil {
					p.inInstr = true
				}
			case "tbl":
				tables = append(tables, &tableState{})
			case "tr":
				if n := len(tables); n > 0 {
					tables[n-1].row = nil
				}
			case "tc":
				if n := len(tables); n > 0 {
					tables[n-1].cell = &cellState{span: 1}
				}
			case "vMerge":
				if n := len(tables); n > 0 && tables[n-1].cell != nil {
					v := attr(t, "val")
					if v == "" {
						v = "continue"
					}
					tables[n-1].cell.vMerge = v
				}
			case "gridSpan":
				if n := len(tables); n > 0 && tables[n-1].cell != nil {
					if k, err := strconv.Atoi(attr(t, "val")); err == nil && k > 1 && k < 64 {
						tables[n-1].cell.span = k
					}
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "del", "moveFrom":
				if p != nil && p.inDel > 0 {
					p.inDel--
				}
			case "instrText":
				if p != nil {
					p.inInstr = false
				}
			case "pPr":
				if p != nil {
					p.inPPr = false
				}
			case "p":
				if p == nil {
					continue
				}
				text := r.label(p) + p.text.String()
				p = nil
				if n := len(tables); n > 0 && tables[n-1].cell != nil {
					tables[n-1].cell.paras = append(tables[n-1].cell.paras, text)
					continue
				}
				if nBlock++; nBlock > MaxBlocks {
					return nil, fmt.Errorf(".docx 文件段落过多（超过 %d 段），拒绝读取", MaxBlocks)
				}
				r.blocks = append(r.blocks, Block{Text: text})
			case "tc":
				if n := len(tables); n > 0 && tables[n-1].cell != nil {
					tables[n-1].row = append(tables[n-1].row, *tables[n-1].cell)
					tables[n-1].cell = nil
				}
			case "tr":
				if n := len(tables); n > 0 {
					if nBlock++; nBlock > MaxBlocks {
						return nil, fmt.Errorf(".docx 表格行过多（超过 %d 行），拒绝读取", MaxBlocks)
					}
					tables[n-1].rows = append(tables[n-1].rows, tables[n-1].row)
					tables[n-1].row = nil
				}
			case "tbl":
				n := len(tables)
				if n == 0 {
					continue
				}
				rows := grid(tables[n-1].rows)
				tables = tables[:n-1]
				if n > 1 && tables[n-2].cell != nil {
					// A nested table: its text joins the outer cell.
					for _, row := range rows {
						tables[n-2].cell.paras = append(tables[n-2].cell.paras, strings.Join(row, " "))
					}
					continue
				}
				r.blocks = append(r.blocks, Block{Table: rows})
			}
		}
	}
	return r.blocks, nil
}

// grid lays the cells out on the table grid: a gridSpan cell repeats across
// its columns, a vMerge continuation takes the text of the cell above, so
// a merged 牵头单位 applies to every row it spans.
func grid(rows [][]cellState) [][]string {
	out := make([][]string, 0, len(rows))
	for i, row := range rows {
		var cells []string
		var merges []bool
		for _, c := range row {
			text := strings.TrimSpace(strings.Join(c.paras, "\n"))
			for k := 0; k < c.span; k++ {
				cells = append(cells, text)
				merges = append(merges, c.vMerge == "continue")
			}
		}
		if i > 0 {
			above := out[i-1]
			for j := range cells {
				if merges[j] && j < len(above) {
					cells[j] = above[j]
				}
			}
		}
		out = append(out, cells)
	}
	return out
}

// label is the automatic number Word shows before a paragraph (一、, （一）,
// 1.), which is not in its text. A paragraph's own numPr wins over its
// style's; numId 0 switches numbering off.
func (r *reader) label(p *para) string {
	ref := p.ref
	if !ref.set {
		if s, ok := r.styles[p.style]; ok {
			ref = s
		}
	}
	if !ref.set || ref.numID == "" || ref.numID == "0" {
		return ""
	}
	return r.num.next(ref.numID, ref.ilvl)
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// loadStyles reads which paragraph styles carry numbering (a 标题 1 style
// numbered 一、 is common in bureau templates).
func loadStyles(data []byte) map[string]numRef {
	out := map[string]numRef{}
	d := xml.NewDecoder(bytes.NewReader(data))
	var id string
	var ref numRef
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "style":
				id, ref = attr(t, "styleId"), numRef{}
			case "numId":
				ref.numID, ref.set = attr(t, "val"), true
			case "ilvl":
				ref.ilvl, _ = strconv.Atoi(attr(t, "val"))
			}
		case xml.EndElement:
			if t.Name.Local == "style" && ref.set {
				out[id] = ref
			}
		}
	}
}

// longestTextRun is the most bytes between two '<' in an XML part.
func longestTextRun(data []byte) int {
	longest := 0
	for len(data) > 0 {
		i := bytes.IndexByte(data, '<')
		if i < 0 {
			i = len(data)
		}
		longest = max(longest, i)
		if i == len(data) {
			break
		}
		data = data[i+1:]
	}
	return longest
}
