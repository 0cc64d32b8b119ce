package web

import (
	"strconv"

	"github.com/duban-bureau/duban/schedule"
)

// The chart's geometry, in SVG user units. A department's name sits above
// its three bars, so long CJK names keep the full width on a phone.
// The three numbers stand at the right end of the name line, in the bars'
// colours, so no label collides with a short bar.
const (
	chartWidth = 400
	nameHeight = 21 // the name line
	barHeight  = 6
	barGap     = 2
	groupGap   = 10
)

// chart is the bar chart per department (done / in progress / overdue),
// drawn by the server so it needs no script and prints as it shows.
// Many departments are split into two SVG columns, which a wide screen
// shows side by side and a phone one under the other.
type chart struct {
	Width   int
	Legend  []legendItem
	Columns []chartColumn
}

// chartColumn is one SVG of the chart.
type chartColumn struct {
	Height int
	Groups []barGroup
}

// twoColumns is the number of departments from which the chart splits.
const twoColumns = 8

type legendItem struct {
	Label string
	Fill  string
}

// barGroup is one department: its name, its link (the table filtered to
// it) and its three bars.
type barGroup struct {
	Dept, Name      string
	Title, Href     string
	Y, NameY, Right int
	Tasks           int
	TrackW, TrackH  int // the grey track behind the bars: the department's share of the largest
	Bars            []bar
}

type bar struct {
	Kind      string
	Y, W      int
	Height, N int
	Fill      string
}

// The bars' colours: done green, in progress blue, overdue red.
var barFill = map[string]string{"done": "#188038", "active": "#1a73e8", "overdue": "#d93025"}

// buildChart lays out the digest's department rows (laggards first, as
// in the digest). hrefOf gives a department's filter link; linked is
// false on a department's own link, which has no filter to apply.
func (s *Server) buildChart(rows []schedule.DeptRow, hrefOf func(string) string, linked bool) chart {
	w := s.Words
	c := chart{Width: chartWidth}
	for _, k := range []string{"done", "active", "overdue"} {
		c.Legend = append(c.Legend, legendItem{Label: w.T("web_bar_" + k), Fill: barFill[k]})
	}
	most := 1
	for _, r := range rows {
		most = max(most, r.Tasks)
	}
	split := len(rows)
	if split >= twoColumns {
		split = (len(rows) + 1) / 2
	}
	col := chartColumn{}
	y := 0
	for i, r := range rows {
		if i == split {
			col.Height = y
			c.Columns = append(c.Columns, col)
			col, y = chartColumn{}, 0
		}
		name := r.Dept
		if name == "" {
			name = w.T("unassigned")
		}
		g := barGroup{Dept: r.Dept, Name: name, Y: y, NameY: y + 15, Right: chartWidth,
			Title: name + "：" + w.T("web_bar_done") + " " + strconv.Itoa(r.Done) + "，" + w.T("web_bar_active") + " " +
				strconv.Itoa(r.InProgress) + "，" + w.T("web_bar_overdue") + " " + strconv.Itoa(r.Overdue) + "（" +
				w.T("web_n_tasks") + " " + strconv.Itoa(r.Tasks) + "）"}
		if linked && r.Dept != "" {
			g.Href = hrefOf(r.Dept)
		}
		by := y + nameHeight
		g.Tasks, g.TrackW, g.TrackH = r.Tasks, chartWidth*r.Tasks/most, 3*barHeight+2*barGap
		for _, b := range []struct {
			kind string
			n    int
		}{{"done", r.Done}, {"active", r.InProgress}, {"overdue", r.Overdue}} {
			bw := chartWidth * b.n / most
			if b.n > 0 && bw < 2 {
				bw = 2
			}
			g.Bars = append(g.Bars, bar{Kind: b.kind, Y: by, W: bw, Height: barHeight, N: b.n, Fill: barFill[b.kind]})
			by += barHeight + barGap
		}
		col.Groups = append(col.Groups, g)
		y = by + groupGap
	}
	col.Height = y
	c.Columns = append(c.Columns, col)
	return c
}
