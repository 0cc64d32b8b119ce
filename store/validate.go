package store

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/duban-bureau/duban/store/vocab"
	"golang.org/x/text/unicode/norm"
)

// The limits every way in (chat, CSV, XLSX, plan documents, the command
// line) shares. A real bureau's list has a few hundred tasks of a few
// hundred characters each; these are far beyond that and still small
// enough that one import cannot exhaust memory or hold the database for
// long. The edge states them in its refusals.
const (
	MaxTasks        = 100_000  // rows of one list file or tasks of one plan document
	MaxFileBytes    = 64 << 20 // one imported file (chat uploads are further bounded by Telegram's 20 MB)
	MaxColumns      = 64       // columns of a list sheet (the list has 12; extra ones are ignored)
	MaxIDRunes      = 128      // 编号
	MaxNameRunes    = 64       // a department name
	MaxSectionRunes = 500      // 章节
	MaxTextRunes    = 2000     // 工作任务
	MaxNoteRunes    = 2000     // 最新进展, a note, a reason
	MaxUnitRunes    = 20       // 计量单位
	MaxCoDepts      = 30       // 配合单位 of one task
	MaxNumber       = 1e12     // 目标值 and the current count
	MinYear         = 2000     // earliest year of a deadline
	MaxYear         = 2100     // latest year of a deadline
)

// Problems a FieldError reports. They are codes, not text: the chat's
// catalogue and listfile's row errors turn them into sentences.
const (
	ProblemEmpty     = "empty"      // a required value is missing
	ProblemControl   = "control"    // a control character (NUL, ESC, …)
	ProblemInvisible = "invisible"  // zero-width, bidi override, BOM, … in a name or ID
	ProblemTooLong   = "too_long"   // longer than Limit characters
	ProblemTooMany   = "too_many"   // more than Limit items (rows, co-departments)
	ProblemNumber    = "not_finite" // not a finite number in 0…MaxNumber
	ProblemDate      = "date_range" // a date outside MinYear…MaxYear
	ProblemRoleName  = "role_name"  // a department named like a role (督办员, admin)
	ProblemSeparator = "separator"  // a department name with a list separator (、 ,)
	ProblemSpace     = "untrimmed"  // free text starting or ending with blanks (every entry trims them)
)

// Field names a FieldError may carry besides the import fields.
const (
	FieldID   = "id"
	FieldDept = "dept"
	FieldNote = "note"
	// FieldBureau is the bureau's name (duban bureau set).
	FieldBureau = "bureau"
)

// FieldError is input refused by the validation layer: which task and field,
// what is wrong, and the limit when there is one. ErrorCode reports it as
// EINVALID. Error() is for logs; users see it rendered by the edge.
type FieldError struct {
	Task    string // task ID, "" when the value is not about one task
	Field   string // FieldText, FieldLead, FieldID, FieldDept, FieldNote, …
	Problem string // ProblemTooLong, …
	Limit   int    // the limit for ProblemTooLong and ProblemTooMany
	Value   string // the offending value, shortened, for the message
}

// Error implements error (log form).
func (e *FieldError) Error() string {
	s := e.Field + ": " + e.Problem
	if e.Task != "" {
		s = "task " + e.Task + ": " + s
	}
	if e.Limit > 0 {
		s += fmt.Sprintf(" (limit %d)", e.Limit)
	}
	if e.Value != "" {
		s += fmt.Sprintf(" %q", e.Value)
	}
	return s
}

// AsFieldError returns the FieldError in err's chain, or nil.
func AsFieldError(err error) *FieldError {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}

// Short cuts s to n runes with an ellipsis, for quoting a value back.
func Short(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

func fieldErr(task, field, problem string, limit int, value string) *FieldError {
	return &FieldError{Task: task, Field: field, Problem: problem, Limit: limit, Value: Short(value, 20)}
}

// invisible reports runes that render as nothing (or reorder what follows)
// and so make two different strings look identical: format characters
// (zero-width space and joiners, bidi marks and overrides, BOM, soft
// hyphen, …) and the fillers that look like blanks.
func invisible(r rune) bool {
	switch r {
	case '\u115F', '\u1160', '\u3164', '\uFFA0', '\u180E', '\u2028', '\u2029':
		return true
	}
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r)
}

// bidiControl reports the characters that reorder text on screen (the
// "Trojan Source" overrides and isolates): refused even in free text.
func bidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// control reports control characters other than those allowed.
func control(r rune, allowed string) bool {
	return unicode.IsControl(r) && !strings.ContainsRune(allowed, r)
}

// CheckText checks free text (a task text, a note): valid UTF-8, no
// control character except line breaks and tabs, no bidi override, no
// surrounding blanks (every entry trims them, so a stored blank would not
// survive an export and re-import), at most limit characters.
func CheckText(task, field, s string, limit int) error {
	if !utf8.ValidString(s) {
		return fieldErr(task, field, ProblemControl, 0, "")
	}
	if strings.TrimSpace(s) != s {
		return fieldErr(task, field, ProblemSpace, 0, s)
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return fieldErr(task, field, ProblemTooLong, limit, s)
	}
	for _, r := range s {
		if control(r, "\n\t") {
			return fieldErr(task, field, ProblemControl, 0, fmt.Sprintf("U+%04X", r))
		}
		if bidiControl(r) {
			return fieldErr(task, field, ProblemInvisible, 0, fmt.Sprintf("U+%04X", r))
		}
	}
	return nil
}

