package schedule

import (
	"github.com/duban-bureau/duban/schedule/lang"
	"strings"

	"github.com/duban-bureau/duban/store"
)

// ButtonAction is what a pressed inline button asks for: the first field
// of its callback data, "<action>:<argument>". Every button duban makes
// carries one of the actions below, built by CallbackData and read back by
// ParseCallback, the one encoder and the one decoder of callback data. The
// chat's table of buttons (bot/commands.go) has a row for each action.
type ButtonAction string

// The actions of the task buttons, carried by reminders (built here) and
// the chat's task cards.
const (
	ActionDone     ButtonAction = "done" // 已完成
	ActionProgress ButtonAction = "prog" // 更新进度
	ActionExtend   ButtonAction = "ext"  // 申请延期
	ActionBlocked  ButtonAction = "blk"  // 遇到困难
	// ActionAck is the 收到 button: "ack:<taskID>" on a task's card,
	// "ack:*" on a combined message (the bot reads its tasks from the
	// message link).
	ActionAck ButtonAction = "ack"
)

// The actions of the chat's own buttons: the argument is a task ID unless
// said otherwise.
const (
	ActionApprove     ButtonAction = "xa"   // 批准 an extension request (its ID)
	ActionReject      ButtonAction = "xr"   // 驳回 an extension request (its ID)
	ActionImport      ButtonAction = "imp"  // 确认导入 a staged import (its ID)
	ActionDiscard     ButtonAction = "impx" // 放弃 a staged import (its ID)
	ActionImportForce ButtonAction = "impf" // 强制导入: a staged import with its conflicting rows (its ID)
	// ActionImportExample is 导入并移除示例: a staged import that also
	// removes the example plan (its ID).
	ActionImportExample ButtonAction = "impe"
	// ActionImportCarry is 导入并结转: a staged plan document that carries
	// the last plan's unfinished tasks over (its ID).
	ActionImportCarry ButtonAction = "impc"
	ActionSignOff     ButtonAction = "so"  // 销号 under a done claim
	ActionReturn      ButtonAction = "rt"  // 退回重办 under a done claim: asks for a reason
	ActionCloseYes    ButtonAction = "cy"  // 确认销号 of a task not reported done
	ActionCloseNo     ButtonAction = "cn"  // 取消 that 销号
	ActionAnswer      ButtonAction = "ans" // 回复联络员 under a blocked report
	ActionLeave       ButtonAction = "lv"  // leave one's old department (its index) after joining another
	ActionRevoke      ButtonAction = "iv"  // revoke an invite (its ID)
	ActionInviteCoord ButtonAction = "ic"  // make a coordinator invite (no argument)
)

// ButtonActions lists every action, so the decoder knows what duban made
// and the chat's table can be checked against it.
var ButtonActions = []ButtonAction{ActionDone, ActionProgress, ActionExtend, ActionBlocked, ActionAck,
	ActionApprove, ActionReject, ActionImport, ActionDiscard, ActionImportForce, ActionImportExample, ActionImportCarry, ActionSignOff, ActionReturn, ActionCloseYes,
	ActionCloseNo, ActionAnswer, ActionLeave, ActionRevoke, ActionInviteCoord}

// MaxCallbackData is Telegram's limit on callback_data, in bytes.
const MaxCallbackData = 64

// CallbackData returns "<action>:<arg>", or "" when it would exceed
// Telegram's 64-byte limit (the task can still be updated by a reply).
func CallbackData(action ButtonAction, arg string) string {
	s := string(action) + ":" + arg
	if len(s) > MaxCallbackData {
		return ""
	}
	return s
}

// ParseCallback splits callback data built by CallbackData. ok is false
// for data duban did not make (callback data comes back from the client
// as sent, so anyone can forge it): no ":", or an unknown action.
func ParseCallback(data string) (action ButtonAction, arg string, ok bool) {
	a, arg, found := strings.Cut(data, ":")
	if !found {
		return "", "", false
	}
	for _, known := range ButtonActions {
		if ButtonAction(a) == known {
			return known, arg, true
		}
	}
	return "", "", false
}

// TaskButtons returns the inline keyboard every task reminder carries:
// 已完成 / 更新进度 on the first row, 申请延期 / 遇到困难 on the second (two
// short rows stay readable on a phone). It returns nil when the task ID is
// too long for callback data.
func TaskButtons(taskID string, lang lang.Lang) [][]store.Button {
	b := func(key string, action ButtonAction) store.Button {
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
