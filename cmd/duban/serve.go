package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"log"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bureau/duban/bot"
	running "github.com/duban-bureau/duban/bot/server"
	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// serveConfig is every setting of duban serve (README lists them all).
type serveConfig struct {
	common
	env           *Env // for the DUBAN_* values that did not parse
	Token         string
	APIURL        string
	Admins        string
	Plan          string
	HTTP          string
	WebhookURL    string
	WebhookListen string
	WebhookSecret string
	BackupToken   string
	DigestChat    string
	LogFormat     string
	LogLevel      string
	PolicyFile    string
	HolidaysFile  string
	Shutdown      time.Duration
	RateGlobal    float64
	RatePerChat   float64
	RateGroup     float64
	webConfig
	SendWindow int

	admins     store.Admins
	digestChat int64
	rawToken   string // as given, before trimming: redacted from logs too
}

// webhookSecret is what Telegram accepts as secret_token.
var webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (c *serveConfig) register(fs *flag.FlagSet, env *Env) {
	c.common.register(fs, env)
	c.env = env
	fs.StringVar(&c.Token, "token", envOr(env, "DUBAN_TELEGRAM_TOKEN", ""), "Telegram 机器人令牌，向 @BotFather 获取 / bot token (DUBAN_TELEGRAM_TOKEN, required)")
	fs.StringVar(&c.APIURL, "api-url", envOr(env, "DUBAN_TELEGRAM_API_URL", ""), "Bot API 地址，默认 Telegram 官方 / Bot API server (DUBAN_TELEGRAM_API_URL)")
	fs.StringVar(&c.Admins, "admin", envOr(env, "DUBAN_ADMINS", ""), "管理员 Telegram 用户 ID，逗号分隔 / admin user IDs (DUBAN_ADMINS)")
	fs.StringVar(&c.Plan, "plan", envOr(env, "DUBAN_PLAN", "bundled"), "空库时载入：bundled（内置示例，日期移到今年）、文件路径或 none (DUBAN_PLAN)")
	fs.StringVar(&c.HTTP, "http", envOr(env, "DUBAN_HTTP", "127.0.0.1:9180"), "运维端口 /healthz /metrics /backup，空为关闭 / operations listener (DUBAN_HTTP)")
	fs.StringVar(&c.WebhookURL, "webhook-url", envOr(env, "DUBAN_WEBHOOK_URL", ""), "webhook 模式：向 Telegram 登记的 https 地址 / webhook URL (DUBAN_WEBHOOK_URL)")
	fs.StringVar(&c.WebhookListen, "webhook-listen", envOr(env, "DUBAN_WEBHOOK_LISTEN", ":8443"), "webhook 监听地址 / webhook listen address (DUBAN_WEBHOOK_LISTEN)")
	fs.StringVar(&c.WebhookSecret, "webhook-secret", envOr(env, "DUBAN_WEBHOOK_SECRET", ""), "webhook 密钥，webhook 模式必填 / secret token (DUBAN_WEBHOOK_SECRET)")
	fs.StringVar(&c.BackupToken, "backup-token", envOr(env, "DUBAN_BACKUP_TOKEN", ""), "运维端口 /backup 的令牌，请求需带 Authorization: Bearer 令牌；为空则关闭 /backup / bearer token for /backup (DUBAN_BACKUP_TOKEN)")
	fs.StringVar(&c.DigestChat, "digest-chat", envOr(env, "DUBAN_DIGEST_CHAT", ""), "督办群 chat ID（周报与逾期通报）/ coordinators' chat (DUBAN_DIGEST_CHAT)")
	fs.StringVar(&c.LogFormat, "log-format", envOr(env, "DUBAN_LOG_FORMAT", "text"), "日志格式 text|json (DUBAN_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", envOr(env, "DUBAN_LOG_LEVEL", "info"), "日志级别 debug|info|warn|error (DUBAN_LOG_LEVEL)")
	fs.StringVar(&c.PolicyFile, "policy", envOr(env, "DUBAN_POLICY", ""), policyHelp())
	fs.StringVar(&c.HolidaysFile, "holidays", envOr(env, "DUBAN_HOLIDAYS", ""), "节假日文件（JSON 或 CSV 的放假/调休日期），补充或覆盖年份 / holiday file (DUBAN_HOLIDAYS)")
	fs.DurationVar(&c.Shutdown, "shutdown-timeout", envDuration(env, "DUBAN_SHUTDOWN_TIMEOUT", 10*time.Second), "停机时等待处理完成的上限 (DUBAN_SHUTDOWN_TIMEOUT)")
	fs.Float64Var(&c.RateGlobal, "rate-global", envFloat(env, "DUBAN_RATE_GLOBAL", 30), "每秒最多发送条数 / messages per second overall (DUBAN_RATE_GLOBAL)")
	fs.Float64Var(&c.RatePerChat, "rate-chat", envFloat(env, "DUBAN_RATE_CHAT", 1), "每个会话每秒条数 / per chat per second (DUBAN_RATE_CHAT)")
	fs.Float64Var(&c.RateGroup, "rate-group", envFloat(env, "DUBAN_RATE_GROUP", 20), "每个群每分钟条数 / per group per minute (DUBAN_RATE_GROUP)")
	c.webConfig.register(fs, env)
	fs.IntVar(&c.SendWindow, "send-window", envInt(env, "DUBAN_SEND_WINDOW", outbox.DefaultWindow), "同时在途的消息上限（每个会话至多一条；崩溃时至多重发这么多条）/ messages in flight at once, one per chat (DUBAN_SEND_WINDOW)")
}

