package main

import (
	"context"
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

func runDigest(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "digest", "[--plan ID] [--at DATE] [--html]", "打印某一天的督办周报（默认今天），不发送；默认含进行中的计划，--plan 只含一个计划。")
	planRef := fs.String("plan", "", "只含该计划（duban plans 查看）/ one plan only")
	at := fs.String("at", "", "日期 2021-07-05（默认今天）/ the day")
	raw := fs.Bool("html", false, "输出 Telegram HTML 原文 / print the HTML as sent")
	policyFile := fs.String("policy", envOr(env, "DUBAN_POLICY", ""), "提醒策略 JSON 文件（每栏行数、红黄灯阈值）/ policy file (DUBAN_POLICY)")
	_, err := c.parse(fs, args, 0, "")
	if err != nil {
		return err
	}
	policy, err := loadPolicy(*policyFile)
	if err != nil {
		return err
	}
	now, err := parseDay(*at, c.loc, nowFunc())
	if err != nil {
		return err
	}
	return c.withDB(existing, func(db *store.DB) error {
		return db.View(func(tx *store.Tx) error {
			if !tx.HasTasks() {
				return errNoTasks
			}
			if err := scopeActive(tx, *planRef, "不进周报"); err != nil {
				return err
			}
			s, err := schedule.LoadDigestSnapshot(tx, policy, nil, c.lang(), c.loc)
			if err != nil {
				return err
			}
			d, err := schedule.BuildDigestTx(tx, s, nil, now)
			if err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, plain(d.Text(c.lang()), *raw))
			return nil
		})
	})
}

func runReminders(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "reminders", "[--plan ID] [--at DATE] [--text]", "预览提醒策略在某一天（默认今天）会发送什么、发给谁、为什么（不发送）；默认含进行中的计划，--plan 只含一个计划。")
	planRef := fs.String("plan", "", "只含该计划（duban plans 查看）/ one plan only")
	at := fs.String("at", "", "日期 2021-06-30（默认今天）/ the day")
	text := fs.Bool("text", false, "同时打印消息全文 / print each message's text")
	admin := fs.String("admin", envOr(env, "DUBAN_ADMINS", ""), "管理员用户 ID（逾期通报的收件人）")
	policyFile := fs.String("policy", envOr(env, "DUBAN_POLICY", ""), "提醒策略 JSON 文件（与 serve 相同）/ reminder policy file (DUBAN_POLICY)")
	holidays := fs.String("holidays", envOr(env, "DUBAN_HOLIDAYS", ""), "节假日文件（与 serve 相同）/ holiday file (DUBAN_HOLIDAYS)")
	_, err := c.parse(fs, args, 0, "")
	if err != nil {
		return err
	}
	day := store.DateOf(nowFunc().In(c.loc)) // today, like tasks and digest
	if *at != "" {
		d, err := store.ParseDate(strings.SplitN(*at, "T", 2)[0])
		if err != nil {
			return usagef("--at %q: 应为 2021-06-30", *at)
		}
		day = d
	}
	var admins []int64
	for _, s := range strings.Split(*admin, ",") {
		var id int64
		if _, err := fmt.Sscan(strings.TrimSpace(s), &id); err == nil {
			admins = append(admins, id)
		}
	}
	policy, err := loadPolicy(*policyFile)
	if err != nil {
		return err
	}
	return c.withDB(existing, func(db *store.DB) error {
		cal, err := loadCalendar(*holidays, nil)
		if err != nil {
			return err
		}
		for _, w := range cal.Warnings(day.Year()) {
			fmt.Fprintln(env.Stderr, "警告：", w)
		}
		return db.View(func(tx *store.Tx) error {
			if !tx.HasTasks() {
				return errNoTasks
			}
			if err := scopeActive(tx, *planRef, "不发送提醒"); err != nil {
				return err
			}
			s, err := schedule.LoadSnapshot(tx, admins, c.lang(), c.loc)
			if err != nil {
				return err
			}
			s.Lights = policy.Lights
			if s.Acks, err = schedule.LoadAcks(tx); err != nil {
				return err
			}
			pl := schedule.Preview(policy, cal, s, day)
			if !cal.IsWorkday(day) {
				fmt.Fprintf(env.Stdout, "%s 不是工作日：不发送任何提醒。\n", day)
			}
			for _, r := range pl.Reminders {
				fmt.Fprintf(env.Stdout, "%s  %-10s → %s\n    %s\n", r.DueAt.In(c.loc).Format("2006-01-02 15:04"), r.Kind, r.Recipient, r.Why)
				for _, l := range r.Lines {
					fmt.Fprintf(env.Stdout, "      · %s\n", l)
				}
				if *text {
					fmt.Fprintln(env.Stdout, indent(plain(r.Text, false), "    | "))
				}
			}
			fmt.Fprintf(env.Stdout, "共 %d 条（%s）\n", len(pl.Reminders), day)
			if len(pl.Held) > 0 {
				fmt.Fprintf(env.Stdout, "\n免打扰预算未发送 %d 项：\n", len(pl.Held))
				for _, r := range pl.Held {
					fmt.Fprintf(env.Stdout, "%s  %-10s ✗ %s\n    %s\n", r.DueAt.In(c.loc).Format("2006-01-02 15:04"), r.Kind, r.Recipient, r.Why)
				}
			}
			return nil
		})
	})
}

// loadCalendar returns the working-day calendar, with a --holidays file's
// years added when one is named (logged through info when set).
func loadCalendar(path string, info func(msg string, args ...any)) (*schedule.Calendar, error) {
	cal := schedule.NewCalendar()
	if path == "" {
		return cal, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	years, err := cal.LoadHolidays(f)
	if err != nil {
		return nil, fmt.Errorf("--holidays %s: %w", path, err)
	}
	if info != nil {
		info("holiday file loaded", "file", path, "years", years)
	}
	return cal, nil
}

// loadPolicy reads a --policy file, or returns the default policy.
func loadPolicy(path string) (schedule.Policy, error) {
	if path == "" {
		return schedule.DefaultPolicy(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return schedule.Policy{}, err
	}
	defer f.Close()
	p, err := schedule.LoadPolicy(f)
	if err != nil {
		return p, fmt.Errorf("--policy %s: %w", path, err)
	}
	return p, nil
}

var htmlTags = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)

// plain turns Telegram HTML into terminal text (unless raw).
func plain(s string, raw bool) string {
	if raw {
		return s
	}
	return html.UnescapeString(htmlTags.ReplaceAllString(s, ""))
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
