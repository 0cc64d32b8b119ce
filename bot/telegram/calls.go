package telegram

import (
	"context"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Me asks getMe for the bot's username (without @) and user ID. The call
// is observed (OnCall) unless ctx ended; the error has the token removed.
func (c *Client) Me(ctx context.Context) (username string, id int64, err error) {
	me, err := c.Bot.GetMe(ctx)
	if ctx.Err() == nil {
		err = c.observe("getMe", err) // /healthz and the metrics count it
	} else {
		err = redact(err, c.Token)
	}
	if err != nil {
		return "", 0, err
	}
	return me.Username, me.ID, nil
}

// DeleteWebhook drops a webhook left behind (polling and a webhook exclude
// each other). A call cut short by ctx is not an error.
func (c *Client) DeleteWebhook(ctx context.Context) error {
	_, err := c.Bot.DeleteWebhook(ctx, &tg.DeleteWebhookParams{})
	if ctx.Err() != nil {
		return nil
	}
	return c.observe("deleteWebhook", err)
}

// SetWebhook registers url with Telegram for the update kinds duban asks
// for, with the secret Telegram sends back in every push.
func (c *Client) SetWebhook(ctx context.Context, url, secret string) error {
	_, err := c.Bot.SetWebhook(ctx, &tg.SetWebhookParams{URL: url, SecretToken: secret, AllowedUpdates: AllowedUpdates})
	return c.observe("setWebhook", err)
}

// setCommands sets the command menu of one scope. A call cut short by ctx
// is not an error.
func (c *Client) setCommands(ctx context.Context, scope models.BotCommandScope, cmds [][2]string) error {
	list := make([]models.BotCommand, 0, len(cmds))
	for _, m := range cmds {
		list = append(list, models.BotCommand{Command: m[0], Description: m[1]})
	}
	_, err := c.Bot.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: list, Scope: scope})
	if ctx.Err() != nil {
		return nil
	}
	return c.observe("setMyCommands", err)
}
