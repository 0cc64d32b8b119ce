package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
)

// scopeKey names a command scope the way Commands looks it up:
// "default", "all_private_chats", "chat:<id>", "chat_member:<chat>:<user>",
// followed by "/<language_code>" when one was given.
func scopeKey(scope, lang string) (string, *apiError) {
	key := "default"
	if scope != "" {
		var sc struct {
			Type   string          `json:"type"`
			ChatID json.RawMessage `json:"chat_id"`
			UserID int64           `json:"user_id"`
		}
		if err := json.Unmarshal([]byte(scope), &sc); err != nil || sc.Type == "" {
			return "", badRequest("can't parse BotCommandScope JSON object")
		}
		key = sc.Type
		switch sc.Type {
		case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		case "chat", "chat_administrators":
			key += ":" + unquote(sc.ChatID)
		case "chat_member":
			key += fmt.Sprintf(":%s:%d", unquote(sc.ChatID), sc.UserID)
		default:
			return "", badRequest("unsupported bot command scope type")
		}
	}
	if lang != "" {
		key += "/" + lang
	}
	return key, nil
}

func unquote(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func validCommand(c BotCommand) bool {
	if len(c.Command) == 0 || len(c.Command) > 32 || c.Description == "" || len([]rune(c.Description)) > 256 {
		return false
	}
	for _, r := range c.Command {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func (s *Server) setMyCommands(_ *http.Request, r *request) (any, *apiError) {
	var cmds []BotCommand
	if err := json.Unmarshal([]byte(r.params["commands"]), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("BOT_COMMANDS_TOO_MUCH")
	}
	for _, c := range cmds {
		if !validCommand(c) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
	}
	key, e := scopeKey(r.params["scope"], r.params["language_code"])
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(cmds) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = cmds
	}
	return true, nil
}

func (s *Server) deleteMyCommands(_ *http.Request, r *request) (any, *apiError) {
	key, e := scopeKey(r.params["scope"], r.params["language_code"])
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	return true, nil
}

func (s *Server) getMyCommands(_ *http.Request, r *request) (any, *apiError) {
	key, e := scopeKey(r.params["scope"], r.params["language_code"])
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]BotCommand{}, s.commands[key]...), nil
}

// Commands returns the commands set for a scope key (see scopeKey's
// format, e.g. "default" or "chat:42/zh"); nil if none.
func (s *Server) Commands(scope string) []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands[scope])
}

// CommandScopes lists the scope keys that have commands, sorted.
func (s *Server) CommandScopes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k := range s.commands {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