// CheckLine is CheckText for one-line values (章节, 计量单位): no line break
// or tab either.
func CheckLine(task, field, s string, limit int) error {
	if err := CheckText(task, field, s, limit); err != nil {
		return err
	}
	if strings.ContainsAny(s, "\n\t") {
		return fieldErr(task, field, ProblemControl, 0, s)
	}
	return nil
}

// NormName is how an ID or a department name is compared and stored:
// NFKC (full-width ４.１.３ is 4.1.3), surrounding blanks trimmed.
func NormName(s string) string {
	return strings.TrimSpace(norm.NFKC.String(s))
}

// CheckName checks an ID or a department name as stored: non-empty, no
// control or invisible character, no line break, at most limit characters.
// It does not require NFKC form, so names stored before normalisation keep
// working; the entries normalise with NormName first.
func CheckName(task, field, s string, limit int) error {
	if strings.TrimSpace(s) == "" {
		return fieldErr(task, field, ProblemEmpty, 0, "")
	}
	if !utf8.ValidString(s) {
		return fieldErr(task, field, ProblemControl, 0, "")
	}
	if utf8.RuneCountInString(s) > limit {
		return fieldErr(task, field, ProblemTooLong, limit, s)
	}
	for _, r := range s {
		if control(r, "") {
			return fieldErr(task, field, ProblemControl, 0, fmt.Sprintf("U+%04X", r))
		}
		if invisible(r) {
			return fieldErr(task, field, ProblemInvisible, 0, fmt.Sprintf("U+%04X", r))
		}
	}
	return nil
}

// roleNames are words a department may not be called (vocab.RoleNames).
var roleNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range vocab.RoleNames {
		m[n] = true
	}
	return m
}()

// CheckDeptName checks a new department name (NormName applied): CheckName,
// no list separator or suggestion mark, and not a role's name.
func CheckDeptName(name string) error {
	if err := CheckName("", FieldDept, name, MaxNameRunes); err != nil {
		return err
	}
	if strings.ContainsAny(name, "、,，;；") || hasSuffix(name, vocab.SuggestedEndings) {
		// 配合单位 cells are split on these; a trailing (建议) marks a
		// suggested lead in the list files.
		return fieldErr("", FieldDept, ProblemSeparator, 0, name)
	}
	folded := strings.ToLower(strings.Join(strings.Fields(name), ""))
	if roleNames[folded] || Role(folded).Valid() {
		return fieldErr("", FieldDept, ProblemRoleName, 0, name)
	}
	return nil
}

// Valid reports whether r is a role a contact may hold.
func (r Role) Valid() bool {
	return r == RoleContact || r == RoleCoordinator || r == RoleAdmin
}

// CheckNumber checks a target or count: finite and within 0…MaxNumber.
func CheckNumber(task, field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > MaxNumber {
		return fieldErr(task, field, ProblemNumber, 0, FormatNumber(v))
	}
	return nil
}

// CheckDate checks a deadline or an extension date: zero (none) or within
// MinYear…MaxYear, so day counts and exports stay sane.
func CheckDate(task, field string, d Date) error {
	if d.IsZero() {
		return nil
	}
	if y := d.Year(); y < MinYear || y > MaxYear || d.Month() < 1 || d.Month() > 12 || d.Day() < 1 || d.Day() > 31 {
		return fieldErr(task, field, ProblemDate, 0, d.String())
	}
	return nil
}

// ValidateTask is the validation layer every write of a task passes
// (PutTask, SaveTask, imports): whatever it accepts exports to CSV and
// XLSX and imports back unchanged.
func ValidateTask(t *Task) error {
	if err := CheckName(t.ID, FieldID, t.ID, MaxIDRunes); err != nil {
		return err
	}
	if strings.ContainsAny(t.ID, " \u3000") || NormName(t.ID) != t.ID {
		return fieldErr(t.ID, FieldID, ProblemInvisible, 0, t.ID)
	}
	if strings.TrimSpace(t.Text) == "" {
		return fieldErr(t.ID, FieldText, ProblemEmpty, 0, "")
	}
	checks := []error{
		CheckText(t.ID, FieldSection, t.Section, MaxSectionRunes),
		CheckText(t.ID, FieldText, t.Text, MaxTextRunes),
		CheckLine(t.ID, FieldUnit, t.Unit, MaxUnitRunes),
		CheckText(t.ID, FieldLatest, t.Latest, MaxNoteRunes),
		CheckNumber(t.ID, FieldTarget, t.Target),
		CheckNumber(t.ID, FieldProgress, t.Current),
		CheckDate(t.ID, FieldDeadline, t.Deadline),
	}
	if t.Lead != "" {
		checks = append(checks, CheckName(t.ID, FieldLead, t.Lead, MaxNameRunes))
	}
	if len(t.CoDepts) > MaxCoDepts {
		checks = append(checks, fieldErr(t.ID, FieldCo, ProblemTooMany, MaxCoDepts, ""))
	}
	for _, d := range t.CoDepts {
		checks = append(checks, CheckName(t.ID, FieldCo, d, MaxNameRunes))
	}
	return firstErr(checks)
}

func firstErr(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func hasSuffix(s string, ends []string) bool {
	for _, e := range ends {
		if strings.HasSuffix(s, e) {
			return true
		}
	}
	return false
}
