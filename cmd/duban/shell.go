package main

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

func runShell(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "shell", "[--as USER_ID] [--admin IDS]",
		"在终端里使用与 Telegram 相同的聊天命令：每行一条消息。\n"+
			"  /my、/task 4.1.3 …            发送命令\n"+
			"  !reply 消息号 文本             回复机器人的某条消息（如 !reply 3 60%）\n"+
			"  !press 消息号 按钮数据         按下按钮（如 !press 3 done:4.1.3）\n"+
			"  !import 文件                   像在 Telegram 里发送文件一样导入\n"+
			"  !as 用户ID                     换一个用户\n"+
			"  !quit                          退出")
	as := fs.Int64("as", 1, "以该 Telegram 用户 ID 发言 / act as this user ID")
	adminList := fs.String("admin", envOr(env, "DUBAN_ADMINS", ""), "管理员用户 ID（默认即 --as 的用户，便于体验全部命令）")
	_, err := c.parse(fs, args, 0, "")
	if err != nil {
		return err
	}
	admins := map[int64]bool{}
	var adminIDs []int64
	if *adminList == "" {
		*adminList = strconv.FormatInt(*as, 10)
	}
	for _, s := range strings.Split(*adminList, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			admins[id] = true
			adminIDs = append(adminIDs, id)
		}
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Update(seedDepartments); err != nil {
		return err
	}
	term := &terminal{out: env.Stdout, files: map[string][]byte{}}
	sender := &schedule.Sender{DB: db, Transport: term, Limits: schedule.Limits{Global: 1e6, PerChat: 1e6, PerGroupPerMinute: 1e6},
		Logger: newLogger(env, "text", "error", ""), Window: 1} // one at a time: the terminal shows them in order
	app := &bot.App{DB: db, TG: term, Admins: admins, Lang: c.lang(), Loc: c.loc, BotName: "duban_bot",
		Logger:   newLogger(env, "text", "warn", ""),
		Reporter: &schedule.Reporter{Policy: schedule.DefaultPolicy(), Cal: schedule.NewCalendar(), Loc: c.loc, Lang: c.Lang, Admins: adminIDs}}
	user := *as
	fmt.Fprintf(env.Stdout, "duban shell — 数据库 %s，以用户 %d 身份发言。输入 /help 查看命令，!quit 退出。\n", c.DB, user)
	in := bufio.NewScanner(env.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	for {
		fmt.Fprintf(env.Stdout, "%d> ", user)
		if !in.Scan() {
			fmt.Fprintln(env.Stdout)
			return in.Err()
		}
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		r := bot.Request{UserID: user, ChatID: user, Name: fmt.Sprintf("用户%d", user), MessageID: term.nextID(user)}
		verb, rest, _ := strings.Cut(line, " ")
		switch verb {
		case "!quit", "!exit":
			return nil
		case "!as":
			id, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			if err != nil {
				fmt.Fprintln(env.Stdout, "用法：!as 用户ID")
				continue
			}
			user = id
			continue
		case "!reply":
			n, text, _ := strings.Cut(strings.TrimSpace(rest), " ")
			id, err := strconv.Atoi(n)
			if err != nil {
				fmt.Fprintln(env.Stdout, "用法：!reply 消息号 文本")
				continue
			}
			r.ReplyToID, r.ReplyToMe, r.Text = id, true, text
		case "!press":
			n, data, _ := strings.Cut(strings.TrimSpace(rest), " ")
			id, err := strconv.Atoi(n)
			if err != nil || data == "" {
				fmt.Fprintln(env.Stdout, "用法：!press 消息号 按钮数据")
				continue
			}
			r.MessageID, r.CallbackID, r.CallbackData = id, "cb"+n, strings.TrimSpace(data)
		case "!import":
			path := strings.TrimSpace(rest)
			data, err := os.ReadFile(path)
			if err != nil {
				fmt.Fprintf(env.Stdout, "无法读取 %s：%v\n", path, err)
				continue
			}
			id := "file:" + path
			term.mu.Lock()
			term.files[id] = data
			term.mu.Unlock()
			r.DocumentID, r.DocumentName, r.DocumentSize = id, filepath.Base(path), int64(len(data))
		default:
			r.Text = line
		}
		app.Handle(ctx, r)
		if err := sender.Drain(ctx); err != nil {
			return err
		}
	}
}

// terminal is the shell's Telegram: it prints what the bot sends, numbered
// like Telegram's message IDs so the user can reply to them or press their
// buttons.
type terminal struct {
	mu    sync.Mutex
	out   io.Writer
	last  map[int64]int
	files map[string][]byte
}

func (t *terminal) nextID(chat int64) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		t.last = map[int64]int{}
	}
	t.last[chat]++
	return t.last[chat]
}

var tags = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)

// Send prints one message as plain text with its buttons.
func (t *terminal) Send(ctx context.Context, m *store.Message) (int, error) {
	id := m.EditID
	if id == 0 {
		id = t.nextID(m.ChatID)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	text := html.UnescapeString(tags.ReplaceAllString(m.Text, ""))
	head := fmt.Sprintf("── #%d", id)
	if m.EditID != 0 {
		head = fmt.Sprintf("── #%d（已更新）", id)
	}
	if m.ChatID != 0 {
		head += fmt.Sprintf(" → %d", m.ChatID)
	}
	fmt.Fprintln(t.out, head)
	fmt.Fprintln(t.out, text)
	for _, row := range m.Buttons {
		var bs []string
		for _, b := range row {
			bs = append(bs, fmt.Sprintf("[%s → !press %d %s]", b.Text, id, b.Data))
		}
		fmt.Fprintln(t.out, "  "+strings.Join(bs, "  "))
	}
	if m.Document != nil {
		name := filepath.Join(os.TempDir(), m.Document.Name)
		if err := os.WriteFile(name, m.Document.Data, 0o600); err == nil {
			fmt.Fprintf(t.out, "  📎 %s（%d 字节）\n", name, len(m.Document.Data))
		}
	}
	return id, nil
}

// AnswerCallback prints the toast a pressed button shows.
func (t *terminal) AnswerCallback(ctx context.Context, id, text string) error {
	if text != "" {
		t.mu.Lock()
		fmt.Fprintf(t.out, "  （%s）\n", text)
		t.mu.Unlock()
	}
	return nil
}

// Download returns a file "sent" with !import.
func (t *terminal) Download(ctx context.Context, fileID string) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if b, ok := t.files[fileID]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("no file %s", fileID)
}
