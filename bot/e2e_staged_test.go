package bot_test

import (
	"reflect"
	"strings"
	"testing"
)

// TestChat_ImportBelongsToUploader: a staged import is the uploader's.
// Another coordinator (here the admin) pressing its buttons, with the
// callback data copied or guessed, gets "this preview is not yours" and
// nothing changes; the staged ID is random, not the update ID it came in
// (which anyone can guess: they count up).
func TestChat_ImportBelongsToUploader(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before, nHist := snapshot(h)
	ms := h.sendDoc(coordU, "清单.csv", []byte(importCSV))
	if len(ms) != 1 {
		t.Fatalf("document answered %d messages, want the preview", len(ms))
	}
	confirm, discard := button(t, ms[0], "确认导入"), button(t, ms[0], "取消")
	id := confirm[strings.IndexByte(confirm, ':')+1:]
	if len(id) < 20 || strings.HasPrefix(id, "u") && strings.Trim(id[1:], "0123456789") == "" {
		t.Errorf("staged ID %q is guessable", id)
	}
	h.say(adminU, "/help")
	own := h.last(adminU.ID).ID
	for _, data := range []string{confirm, discard} {
		if toast := h.press(adminU, own, data); !strings.Contains(toast, "不是你的") {
			t.Errorf("another user's press %s: toast %q, want \"not yours\"", data, toast)
		}
	}
	if after, n := snapshot(h); !reflect.DeepEqual(after, before) || n != nHist {
		t.Errorf("another user's press changed the store")
	}
	if toast := h.press(coordU, ms[0].ID, confirm); toast != "已导入" {
		t.Errorf("the uploader's confirm: toast %q, want 已导入", toast)
	}
}
