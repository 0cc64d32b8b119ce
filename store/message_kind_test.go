package store_test

import (
	"testing"

	"github.com/duban-bureau/duban/store"
)

// TestMessageKind_Stored pins the message kinds: outbox records and the
// sent.task links of existing databases hold them, and a plain reply to an
// old message is read by its kind.
func TestMessageKind_Stored(t *testing.T) {
	for kind, want := range map[store.MessageKind]string{
		store.KindReply: "reply", store.KindEdit: "edit", store.KindNotice: "notice", store.KindReview: "review",
		store.KindBlocked: "blocked", store.KindExtension: "extension",
		store.KindPromptProgress: "prompt_prog", store.KindPromptExtend: "prompt_ext", store.KindPromptBlocked: "prompt_blk",
		store.KindPromptReturn: "prompt_ret", store.KindPromptAnswer: "prompt_ans", store.KindPromptReject: "prompt_rej",
		store.KindReminder: "reminder", store.KindOverdue: "overdue", store.KindAsk: "ask", store.KindEscalation: "escalation",
		store.KindCatchUp: "catchup", store.KindDigest: "digest", store.KindLedger: "ledger", store.KindMonthly: "monthly",
		store.KindDaily: "daily", store.KindHead: "head", store.KindLadder: "ladder",
	} {
		if string(kind) != want {
			t.Errorf("kind %q, stored as %q before", kind, want)
		}
	}
}