func envDuration(env *Env, key string, def time.Duration) time.Duration {
	v := strings.TrimSpace(env.Getenv(key))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		env.badEnv = append(env.badEnv, fmt.Sprintf("%s=%q 不是时长（例如 10s、24h）", key, v))
		return def
	}
	return d
}

func envFloat(env *Env, key string, def float64) float64 {
	v := strings.TrimSpace(env.Getenv(key))
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		env.badEnv = append(env.badEnv, fmt.Sprintf("%s=%q 不是有限的数", key, v))
		return def
	}
	return f
}

func envInt(env *Env, key string, def int) int {
	v := strings.TrimSpace(env.Getenv(key))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		env.badEnv = append(env.badEnv, fmt.Sprintf("%s=%q 不是整数", key, v))
		return def
	}
	return n
}

// maxRate bounds --rate-global, --rate-chat and --rate-group: far above
// Telegram's limits (30/s, 1/s, 20/min), and small enough that the
// limiter's window (one slot per message of a second) stays small.
const maxRate = 10000

func (c *serveConfig) check() error {
	if err := c.common.check(); err != nil {
		return err
	}
	if c.env != nil && len(c.env.badEnv) > 0 {
		return usagef("环境变量 %s", strings.Join(c.env.badEnv, "；"))
	}
	c.BackupToken = strings.TrimSpace(c.BackupToken)
	if strings.TrimSpace(c.Token) == "" {
		return usagef("缺少机器人令牌：在 Telegram 里向 @BotFather 发送 /newbot 获取，然后设置 DUBAN_TELEGRAM_TOKEN 或 --token")
	}
	tok, err := telegram.CheckToken(c.Token)
	if err != nil {
		return usagef("--token / DUBAN_TELEGRAM_TOKEN: %v", err)
	}
	c.rawToken, c.Token = c.Token, tok
	if c.Plan != "bundled" && c.Plan != "none" && c.Plan != "" {
		// Checked before the database is created, so a mistyped --plan
		// leaves no new empty database behind.
		if fi, err := os.Stat(c.Plan); err != nil || !fi.Mode().IsRegular() {
			return usagef("--plan %q：找不到这个计划文件（或写 bundled、none）/ no such plan file", c.Plan)
		}
	}
	for _, s := range strings.Split(c.Admins, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return usagef("--admin %q 不是 Telegram 用户 ID（数字，可向 @userinfobot 查询）", s)
		}
		c.admins = append(c.admins, id)
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return usagef("--webhook-url %q 不是有效的 https 地址（Telegram 只向 https:// 推送更新）", c.WebhookURL)
		}
		if c.WebhookSecret == "" {
			return usagef("webhook 模式必须设置 --webhook-secret 或 DUBAN_WEBHOOK_SECRET（1–256 个字符 A-Z a-z 0-9 _ -）")
		}
		if !webhookSecret.MatchString(c.WebhookSecret) {
			return usagef("--webhook-secret 只能由 1–256 个字符 A-Z a-z 0-9 _ - 组成（Telegram 的要求）/ the secret may only hold A-Z a-z 0-9 _ -")
		}
	}
	if c.DigestChat != "" {
		id, err := strconv.ParseInt(strings.TrimSpace(c.DigestChat), 10, 64)
		if err != nil || id == 0 {
			return usagef("--digest-chat %q 不是 chat ID（数字，群为负数）", c.DigestChat)
		}
		c.digestChat = id
	}
	if c.SendWindow < 0 || c.SendWindow > 1000 { // 0 means the default
		return usagef("--send-window %d 应在 1 到 1000 之间（默认 %d）", c.SendWindow, outbox.DefaultWindow)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return usagef("--log-format 只能是 text 或 json")
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return usagef("--log-level %q：应为 debug、info、warn 或 error", c.LogLevel)
	}
	for _, r := range []struct {
		flag string
		v    float64
	}{{"--rate-global", c.RateGlobal}, {"--rate-chat", c.RatePerChat}, {"--rate-group", c.RateGroup}} {
		// !(v > 0) catches NaN too; Inf made the limiter's makeslice panic.
		if !(r.v > 0) || r.v > maxRate {
			return usagef("%s %v：发送速率必须大于 0，且不超过 %d", r.flag, r.v, maxRate)
		}
	}
	if c.Web == "" {
		c.WebURL = "" // no listener: /ledger says the web ledger is off
	}
	return c.webConfig.check()
}

