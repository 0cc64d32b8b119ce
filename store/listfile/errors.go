package listfile

import (
	"strings"

	"github.com/duban-bureau/duban/schedule/lang"
	"github.com/duban-bureau/duban/store"
)

// RowError is one problem in one row. Line is the spreadsheet row number the
// user sees in Excel or WPS (header = 1), so they can go straight to it.
type RowError struct {
	Line   int
	Field  string // canonical column (牵头单位, …) or 表头 for the header row
	Reason string // the problem in Chinese (the catalogue's zh sentence)
}

// rowKey is the catalogue key and arguments of a RowError's Reason, kept
// beside it (Error.keys) so the edge can say it in the reader's language
// while RowError stays a comparable value.
type rowKey struct {
	key  string // "" when only Reason is known
	args []any
}

// Error formats the problem the way it is shown to users:
// 第5行 牵头单位: 未知单位“大气处”.
func (e RowError) Error() string { return e.text("zh", rowKey{}) }

// text is the problem in language l (the column keeps the file's header).
func (e RowError) text(l lang.Lang, k rowKey) string {
	reason := e.Reason
	if k.key != "" {
		reason = l.T(k.key, k.args...)
	}
	if e.Field == "" {
		return l.T("lf_row_nofield", e.Line, reason)
	}
	return l.T("lf_row", e.Line, e.Field, reason)
}

// Error is the refusal of a whole file. Import is all-or-nothing, so one
// Error lists every bad row at once: the user fixes the file in one pass
// instead of discovering problems one upload at a time.
type Error struct {
	Rows []RowError
	keys []rowKey // keys[i] says Rows[i].Reason in any language
}

// maxListed caps how many problems Error() spells out, so a wrong file (say,
// another spreadsheet entirely) gives a readable message; Rows keeps them all.
const maxListed = 50

// Error lists the problems in Chinese, one per line.
func (e *Error) Error() string { return e.Text("zh") }

// Text lists the problems in language l, one per line.
func (e *Error) Text(l lang.Lang) string {
	var b strings.Builder
	b.WriteString(l.T("lf_errors", len(e.Rows)))
	for i, r := range e.Rows {
		if i == maxListed {
			b.WriteString("\n" + l.T("lf_errors_more", len(e.Rows)-maxListed))
			break
		}
		b.WriteString("\n")
		var k rowKey
		if i < len(e.keys) {
			k = e.keys[i]
		}
		b.WriteString(r.text(l, k))
	}
	return b.String()
}

// FileError is a file that cannot be read as a list at all (corrupt XLSX,
// binary junk, unknown encoding). Error() is the one Chinese sentence for the
// user; Unwrap keeps the library's reason for the log.
type FileError struct {
	Msg  string // the sentence in Chinese
	Key  string // its catalogue key
	Args []any
	Err  error
}

// Error returns the user-facing sentence.
func (e *FileError) Error() string { return e.Msg }

// Text is the sentence in language l.
func (e *FileError) Text(l lang.Lang) string {
	if e.Key == "" {
		return e.Msg
	}
	return l.T(e.Key, e.Args...)
}

// Unwrap returns the underlying cause, if any.
func (e *FileError) Unwrap() error { return e.Err }

func fileErr(err error, key string, args ...any) *FileError {
	return &FileError{Msg: lang.Lang("zh").T(key, args...), Key: key, Args: args, Err: err}
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
	return ExplainIn("zh", fe)
}

// ExplainIn is Explain in language l.
func ExplainIn(l lang.Lang, fe *store.FieldError) string {
	if key, args := explainKey(fe); key != "" {
		return l.T(key, args...)
	}
	return fe.Error()
}

// explainKey is the catalogue key and arguments of a validation refusal.
func explainKey(fe *store.FieldError) (string, []any) {
	switch fe.Problem {
	case store.ProblemEmpty:
		return "lf_v_empty", []any{}
	case store.ProblemControl:
		return "lf_v_control", []any{fe.Value}
	case store.ProblemInvisible:
		return "lf_v_invisible", []any{fe.Value}
	case store.ProblemTooLong:
		return "lf_v_toolong", []any{fe.Limit, fe.Value}
	case store.ProblemTooMany:
		return "lf_v_toomany", []any{fe.Limit}
	case store.ProblemNumber:
		return "lf_v_number", []any{fe.Value, store.FormatNumber(store.MaxNumber)}
	case store.ProblemDate:
		return "lf_v_date", []any{fe.Value, store.MinYear, store.MaxYear}
	case store.ProblemRoleName:
		return "lf_v_rolename", []any{fe.Value}
	case store.ProblemSpace:
		return "lf_v_space", []any{}
	case store.ProblemSeparator:
		return "lf_v_separator", []any{fe.Value}
	}
	return "", nil
}
