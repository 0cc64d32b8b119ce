// Command duban is the 督办 bot and its admin tools: serve runs the Telegram
// bot; the other subcommands work on a database no server holds open.
//
// It owns flags, environment variables and output only: serve and shell
// turn them into a bot/server.Config and run it; the other subcommands
// open the database through one helper (withDB) and call store,
// seeds/intake, schedule and bot; the operations listener (/healthz,
// /metrics, /backup) is here too. It may import every package of ours
// except bot/telegramtest and store/storetest, and never the Telegram
// library itself.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// subcommand is one verb of the duban binary.
type subcommand struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

var subcommands = map[string]subcommand{
	"serve":     {"运行机器人 (Telegram 长轮询或 webhook) / run the bot", runServe},
	"shell":     {"在终端里使用聊天命令，无需 Telegram / chat commands in the terminal", runShell},
	"import":    {"导入工作要点文档或责任清单 (.txt .md .csv .xlsx) / import a plan or list", runImport},
	"export":    {"导出责任清单 (CSV 或 XLSX) / export the list", runExport},
	"tasks":     {"列出任务 (--overdue, --dept, --at) / list tasks", runTasks},
	"depts":     {"列出或维护单位 (add, rename, remove) / departments", runDepts},
	"people":    {"登记人员：列出、取消登记、督办员、邀请 / people, coordinators, invites", runPeople},
	"digest":    {"打印督办周报 (--at DATE) / print the weekly digest", runDigest},
	"reminders": {"预览某一时刻将发送的提醒 (--at DATE) / preview reminders", runReminders},
	"backup":    {"备份数据库 (-o FILE) / back up the database", runBackup},
	"check":     {"检查数据库文件是否完好 / verify the database file", runCheck},
	"version":   {"显示版本 / print the version", runVersion},
	"web":       {"网页台账：rotate-key 更换链接密钥 / web ledger: rotate-key", runWeb},
	"example":   {"内置示例计划：查看、采用 (adopt) 或删除 (remove) / the bundled example plan", runExample},
	"plans":     {"列出计划；归档 (archive)、恢复 (activate)、删除 (remove) / plans", runPlans},
	"bureau":    {"查看或设置本局名称 (set)：周报标题和导出显示 / the bureau's name", runBureau},
}

// usageError is wrong usage: exit status 2 and one line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// Env is what a subcommand may touch: the process's streams and environment.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// badEnv lists DUBAN_* numbers and durations that did not parse;
	// serve refuses to start on them instead of using the default.
	badEnv []string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(Main(ctx, env, os.Args[1:]))
}

// Main runs one subcommand and returns the exit status: 0 ok, 1 failure,
// 2 wrong usage.
func Main(ctx context.Context, env *Env, args []string) int {
	env, args, err := globalFlags(env, args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "duban: %s\n", err)
		return 2
	}
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "duban: 缺少命令；运行 duban --help 查看用法 / missing command, see duban --help")
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(env.Stdout)
		return 0
	}
	sc, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "duban: 未知命令 %q；运行 duban --help 查看可用命令\n", args[0])
		return 2
	}
	err = runRecovered(sc.run, ctx, env, args[1:])
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "duban %s: %s\n", args[0], ue.msg)
		return 2
	case errors.As(err, new(reported)):
		return 1
	}
	fmt.Fprintf(env.Stderr, "duban %s: %s\n", args[0], userText(err))
	return 1
}

// runRecovered runs a subcommand, turning a panic (bbolt panics on some
// damaged pages) into one line instead of a stack trace.
func runRecovered(run func(context.Context, *Env, []string) error, ctx context.Context, env *Env, args []string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			msg := fmt.Sprint(p)
			if i := strings.IndexByte(msg, '\n'); i >= 0 {
				msg = msg[:i]
			}
			err = fmt.Errorf("内部错误（%s）：若数据库损坏，请运行 duban check 并从备份恢复 / internal error; run duban check", msg)
		}
	}()
	return run(ctx, env, args)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, `duban — 督办：责任清单 Telegram 机器人 / a Telegram bot for a bureau's responsibility list

用法 / usage: duban [--db FILE] [--tz ZONE] [--lang zh|en] <命令> [选项]

命令 / commands:`)
	var names []string
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, subcommands[n].summary)
	}
	fmt.Fprintln(w, `
每个命令的选项：duban <命令> --help / options of each: duban <command> --help
快速开始 / quick start:
  DUBAN_TELEGRAM_TOKEN=123:abc duban serve --admin 你的用户ID
  duban shell --as 1              # 无需 Telegram 体验全部命令`)
}

// newFlags makes a subcommand's flag set that reports errors instead of
// exiting, with a usage text that explains the subcommand.
func newFlags(env *Env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// The flag package calls Usage on every parse error; the full text is
	// only for -h, so it hangs off a separate table.
	fs.Usage = func() {}
	helpText.Store(fs, func() {
		fmt.Fprintf(env.Stdout, "用法 / usage: duban %s %s\n\n%s\n\n选项 / options:\n", name, args, about)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	})
	return fs
}

// helpText maps a flag set to the function printing its --help text.
var helpText sync.Map

// parse parses flags; -h prints the usage and ends the command with status 0,
// a bad flag is a usage error.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		if f, ok := helpText.LoadAndDelete(fs); ok {
			f.(func())()
		}
		return flag.ErrHelp
	}
	if err != nil {
		return usagef("%s（duban %s --help 查看用法）", strings.TrimSpace(err.Error()), fs.Name())
	}
	return nil
}

// globalFlags reads the shared flags written before the subcommand
// (duban --db X import FILE) and hands them to it as if they were its
// environment variables: a flag after the subcommand still wins.
func globalFlags(env *Env, args []string) (*Env, []string, error) {
	vars := map[string]string{"db": "DUBAN_DB", "tz": "DUBAN_TZ", "lang": "DUBAN_LANG"}
	set := map[string]string{}
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" {
		name, val, hasVal := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		key, ok := vars[name]
		if !ok {
			return env, args, fmt.Errorf("未知选项 %s：命令前只能写 --db、--tz、--lang；运行 duban --help 查看用法", args[0])
		}
		if !hasVal {
			if len(args) < 2 {
				return env, args, fmt.Errorf("选项 %s 缺少值", args[0])
			}
			val, args = args[1], args[1:]
		}
		set[key] = val
		args = args[1:]
	}
	if len(set) == 0 {
		return env, args, nil
	}
	e := *env
	e.Getenv = func(k string) string {
		if v, ok := set[k]; ok {
			return v
		}
		return env.Getenv(k)
	}
	return &e, args, nil
}
