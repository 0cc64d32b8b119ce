// Package listfile reads and writes the responsibility list (责任清单) as
// CSV and XLSX files, the way a bureau keeps it in Excel or WPS. It knows the
// list's columns (编号 … 更新时间) and turns each row into a store.Task; it does not
// touch the database, so import (merging by 编号, keeping history) and export
// (which tasks, in what order) stay the caller's job.
//
// The Chinese words in this package are the file format, not display text:
// the column headers and their aliases (编号, 牵头单位, 任务编号 …), the sheet
// names (责任清单, 督办记录), the status and deadline words a cell holds. What
// it tells a user about a file it refuses comes from the catalogue
// (schedule/lang, zh and en): Error() is the Chinese sentence, and
// FileError and Error say themselves in any language through Text, which
// lang.ErrorText uses at the edge. It imports store and schedule/lang.
package listfile

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// Format is a responsibility-list file format, chosen by file extension
// because that is all a Telegram document or a command-line argument tells us.
type Format string

// The supported formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// FormatOf picks the format from a file name's extension, so the bot and the
// CLI refuse an unsupported upload with one Chinese sentence before reading it.
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return CSV, nil
	case ".xlsx", ".xlsm":
		return XLSX, nil
	case ".xls", ".et", ".wps":
		return "", fileErr(nil, "lf_kind_old", filepath.Ext(name))
	case "":
		return "", fileErr(nil, "lf_kind_unknown", name)
	}
	return "", fileErr(nil, "lf_kind_other", filepath.Ext(name))
}

// The canonical column headers, in export order. Row.Columns is keyed by
// these, so callers can tell "column absent" (keep the stored value) from
// "column present but empty" (clear it).
const (
	ColID       = "编号"
	ColSection  = "章节"
	ColText     = "工作任务"
	ColLead     = "牵头单位"
	ColCo       = "配合单位"
	ColDeadline = "完成时限"
	ColTarget   = "目标值"
	ColUnit     = "计量单位"
	ColStatus   = "状态"
	ColProgress = "进度"
	ColLatest   = "最新进展"
	ColUpdated  = "更新时间"
)

// Headers lists the columns in the order the exports write them.
var Headers = []string{
	ColID, ColSection, ColText, ColLead, ColCo, ColDeadline,
	ColTarget, ColUnit, ColStatus, ColProgress, ColLatest, ColUpdated,
}

// Required lists the columns an import cannot do without: a task needs an
// identity, a text, an owner and a deadline.
var Required = []string{ColID, ColText, ColLead, ColDeadline}

// SheetName is the worksheet the XLSX export writes and the import prefers
// when a workbook has several sheets.
const SheetName = "责任清单"

// aliases maps normalised header spellings (see normHeader) to canonical
// columns. Besides the English names of the brief it knows the Chinese
// variants that turn up in bureaus' own lists.
var aliases = map[string]string{
	"编号": ColID, "id": ColID, "taskid": ColID, "任务编号": ColID,
	"章节": ColSection, "section": ColSection,
	"工作任务": ColText, "task": ColText, "text": ColText, "任务": ColText, "任务内容": ColText, "工作内容": ColText,
	"牵头单位": ColLead, "lead": ColLead, "leaddepartment": ColLead, "leaddept": ColLead,
	"牵头部门": ColLead, "牵头处室": ColLead, "责任单位": ColLead, "责任处室": ColLead,
	"配合单位": ColCo, "co": ColCo, "codepartments": ColCo, "codepts": ColCo, "codepartment": ColCo,
	"配合部门": ColCo, "配合处室": ColCo, "协办单位": ColCo,
	"完成时限": ColDeadline, "deadline": ColDeadline, "due": ColDeadline, "duedate": ColDeadline,
	"完成时间": ColDeadline, "时限": ColDeadline, "截止时间": ColDeadline,
	"目标值": ColTarget, "target": ColTarget, "目标": ColTarget,
	"计量单位": ColUnit, "unit": ColUnit,
	"状态": ColStatus, "status": ColStatus, "完成状态": ColStatus,
	"进度": ColProgress, "progress": ColProgress, "完成进度": ColProgress,
	"最新进展": ColLatest, "latest": ColLatest, "note": ColLatest, "进展情况": ColLatest, "工作进展": ColLatest,
	"更新时间": ColUpdated, "updated": ColUpdated, "updatedat": ColUpdated,
}

// normHeader folds the ways people decorate a header cell — case, spaces,
// line breaks, _ and -, a leading * for "required", a trailing (%) or （单位）
// — so that "Lead Department", "lead_department" and "进度（%）" all match.
func normHeader(s string) string {
	s = strings.TrimSpace(strings.ToLower(s))
	s = strings.TrimLeft(s, "*＊")
	for _, open := range []string{"(", "（"} {
		if i := strings.Index(s, open); i > 0 {
			s = s[:i]
		}
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '_', '-', '\u3000', '.':
			return -1
		}
		return r
	}, s)
}

// Options carries what an import needs beyond the file.
type Options struct {
	// Year is the plan year, for 完成时限 forms that name none (6月底前,
	// 三季度末, 年底前). It must be set.
	Year int
	// Departments are the known department names; 牵头单位 and 配合单位 must
	// be among them. When empty, names are not checked.
	Departments []string
	// MaxRows bounds the task rows (store.MaxTasks when zero or more); the
	// readers stop as soon as a file has more, so the chat can refuse a
	// large file without reading all of it.
	MaxRows int
	// Loc is the zone 更新时间 cells are read in (the bureau's, as exports
	// write them); nil means time.Local.
	Loc *time.Location
}

// Row is one imported task with the spreadsheet row it came from, so the
// caller's dry-run summary and history notes can point at the user's row.
type Row struct {
	Line int // spreadsheet row number as the user sees it (header = 1)
	Task *store.Task
	// Columns says which canonical columns (ColID, …) the file had. It is the
	// same map for every row of a file; do not modify it.
	Columns map[string]bool
	// Updated is the row's 更新时间 (zero when the file has none): the
	// state of the task it was exported from.
	Updated time.Time
}

// SuggestedMark follows a 牵头单位 that is only a keyword suggestion, not yet
// confirmed by a coordinator. An export writes it and an import reads it,
// so the suggestion survives a round trip through Excel; deleting the mark
// in the sheet confirms the owner.
const SuggestedMark = "（建议）"

// cutSuggested strips the suggestion mark (full-width or ASCII brackets).
func cutSuggested(lead string) (string, bool) {
	for _, m := range []string{SuggestedMark, "(建议)"} {
		if s, ok := strings.CutSuffix(lead, m); ok {
			return strings.TrimSpace(s), true
		}
	}
	return lead, false
}

// formulaLead reports whether s would be taken as a formula by a spreadsheet
// (OWASP's list: = + - @). Such cells are written with a leading apostrophe in
// CSV, the convention Excel users know for "this is text".
func formulaLead(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.ContainsRune("=+-@", rune(s[0]))
}

// escapeCell guards a text value against formula injection. In CSV every
// formula-looking value gets an apostrophe; in XLSX cells are typed as text
// and are safe as they are, so only values that already start with an
// apostrophe before a formula character get one more. unescapeCell undoes
// both exactly, which keeps export → import lossless.
func escapeCell(s string, csv bool) string {
	if formulaLead(s) && (csv || strings.HasPrefix(s, "'")) {
		return "'" + s
	}
	return s
}

// unescapeCell removes the apostrophe escapeCell added (or the one a user
// typed in Excel to keep =… as text).
func unescapeCell(s string) string {
	if strings.HasPrefix(s, "'") && formulaLead(s) {
		return s[1:]
	}
	return s
}
