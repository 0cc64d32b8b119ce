package telegramtest_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/duban-bureau/duban/bot/telegramtest"
)

func keyboard(data ...string) *models.InlineKeyboardMarkup {
	var row []models.InlineKeyboardButton
	for _, d := range data {
		row = append(row, models.InlineKeyboardButton{Text: d, CallbackData: d})
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{row}}
}

func TestServer_SendMessage(t *testing.T) {
	clk := newClock()
	srv := MustServer(t, telegramtest.WithNow(clk.Now))
	b := MustBot(t, srv)
	ctx := testContext(t)

	m1, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "one", ReplyMarkup: keyboard("done:1")})
	if err != nil {
		t.Fatal(err)
	}
	m2, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "two"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: bob.ID, Text: "other chat"})
	if err != nil {
		t.Fatal(err)
	}
	if m1.ID != 1 || m2.ID != 2 || other.ID != 1 {
		t.Errorf("message IDs = %d, %d, %d; want 1, 2 and 1 (per chat)", m1.ID, m2.ID, other.ID)
	}
	if m1.From == nil || m1.From.ID != b.ID() || m1.Chat.ID != alice.ID || m1.Chat.Type != models.ChatTypePrivate {
		t.Errorf("message from %+v in %+v, want the bot in alice's private chat", m1.From, m1.Chat)
	}
	if m1.Date != int(clk.Now().Unix()) {
		t.Errorf("date = %d, want %d", m1.Date, clk.Now().Unix())
	}
	if m1.ReplyMarkup == nil || m1.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "done:1" {
		t.Errorf("reply markup = %+v", m1.ReplyMarkup)
	}
	if sent := srv.Sent(alice.ID); len(sent) != 2 || sent[1].Text != "two" {
		t.Errorf("Sent = %+v, want two messages", sent)
	}
	if a, all := srv.SentCount(alice.ID), srv.SentCount(0); a != 2 || all != 3 {
		t.Errorf("SentCount = %d (alice), %d (all); want 2, 3", a, all)
	}

	t.Run("Reply", func(t *testing.T) {
		srv.SendText(alice, telegramtest.Chat{}, "question?")
		msgs := srv.Messages(alice.ID)
		userMsg := msgs[len(msgs)-1]
		m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "answer",
			ReplyParameters: &models.ReplyParameters{MessageID: userMsg.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if m.ReplyToMessage == nil || m.ReplyToMessage.Text != "question?" {
			t.Errorf("reply_to_message = %+v", m.ReplyToMessage)
		}
		_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "x",
			ReplyParameters: &models.ReplyParameters{MessageID: 999}})
		if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "message to be replied not found") {
			t.Errorf("err = %v, want message to be replied not found", err)
		}
	})
}

func TestServer_SendMessage_Invalid(t *testing.T) {
	srv := MustServer(t)
	b := MustBot(t, srv)
	ctx := testContext(t)
	long := strings.Repeat("字", 4096)
	for name, tc := range map[string]struct {
		params *bot.SendMessageParams
		want   string // "" for success
	}{
		"Empty":          {&bot.SendMessageParams{ChatID: 1, Text: " \n"}, "Bad Request: message text is empty"},
		"Max":            {&bot.SendMessageParams{ChatID: 1, Text: long}, ""},
		"TooLong":        {&bot.SendMessageParams{ChatID: 1, Text: long + "!"}, "Bad Request: message is too long"},
		"TooLongUTF16":   {&bot.SendMessageParams{ChatID: 1, Text: strings.Repeat("😀", 2049)}, "Bad Request: message is too long"},
		"LongAfterHTML":  {&bot.SendMessageParams{ChatID: 1, Text: "<b>" + long + "</b>", ParseMode: models.ParseModeHTML}, ""},
		"CallbackData64": {&bot.SendMessageParams{ChatID: 1, Text: "x", ReplyMarkup: keyboard(strings.Repeat("a", 64))}, ""},
		"CallbackData65": {&bot.SendMessageParams{ChatID: 1, Text: "x", ReplyMarkup: keyboard(strings.Repeat("a", 65))}, "Bad Request: BUTTON_DATA_INVALID"},
		"NoChat":         {&bot.SendMessageParams{ChatID: "@nobody", Text: "x"}, "Bad Request: chat not found"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := b.SendMessage(ctx, tc.params)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("err = %v, want success", err)
			case tc.want != "" && (!errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), tc.want)):
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestServer_EditMessage(t *testing.T) {
	srv := MustServer(t)
	b := MustBot(t, srv)
	ctx := testContext(t)
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "task", ReplyMarkup: keyboard("done")})
	if err != nil {
		t.Fatal(err)
	}

	edited, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: alice.ID, MessageID: m.ID, Text: "task ✓", ReplyMarkup: keyboard("undo")})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Text != "task ✓" || edited.EditDate == 0 {
		t.Errorf("edited = %+v", edited)
	}
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: alice.ID, MessageID: m.ID, Text: "task ✓", ReplyMarkup: keyboard("undo")})
	if err == nil || !strings.Contains(err.Error(), "Bad Request: message is not modified") {
		t.Errorf("same content: err = %v, want message is not modified", err)
	}
	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: alice.ID, MessageID: 42, Text: "x"})
	if err == nil || !strings.HasSuffix(err.Error(), "Bad Request: message to edit not found") {
		t.Errorf("unknown message: err = %v, want message to edit not found", err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: alice.ID, MessageID: m.ID, ReplyMarkup: keyboard("undo")}); err == nil {
		t.Error("same markup: want message is not modified")
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: alice.ID, MessageID: m.ID}); err != nil {
		t.Errorf("remove markup: %v", err)
	}
	got, _ := srv.Message(alice.ID, m.ID)
	if got.Text != "task ✓" || got.ReplyMarkup != nil {
		t.Errorf("stored = %q %+v, want the edited text without keyboard", got.Text, got.ReplyMarkup)
	}

	t.Run("TextEditDropsKeyboard", func(t *testing.T) {
		m, _ := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: bob.ID, Text: "a", ReplyMarkup: keyboard("x")})
		e, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: bob.ID, MessageID: m.ID, Text: "b"})
		if err != nil || e.ReplyMarkup != nil {
			t.Errorf("got %+v, %v; want the keyboard gone", e.ReplyMarkup, err)
		}
	})
	t.Run("UserMessage", func(t *testing.T) {
		srv.SendText(bob, telegramtest.Chat{}, "mine")
		msgs := srv.Messages(bob.ID)
		_, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: bob.ID, MessageID: msgs[len(msgs)-1].ID, Text: "x"})
		if err == nil || !strings.Contains(err.Error(), "message can't be edited") {
			t.Errorf("err = %v, want message can't be edited", err)
		}
	})
}

