package schedule

import (
	"strings"

	"github.com/duban-bureau/duban/store"
)

// Callback actions carried by reminder buttons as "<action>:<taskID>". They
// live here, next to the messages that carry them, and the bot parses the
// same strings with ParseCallback, so the two cannot drift apart.
const (
	ActionDone     = "done" // 已完成
	ActionProgress = "prog" // 更新进度
	ActionExtend   = "ext"  // 申请延期
	ActionBlocked  = "blk"  // 遇到困难
)

// MaxCallbackData is Telegram's limit on callback_data, in bytes.
const MaxCallbackData = 64

// CallbackData returns "<action>:<taskID>", or "" when it would exceed
// Telegram's 64-byte limit (the task can still be updated by a reply).
func CallbackData(action, taskID string) string {
	s := action + ":" + taskID
	if len(s) > MaxCallbackData {
		return ""
	}
	return s
}

// ParseCallback splits callback data built by CallbackData. ok is false for
// data this package did not make (other buttons of the bot).
func ParseCallback(data string) (action, taskID string, ok bool) {
	action, taskID, found := strings.Cut(data, ":")
	if !found || taskID == "" {
		return "", "", false
	}
	switch action {
	case ActionDone, ActionProgress, ActionExtend, ActionBlocked, ActionAck:
		return action, taskID, true
	}
	return "", "", false
}

// TaskButtons returns the inline keyboard every task reminder carries:
// 已完成 / 更新进度 on the first row, 申请延期 / 遇到困难 on the second (two
// short rows stay readable on a phone). It returns nil when the task ID is
// too long for callback data.
func TaskButtons(taskID, lang string) [][]store.Button {
	b := func(key, action string) store.Button {
		return store.Button{Text: say(lang, key), Data: CallbackData(action, taskID)}
	}
	if CallbackData(ActionProgress, taskID) == "" {
		return nil
	}
	return [][]store.Button{
		{b("btn_done", ActionDone), b("btn_progress", ActionProgress)},
		{b("btn_extend", ActionExtend), b("btn_blocked", ActionBlocked)},
	}
}
