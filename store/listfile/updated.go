package listfile

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// updatedLayouts are the forms an 更新时间 cell takes: what WriteCSV and
// WriteXLSX write (minutes), what Excel writes back after opening the CSV
// (2026/11/30 9:20), with seconds, RFC 3339, or a bare date.
var updatedLayouts = []string{
	"2006-01-02 15:04", "2006-01-02 15:04:05", "2006/1/2 15:04", "2006/1/2 15:04:05",
	"2006-1-2 15:04", "2006-1-2 15:04:05", "2006.1.2 15:04", time.RFC3339, "2006-01-02T15:04",
	"2006-01-02T15:04:05", "2006-01-02", "2006/1/2", "2006-1-2", "2006.1.2",
	"2006年1月2日 15:04", "2006年1月2日15:04", "2006年1月2日 15:04:05", "2006年1月2日", "1/2/2006 15:04", "1/2/2006",
}

// updatedAt reads a row's 更新时间 in the bureau's zone: zero when the
// column is absent or the cell empty (a hand-made list), an error naming
// the cell when it is not a time. An import compares it with the task's
// history to find rows edited from an older export (seeds/intake).
func (p *rowParser) updatedAt(rec record) time.Time {
	c := p.get(rec, ColUpdated)
	if c.text == "" && c.raw == "" {
		return time.Time{}
	}
	loc := p.opt.Loc
	if loc == nil {
		loc = time.Local
	}
	if c.raw != c.text {
		if serial, err := strconv.ParseFloat(c.raw, 64); err == nil && !math.IsNaN(serial) && serial >= 1 && serial < 2958466 {
			if t, err := excelize.ExcelDateToTime(serial, p.date1904); err == nil && t.Year() >= 2000 && t.Year() < 2200 {
				// Excel stores wall-clock time with no zone: read it in loc.
				t = t.Round(time.Second)
				return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
			}
		}
	}
	s := strings.Join(strings.Fields(c.text), " ")
	for _, layout := range updatedLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil && t.Year() >= 2000 && t.Year() < 2200 {
			return t
		}
	}
	p.fail(rec.line, ColUpdated, "“%s”不是有效时间（应为 2021-06-30 15:04，导出时的写法），或清空该格", c.text)
	return time.Time{}
}
