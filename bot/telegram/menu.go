package telegram

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/store"
)

// Menus keeps each user's Telegram command menu (setMyCommands) to what
// their role may use (bot.Menu).
type Menus struct {
	Client *Client
	DB     *store.DB
	Admins []int64
	Lang   bot.Lang
	Logger *slog.Logger
}

// set sets one scope's command menu to what role may use.
func (m *Menus) set(ctx context.Context, scope models.BotCommandScope, role store.Role) {
	if err := m.Client.setCommands(ctx, scope, bot.Menu(role, m.Lang)); err != nil {
		m.log().Warn("setMyCommands", "role", string(role), "err", err)
	}
}

func (m *Menus) log() *slog.Logger {
	if m.Logger != nil {
		return m.Logger
	}
	return slog.Default()
}

// RoleChanged gives a newly registered user or coordinator their menu, in
// the background (bot.App.OnRoleChange).
func (m *Menus) RoleChanged(chatID int64, role store.Role) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		m.set(ctx, &models.BotCommandScopeChat{ChatID: chatID}, role)
	}()
}

// SetAll sets the command menu per role where Telegram allows: strangers
// see /start and /help in private chats, groups see the coordinators'
// commands, and each registered user's private chat gets the list of their
// role.
func (m *Menus) SetAll(ctx context.Context) {
	set := func(scope models.BotCommandScope, role store.Role) { m.set(ctx, scope, role) }
	set(&models.BotCommandScopeAllPrivateChats{}, store.RoleStranger)
	set(&models.BotCommandScopeAllGroupChats{}, store.RoleCoordinator)
	var contacts []*store.Contact
	m.DB.View(func(tx *store.Tx) error { contacts, _ = tx.Contacts(); return nil })
	done := map[int64]bool{}
	for _, c := range contacts {
		role := c.Role
		if slices.Contains(m.Admins, c.UserID) {
			role = store.RoleAdmin
		}
		done[c.UserID] = true
		set(&models.BotCommandScopeChat{ChatID: c.ChatID}, role)
	}
	for _, id := range m.Admins {
		if !done[id] {
			done[id] = true
			set(&models.BotCommandScopeChat{ChatID: id}, store.RoleAdmin)
		}
	}
}
