package lang_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/schedule/lang"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// TestLang_ErrorText says a store refusal and a list file's row errors in
// the reader's language: the store and listfile hold keys, the edge words.
func TestLang_ErrorText(t *testing.T) {
	notFound := fmt.Errorf("remind: %w", store.Refuse(store.ENOTFOUND, "e_no_task", "9.9.9"))
	for _, tc := range []struct {
		l         lang.Lang
		want, not string
	}{
		{"zh", "remind: 没有编号为 9.9.9 的任务", "e_no_task"},
		{"en", "remind: No task 9.9.9", "没有"},
	} {
		if got := tc.l.ErrorText(notFound); got != tc.want {
			t.Errorf("%s: ErrorText = %q, want %q", tc.l, got, tc.want)
		}
		if got := tc.l.Refusal(notFound); strings.Contains(got, tc.not) || !strings.Contains(tc.want, got) {
			t.Errorf("%s: Refusal = %q, want the sentence of %q", tc.l, got, tc.want)
		}
	}

	csv := "编号,工作任务,牵头单位,完成时限\n1.1,任务一,,明年\n"
	_, err := listfile.Read(strings.NewReader(csv), listfile.CSV, listfile.Options{Year: 2021})
	if err == nil {
		t.Fatal("Read: got nil error for a row without a lead and with a bad deadline")
	}
	zh, en := lang.Lang("zh").ErrorText(err), lang.Lang("en").ErrorText(err)
	if zh != err.Error() || !strings.Contains(zh, "第2行 牵头单位: 牵头单位为空") || !strings.Contains(zh, "无法识别的完成时限") {
		t.Errorf("zh = %q, want Error() (%q) naming 第2行 牵头单位 and the deadline", zh, err.Error())
	}
	for _, want := range []string{"The list has 2 errors", "Row 2, 牵头单位: the lead department is empty", "Row 2, 完成时限: unknown deadline"} {
		if !strings.Contains(en, want) {
			t.Errorf("en = %q, want it to contain %q", en, want)
		}
	}
}

// TestLang_ErrorText_Wrapped renders a coded cause inside a coded wrapper
// (a database that cannot be opened) in each language, and keeps errors.Is.
func TestLang_ErrorText_Wrapped(t *testing.T) {
	err := store.Wrap(store.ErrLocked, store.EINTERNAL, "e_db_locked", "x.db")
	if got := lang.Lang("zh").ErrorText(err); !strings.Contains(got, "数据库 x.db 正被另一个进程使用") || !strings.HasSuffix(got, store.ErrLocked.Error()) {
		t.Errorf("zh = %q", got)
	}
	if got := lang.Lang("en").ErrorText(err); !strings.HasPrefix(got, "database x.db is used by another process") {
		t.Errorf("en = %q", got)
	}
	if got := lang.Lang("en").Refusal(err); got != lang.Lang("en").T("e_internal") {
		t.Errorf("Refusal of an internal wrapper = %q, want the apology", got)
	}
}
