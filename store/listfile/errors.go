package listfile

import (
	"fmt"
	"strings"
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