func TestServer_Documents(t *testing.T) {
	srv := MustServer(t)
	b := MustBot(t, srv)
	ctx := testContext(t)
	csv := []byte("task,dept\nreport,finance\n")

	m, err := b.SendDocument(ctx, &bot.SendDocumentParams{ChatID: alice.ID, Caption: "<b>week</b>", ParseMode: models.ParseModeHTML,
		Document: &models.InputFileUpload{Filename: "digest.csv", Data: bytes.NewReader(csv)}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Document == nil || m.Document.FileName != "digest.csv" || m.Document.FileSize != int64(len(csv)) || m.Caption != "week" {
		t.Fatalf("message = %+v, document %+v", m, m.Document)
	}
	if name, data, ok := srv.File(m.Document.FileID); !ok || name != "digest.csv" || !bytes.Equal(data, csv) {
		t.Errorf("File = %q %q %v", name, data, ok)
	}
	if calls := srv.Calls("sendDocument"); len(calls) != 1 || len(calls[0].Files) != 1 || calls[0].Files[0].Name != "digest.csv" {
		t.Errorf("calls = %+v", calls)
	}

	t.Run("Download", func(t *testing.T) {
		id := srv.AddFile("plan.xlsx", []byte("PK\x03\x04"))
		for _, fileID := range []string{id, m.Document.FileID} {
			f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: fileID})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.Get(b.FileDownloadLink(f))
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			_, want, _ := srv.File(fileID)
			if resp.StatusCode != http.StatusOK || !bytes.Equal(data, want) || f.FileSize != int64(len(want)) {
				t.Errorf("download %s: %d %q, want %q", f.FilePath, resp.StatusCode, data, want)
			}
		}
		if _, err := b.GetFile(ctx, &bot.GetFileParams{FileID: "nope"}); !errors.Is(err, bot.ErrorBadRequest) {
			t.Errorf("unknown file: err = %v", err)
		}
	})
	t.Run("Injected", func(t *testing.T) {
		srv.SendDocument(alice, telegramtest.Chat{}, "plan.xlsx", []byte("xlsx"))
		ups := getUpdates(ctx, t, srv, map[string]any{})
		doc := ups[len(ups)-1].Message.Document
		if doc == nil || doc.FileName != "plan.xlsx" || doc.FileSize != 4 || doc.FileID == "" {
			t.Fatalf("document = %+v", doc)
		}
		if _, err := b.GetFile(ctx, &bot.GetFileParams{FileID: doc.FileID}); err != nil {
			t.Error(err)
		}
	})
}

func TestServer_Commands(t *testing.T) {
	srv := MustServer(t)
	b := MustBot(t, srv)
	ctx := testContext(t)
	cmds := []models.BotCommand{{Command: "today", Description: "今天的任务"}, {Command: "done", Description: "完成"}}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: cmds}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: cmds[:1], Scope: &models.BotCommandScopeChat{ChatID: 42}, LanguageCode: "zh"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.CommandScopes(); strings.Join(got, " ") != "chat:42/zh default" {
		t.Errorf("scopes = %q", got)
	}
	if got := srv.Commands("default"); len(got) != 2 || got[0] != telegramtest.BotCommand(cmds[0]) {
		t.Errorf("default commands = %+v", got)
	}
	if _, err := b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "Bad Name", Description: "x"}}}); err == nil {
		t.Error("invalid command accepted")
	}
	if _, err := b.DeleteMyCommands(ctx, &bot.DeleteMyCommandsParams{}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Commands("default"); got != nil {
		t.Errorf("after delete: %+v", got)
	}
}

func TestServer_AnswerCallbackQuery(t *testing.T) {
	srv := MustServer(t)
	b := MustBot(t, srv)
	ctx := testContext(t)
	m, _ := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice.ID, Text: "task", ReplyMarkup: keyboard("done:7")})
	id := srv.PressButton(alice, telegramtest.Chat{}, m.ID, "done:7")

	ups := getUpdates(ctx, t, srv, map[string]any{})
	cq := ups[0].CallbackQuery
	if cq == nil || cq.ID != id || cq.Data != "done:7" || cq.From.ID != alice.ID || cq.Message.Message == nil || cq.Message.Message.ID != m.ID {
		t.Fatalf("callback query = %+v", cq)
	}
	if _, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: "好"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: id}); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("second answer: err = %v, want query is too old", err)
	}
	if got := srv.Callbacks(); len(got) != 1 || got[0].ID != id || got[0].Text != "好" {
		t.Errorf("Callbacks = %+v", got)
	}
}
