package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/duban-bureau/duban/bot"
	running "github.com/duban-bureau/duban/bot/server"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

func runShell(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "shell", "[--as USER_ID] [--admin IDS] [--plan bundled|FILE|none]",
		"在终端里使用与 Telegram 相同的聊天命令：每行一条消息。\n"+
			"  /my、/task 4.1.3 …            发送命令\n"+
			"  !reply 消息号 文本             回复机器人的某条消息（如 !reply 3 60%）\n"+
			"  !press 消息号 按钮数据         按下按钮（如 !press 3 done:4.1.3）\n"+
			"  !import 文件                   像在 Telegram 里发送文件一样导入\n"+
			"  !as 用户ID                     换一个用户\n"+
			"  !quit                          退出")
	as := fs.Int64("as", 1, "以该 Telegram 用户 ID 发言 / act as this user ID")
	plan := fs.String("plan", envOr(env, "DUBAN_PLAN", "bundled"), "空库时载入（与 serve 相同）：bundled（内置示例，日期移到今年）、文件路径或 none (DUBAN_PLAN)")
	adminList := fs.String("admin", envOr(env, "DUBAN_ADMINS", ""), "管理员用户 ID（默认即 --as 的用户，便于体验全部命令）")
	var wc webConfig // /ledger prints its link; --web also serves the page from the shell
	wc.register(fs, env)
	_, err := c.parse(fs, args, 0, "")
	if err != nil {
		return err
	}
	if err := wc.check(); err != nil {
		return err
	}
	if wc.WebURL == "" {
		wc.WebURL = "http://localhost:8080" // where `duban serve --web :8080` would answer
	}
	var admins store.Admins
	if *adminList == "" {
		*adminList = strconv.FormatInt(*as, 10)
	}
	for _, s := range strings.Split(*adminList, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			admins = append(admins, id)
		}
	}
	term := &terminal{out: env.Stdout, files: map[string][]byte{}}
	var first initialPlan // an empty database gets what serve would load
	srv, err := running.Open(running.Config{DB: c.DB, Now: nowFunc, Transport: term, Chat: term,
		Admins: admins, Lang: c.lang(), Loc: c.loc, Policy: schedule.DefaultPolicy(), Cal: schedule.NewCalendar(),
		Limits: outbox.Limits{Global: 1e6, PerChat: 1e6, PerGroupPerMinute: 1e6},
		Window: 1, // one at a time: the terminal shows them in order
		Web:    wc.Web, WebURL: wc.WebURL, Ledger: wc.links(),
		Logger: newLogger(env, "text", "warn", ""),
		Plan: func(tx *store.Tx) (err error) {
			first, err = loadInitialPlan(tx, *plan, c.loc, "system", "duban shell")
			return err
		}})
	if err != nil {
		return err
	}
	defer srv.Close()
	sender, app := srv.Sender, srv.App
	sender.Logger, sender.Now = newLogger(env, "text", "error", ""), nowFunc
	app.BotName = "duban_bot"
	stopWeb, err := srv.StartWeb()
	if err != nil {
		return err
	}
	defer stopWeb()
	user := *as
	if c.Lang == "en" {
		fmt.Fprintf(env.Stdout, "duban shell — database %s, speaking as user %d. Type /help for the commands, !quit to leave.\n", c.DB, user)
	} else {
		fmt.Fprintf(env.Stdout, "duban shell — 数据库%s，以用户%d身份发言。输入/help查看命令，输入!quit退出。\n", c.DB, user)
	}
	if first.Loaded {
		describeInitialPlan(env, c.Lang, first)
	}
	if first.Example && c.Lang == "en" {
		fmt.Fprintln(env.Stdout, exampleNoticeEn)
	} else if first.Example {
		fmt.Fprintln(env.Stdout, exampleNotice)
	}
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
	dir   string // private directory for /export files, made on first use
}

// saveDocument writes a sent document into the session's own directory
// (0700, fresh from os.MkdirTemp) with O_EXCL: a shared /tmp let another
// local user plant a symlink under the export's name and have the
// workbook written through it. Called with t.mu held.
func (t *terminal) saveDocument(d *store.Document) (string, error) {
	if t.dir == "" {
		dir, err := os.MkdirTemp("", "duban-shell-")
		if err != nil {
			return "", err
		}
		t.dir = dir
	}
	base := filepath.Base(d.Name)
	if base == "." || base == string(filepath.Separator) {
		base = "export"
	}
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for i := 1; ; i++ {
		name := filepath.Join(t.dir, base)
		if i > 1 {
			name = filepath.Join(t.dir, fmt.Sprintf("%s-%d%s", stem, i, ext))
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) && i < 100 {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(d.Data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return name, err
	}
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
		name, err := t.saveDocument(m.Document)
		if err != nil {
			fmt.Fprintf(t.out, "  📎 %s 未能保存 / not saved: %v\n", m.Document.Name, err)
		} else {
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

// describeInitialPlan says what the shell loaded into an empty database.
func describeInitialPlan(env *Env, lang string, r initialPlan) {
	switch {
	case lang == "en" && r.Example:
		fmt.Fprintf(env.Stdout, "The database was empty: loaded the bundled example %s (%d tasks), dates moved from %d to %d (--plan none: load nothing).\n", r.Title, r.Tasks, r.FromYear, r.ToYear)
	case lang == "en":
		fmt.Fprintf(env.Stdout, "The database was empty: loaded %s (%d tasks).\n", r.Title, r.Tasks)
	case r.Example:
		fmt.Fprintf(env.Stdout, "数据库为空：已载入内置示例《%s》（%d 项任务），日期由 %d 年移到 %d 年（--plan none 则不载入）。\n", r.Title, r.Tasks, r.FromYear, r.ToYear)
	default:
		fmt.Fprintf(env.Stdout, "数据库为空：已载入《%s》（%d 项任务）。\n", r.Title, r.Tasks)
	}
}
