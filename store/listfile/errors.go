package listfile

import (
	"fmt"
	"strings"

	"github.com/duban-bureau/duban/store"
)

// RowError is one problem in one row. Line is the spreadsheet row number the
// user sees in Excel or WPS (header = 1), so they can go straight to it.
type RowError struct {
	Line   int
	Field  string // canonical column (牵头单位, …) or 表头 for the header row
	Reason string
}

// Error formats the problem the way it is shown to users:
// 第5行 牵头单位: 未知单位“大气处”.
func (e RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("第%d行: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("第%d行 %s: %s", e.Line, e.Field, e.Reason)
}

// Error is the refusal of a whole file. Import is all-or-nothing, so one
// Error lists every bad row at once: the user fixes the file in one pass
// instead of discovering problems one upload at a time.
type Error struct {
	Rows []RowError
}

// maxListed caps how many problems Error() spells out, so a wrong file (say,
// another spreadsheet entirely) gives a readable message; Rows keeps them all.
const maxListed = 50

// Error lists the problems in Chinese, one per line.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "责任清单有 %d 处错误，未导入任何任务：", len(e.Rows))
	for i, r := range e.Rows {
		if i == maxListed {
			fmt.Fprintf(&b, "\n……另有 %d 处错误", len(e.Rows)-maxListed)
			break
		}
		b.WriteString("\n")
		b.WriteString(r.Error())
	}
	return b.String()
}

// FileError is a file that cannot be read as a list at all (corrupt XLSX,
// binary junk, unknown encoding). Error() is the one Chinese sentence for the
// user; Unwrap keeps the library's reason for the log.
type FileError struct {
	Msg string
	Err error
}

// Error returns the user-facing sentence.
func (e *FileError) Error() string { return e.Msg }

// Unwrap returns the underlying cause, if any.
func (e *FileError) Unwrap() error { return e.Err }

func fileErr(err error, format string, args ...any) *FileError {
	return &FileError{Msg: fmt.Sprintf(format, args...), Err: err}
}

// fieldColumns maps the store's field names to the list's column headers.
var fieldColumns = map[string]string{
	store.FieldID: ColID, store.FieldSection: ColSection, store.FieldText: ColText, store.FieldLead: ColLead,
	store.FieldCo: ColCo, store.FieldDeadline: ColDeadline, store.FieldTarget: ColTarget, store.FieldUnit: ColUnit,
	store.FieldStatus: ColStatus, store.FieldProgress: ColProgress, store.FieldLatest: ColLatest,
	store.FieldNote: ColLatest, store.FieldDept: ColLead,
}

func columnOf(field string) string {
	if c, ok := fieldColumns[field]; ok {
		return c
	}
	return field
}

// Explain renders a refusal of the store's validation layer as the Chinese
// reason of a row error (the column is said by RowError.Field).
func Explain(fe *store.FieldError) string {
	if fe == nil {
		return ""
	}
	switch fe.Problem {
	case store.ProblemEmpty:
		return "为空"
	case store.ProblemControl:
		return fmt.Sprintf("含有控制字符（%s），请删除后再导入", fe.Value)
	case store.ProblemInvisible:
		return fmt.Sprintf("含有不可见字符（%s：零宽字符、方向控制符或 BOM 等），请删除后再导入", fe.Value)
	case store.ProblemTooLong:
		return fmt.Sprintf("超过 %d 个字符的上限（“%s”）", fe.Limit, fe.Value)
	case store.ProblemTooMany:
		return fmt.Sprintf("超过 %d 项的上限", fe.Limit)
	case store.ProblemNumber:
		return fmt.Sprintf("“%s”不是 0 到 %s 之间的有限数", fe.Value, store.FormatNumber(store.MaxNumber))
	case store.ProblemDate:
		return fmt.Sprintf("日期 %s 超出 %d–%d 年的范围", fe.Value, store.MinYear, store.MaxYear)
	case store.ProblemRoleName:
		return fmt.Sprintf("单位不能以角色命名（“%s”）", fe.Value)
	case store.ProblemSpace:
		return "前后不能有空白"
	case store.ProblemSeparator:
		return fmt.Sprintf("单位名称“%s”不能含有 、 , ; 等分隔符或“（建议）”标记", fe.Value)
	}
	return fe.Error()
}
