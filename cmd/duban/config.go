package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/store"
)

// common holds the settings every subcommand shares. Each flag has an
// environment variable; the flag wins.
type common struct {
	DB   string
	TZ   string
	Lang string
	loc  *time.Location
}

func (c *common) register(fs *flag.FlagSet, env *Env) {
	fs.StringVar(&c.DB, "db", envOr(env, "DUBAN_DB", "duban.db"), "数据库文件 / database file (DUBAN_DB)")
	fs.StringVar(&c.TZ, "tz", envOr(env, "DUBAN_TZ", "Asia/Shanghai"), "时区 / time zone (DUBAN_TZ)")
	fs.StringVar(&c.Lang, "lang", envOr(env, "DUBAN_LANG", "zh"), "回复语言 zh|en / reply language (DUBAN_LANG)")
}

// newCommand makes a subcommand's flag set with the shared flags on it.
func newCommand(env *Env, name, args, about string) (*common, *flag.FlagSet) {
	c := &common{}
	fs := newFlags(env, name, args, about)
	c.register(fs, env)
	return c, fs
}

// parse parses a subcommand's arguments (flags anywhere), checks that there
// are n positional arguments (what names them for the error; n < 0: any
// number) and validates the shared settings.
func (c *common) parse(fs *flag.FlagSet, args []string, n int, what string) ([]string, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	if n >= 0 {
		if err := exactly(pos, n, what); err != nil {
			return nil, err
		}
	}
	return pos, c.check()
}

// check validates the shared settings after parsing.
func (c *common) check() error {
	loc, err := time.LoadLocation(c.TZ)
	if err != nil {
		return usagef("--tz %q 不是有效的时区（例如 Asia/Shanghai）", c.TZ)
	}
	c.loc = loc
	if c.Lang != "zh" && c.Lang != "en" {
		return usagef("--lang 只能是 zh 或 en，不是 %q", c.Lang)
	}
	return nil
}

func (c *common) lang() bot.Lang { return bot.Lang(c.Lang) }

// open opens the database for a command-line tool (fails fast when a
// server holds it), reading every page first so a damaged file is one
// clear error rather than a bbolt panic.
func (c *common) open() (*store.DB, error) {
	return store.Open(c.DB, store.Options{Timeout: time.Second, Verify: true, Now: nowFunc})
}

// openExisting is open for the commands that only read (tasks, export,
// digest, reminders): a mistyped --db used to create an empty database
// there and answer with an empty list and exit status 0 (an export of
// nothing, taken for the real list).
func (c *common) openExisting() (*store.DB, error) {
	if _, err := os.Stat(c.DB); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("数据库 %s 不存在：用 --db 或 DUBAN_DB 指定 duban serve 使用的文件，未做任何修改 / no such database file", c.DB)
	}
	return c.open()
}

// dbMode is how a command opens the database.
type dbMode int

const (
	readWrite dbMode = iota // created when missing (open)
	existing                // must exist: the commands that only read (openExisting)
	readOnly                // opened read-only (backup, check: the caller checked it exists)
)

// withDB is every command's open-database block: open the database as
// mode says (failing fast when a server holds it, every page read first),
// run fn, close it. fn's error is the command's.
func (c *common) withDB(mode dbMode, fn func(db *store.DB) error) error {
	open := c.open
	switch mode {
	case existing:
		open = c.openExisting
	case readOnly:
		open = func() (*store.DB, error) {
			return store.Open(c.DB, store.Options{Timeout: time.Second, ReadOnly: true, Verify: true})
		}
	}
	db, err := open()
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

func envOr(env *Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}

// parseArgs parses flags that may come before, between or after the
// positional arguments (duban import plan.txt --dry-run) and returns the
// positionals.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseDay reads --at: a date (2021-06-30, meaning 09:30 that day so the
// morning's reminders have fired) or a date and time (2021-06-30T09:00).
func parseDay(s string, loc *time.Location, now time.Time) (time.Time, error) {
	if s == "" {
		return now.In(loc), nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	d, err := store.ParseDate(s)
	if err != nil {
		return time.Time{}, usagef("--at %q: 应为 2021-06-30 或 2021-06-30T09:00", s)
	}
	return d.In(loc).Add(9*time.Hour + 30*time.Minute), nil
}

// exactly checks the number of positional arguments.
func exactly(pos []string, n int, what string) error {
	if len(pos) != n {
		if len(pos) < n {
			return usagef("缺少参数：%s", what)
		}
		return usagef("多余的参数：%s", strings.Join(pos[n:], " "))
	}
	return nil
}

var errNoTasks = errors.New("数据库里还没有任务：先运行 duban import 文件，或 duban serve 载入内置示例")

func plural(n int, what string) string { return fmt.Sprintf("%d %s", n, what) }
