package docx

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
)

// numbering is numbering.xml with the running counters: Word computes the
// numbers when it shows the document, so a reader has to count too.
type numbering struct {
	abstract map[string]map[int]level // abstractNumId → ilvl → level
	nums     map[string]string        // numId → abstractNumId
	counters map[string][]int         // abstractNumId → current value per level
}

type level struct {
	start int
	fmt   string // decimal, chineseCounting, decimalEnclosedCircle, …
	text  string // "%1、", "（%1）", "%1.%2"
}

func newNumbering() *numbering {
	return &numbering{abstract: map[string]map[int]level{}, nums: map[string]string{}, counters: map[string][]int{}}
}

func (n *numbering) load(data []byte) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var abs string
	var lvl = -1
	var cur level
	var num string
	for {
		tok, err := d.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "abstractNum":
				abs = attr(t, "abstractNumId")
				n.abstract[abs] = map[int]level{}
			case "lvl":
				lvl, _ = strconv.Atoi(attr(t, "ilvl"))
				cur = level{start: 1, fmt: "decimal"}
			case "start":
				if lvl >= 0 {
					cur.start, _ = strconv.Atoi(attr(t, "val"))
				}
			case "numFmt":
				if lvl >= 0 {
					cur.fmt = attr(t, "val")
				}
			case "lvlText":
				if lvl >= 0 {
					cur.text = attr(t, "val")
				}
			case "num":
				num = attr(t, "numId")
			case "abstractNumId":
				if num != "" {
					n.nums[num] = attr(t, "val")
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "lvl":
				if abs != "" && lvl >= 0 && lvl < 9 {
					n.abstract[abs][lvl] = cur
				}
				lvl = -1
			case "num":
				num = ""
			}
		}
	}
}

// next advances the counter of (numID, ilvl), resets the deeper levels and
// returns the label as Word would show it.
func (n *numbering) next(numID string, ilvl int) string {
	abs, ok := n.nums[numID]
	if !ok || ilvl < 0 || ilvl > 8 {
		return ""
	}
	levels := n.abstract[abs]
	lv, ok := levels[ilvl]
	if !ok {
		return ""
	}
	c := n.counters[abs]
	if c == nil {
		c = make([]int, 9)
		n.counters[abs] = c
	}
	if c[ilvl] == 0 {
		c[ilvl] = lv.start
	} else {
		c[ilvl]++
	}
	for k := ilvl + 1; k < 9; k++ {
		c[k] = 0
	}
	if lv.fmt == "bullet" || lv.fmt == "none" {
		return ""
	}
	s := lv.text
	for k := 0; k <= ilvl; k++ {
		v := c[k]
		if v == 0 {
			v = levels[k].start
		}
		s = strings.ReplaceAll(s, "%"+strconv.Itoa(k+1), format(v, levels[k].fmt))
	}
	return s
}

var cnDigits = []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// format writes v in a numbering format.
func format(v int, f string) string {
	switch f {
	case "chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand":
		return chinese(v)
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if v >= 1 && v <= 20 {
			return string(rune('①' + v - 1))
		}
	case "ideographTraditional":
		if v >= 1 && v <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[v-1])
		}
	case "lowerLetter":
		if v >= 1 && v <= 26 {
			return string(rune('a' + v - 1))
		}
	case "upperLetter":
		if v >= 1 && v <= 26 {
			return string(rune('A' + v - 1))
		}
	}
	return strconv.Itoa(v)
}

// chinese writes 1..99 as 一 … 十 … 九十九.
func chinese(v int) string {
	switch {
	case v <= 0 || v > 99:
		return strconv.Itoa(v)
	case v < 10:
		return cnDigits[v]
	case v == 10:
		return "十"
	case v < 20:
		return "十" + cnDigits[v-10]
	case v%10 == 0:
		return cnDigits[v/10] + "十"
	}
	return cnDigits[v/10] + "十" + cnDigits[v%10]
}
