package telegramtest_test

import (
	"context"
	"testing"

	"github.com/go-telegram/bot"
)

// BenchmarkServer_SendMessage measures the fake's own cost per send, the
// floor under any benchmark of the bot that runs against it.
func BenchmarkServer_SendMessage(b *testing.B) {
	srv := MustServer(b)
	tb := MustBot(b, srv)
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := tb.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "<b>提醒</b> 报表", ParseMode: "HTML"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