func runServe(ctx context.Context, env *Env, args []string) error {
	var c serveConfig
	fs := newFlags(env, "serve", "[选项]", "运行督办机器人：长轮询（默认）或 webhook 模式。每个选项都可用环境变量设置。")
	c.register(fs, env)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := exactly(pos, 0, ""); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	log := newLogger(env, c.LogFormat, c.LogLevel, c.Token, c.rawToken, c.BackupToken, c.WebhookSecret)
	s, err := newServer(ctx, &c, log)
	if err != nil {
		return err
	}
	if err := s.run(ctx); err != nil {
		// Through the logger, so --log-format json output stays all JSON
		// and the secrets are redacted; Main only sets the exit status.
		log.Error("duban serve stopped: " + err.Error())
		return reported{err}
	}
	return nil
}

// reported is an error already written to the log: exit status 1, not
// printed again.
type reported struct{ error }

func (r reported) Unwrap() error { return r.error }

// server is `duban serve`: the running duban (bot/server) and the
// operations listener beside it (/healthz, /metrics, /backup, ops.go).
type server struct {
	cfg     *serveConfig
	log     *slog.Logger
	srv     *running.Server
	db      *store.DB
	app     *bot.App
	runner  *schedule.Runner
	metrics *metrics
	health  *health
}

// newServer turns the checked flags into a server.Config and opens it.
func newServer(ctx context.Context, c *serveConfig, log *slog.Logger) (*server, error) {
	policy, err := loadPolicy(c.PolicyFile)
	if err != nil {
		return nil, err
	}
	cal, err := loadCalendar(c.HolidaysFile, log.Info)
	if err != nil {
		return nil, err
	}
	now := time.Now().In(c.loc)
	for _, w := range cal.Warnings(now.Year(), now.Year()+1) {
		log.Warn(w)
	}
	s := &server{cfg: c, log: log, health: &health{started: time.Now()}}
	s.metrics = newMetrics(func() *store.DB { return s.db })
	srv, err := running.Open(running.Config{
		DB: c.DB, Token: c.Token, APIURL: c.APIURL,
		Admins: c.admins, DigestChat: c.digestChat, Remember: true,
		Lang: c.lang(), Loc: c.loc, Policy: policy, Cal: cal,
		Limits:     outbox.Limits{Global: c.RateGlobal, PerChat: c.RatePerChat, PerGroupPerMinute: c.RateGroup},
		Window:     c.SendWindow,
		SentLog:    true,
		WebhookURL: c.WebhookURL, WebhookListen: c.WebhookListen, WebhookSecret: c.WebhookSecret,
		Shutdown: c.Shutdown,
		Web:      c.Web, WebURL: c.WebURL, Ledger: c.links(),
		Logger:     log,
		Plan:       s.loadInitialPlan,
		OnCall:     s.health.observe(s.metrics),
		OnUpdate:   s.metrics.observeUpdate,
		OnDue:      s.metrics.remindersDue,
		Hooks:      s.metrics.sendHooks(),
		CrashPoint: crashPoint,
	})
	if err != nil {
		return nil, err
	}
	s.srv, s.db, s.app, s.runner = srv, srv.DB, srv.App, srv.Runner
	return s, nil
}

// loadInitialPlan fills an empty database (see the function of that name)
// and says what it did.
func (s *server) loadInitialPlan(tx *store.Tx) error {
	c := s.cfg
	r, err := loadInitialPlan(tx, c.Plan, c.loc, "system", "duban serve")
	switch {
	case err != nil:
		return err
	case !r.Loaded && c.Plan == "none" && !tx.HasTasks():
		s.log.Info("empty database, no plan loaded (--plan none)")
	case r.Example && r.FromYear != 0 && r.FromYear != r.ToYear:
		s.log.Info("loaded the bundled plan as a live example; its dates were moved to this year", "plan", r.Title, "tasks", r.Tasks, "from_year", r.FromYear, "to_year", r.ToYear)
	case r.Loaded:
		s.log.Info("loaded plan into the empty database", "plan", r.Title, "tasks", r.Tasks)
	}
	if tx.IsExamplePlan() { // on every start until adopted
		s.log.Warn("example plan: reminders go only to the admins; for production stop, delete the database and start with --plan none, or keep it with duban example adopt", "notice", exampleNotice)
	}
	return nil
}

// run runs duban with the operations listener beside it, and closes it.
func (s *server) run(ctx context.Context) error {
	defer s.srv.Close()
	c := s.cfg
	var ops *http.Server
	if c.HTTP != "" {
		ln, err := net.Listen("tcp", c.HTTP)
		if err != nil {
			return fmt.Errorf("--http %s: %w", c.HTTP, err)
		}
		ops = s.opsServer(opsReadTimeout, opsWriteTimeout)
		go ops.Serve(ln)
		s.log.Info("operations listener", "addr", ln.Addr().String())
		s.warnExposed(c.HTTP)
	}
	err := s.srv.Run(ctx)
	if ops != nil {
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		ops.Shutdown(sctx)
		cancel()
	}
	s.log.Info("stopped")
	return err
}

// httpErrorLog sends net/http's own complaints (bad requests, handler
// panics) through the structured logger, so --log-format json output stays
// all JSON and the token redaction applies.
func (s *server) httpErrorLog() *log.Logger {
	return slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)
}
