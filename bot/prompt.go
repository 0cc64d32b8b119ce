package bot

import (
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store"
)

// promptWindow is how long after a prompt a plain message (not a reply)
// is still taken as its answer.
const promptWindow = 10 * time.Minute

// prompt asks for an answer by reply (ForceReply, so the phone opens a
// reply to it) and remembers it as the chat's open question, so a plain
// answer typed right after it counts too.
func (c *call) prompt(taskID string, kind store.MessageKind, text string) {
	m := c.reply(text)
	m.TaskID, m.Kind, m.ForceReply = taskID, kind, true
	if c.r.CallbackID != "" {
		m.ReplyTo = c.r.MessageID
	}
	c.keep("store prompt", c.tx.SetSetting(c.promptKey(), taskID+"\x00"+string(kind)+"\x00"+strconv.FormatInt(c.now.Unix(), 10)))
}

func (c *call) promptKey() string {
	return "prompt/" + strconv.FormatInt(c.r.ChatID, 10) + "/" + strconv.FormatInt(c.r.UserID, 10)
}

// openPrompt returns the chat's open question if it was asked within
// promptWindow, and forgets it.
func (c *call) openPrompt() (taskID string, kind store.MessageKind) {
	v := c.tx.Setting(c.promptKey())
	if v == "" {
		return "", ""
	}
	c.keep("forget prompt", c.tx.SetSetting(c.promptKey(), ""))
	parts := strings.Split(v, "\x00")
	if len(parts) != 3 {
		return "", ""
	}
	at, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || c.now.Sub(time.Unix(at, 0)) > promptWindow {
		return "", ""
	}
	return parts[0], store.MessageKind(parts[1])
}

// clearPrompt forgets the chat's open question (a command was sent instead).
func (c *call) clearPrompt() {
	if c.tx.Setting(c.promptKey()) != "" {
		c.keep("forget prompt", c.tx.SetSetting(c.promptKey(), ""))
	}
}
