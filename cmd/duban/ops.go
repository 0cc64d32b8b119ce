package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"github.com/duban-bureau/duban/schedule/outbox"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/store"
)

// newLogger builds the slog logger; every record passes through a filter
// that replaces the secrets (the bot token in all its encodings, the
// backup token, the webhook secret), so no log line can carry them.
func newLogger(env *Env, format, level string, secrets ...string) *slog.Logger {
	var lvl slog.Level
	lvl.UnmarshalText([]byte(level))
	r := redactor(secrets)
	opts := &slog.HandlerOptions{Level: lvl, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		switch a.Value.Kind() {
		case slog.KindString:
			if v := a.Value.String(); r.redact(v) != v {
				return slog.String(a.Key, r.redact(v))
			}
		case slog.KindAny:
			if err, ok := a.Value.Any().(error); ok {
				return slog.String(a.Key, r.redact(err.Error()))
			}
			if v := fmt.Sprint(a.Value.Any()); r.redact(v) != v {
				return slog.String(a.Key, r.redact(v))
			}
		}
		return a
	}}
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(env.Stderr, opts)
	} else {
		h = slog.NewTextHandler(env.Stderr, opts)
	}
	return slog.New(redactMessage{h, r})
}

// redactor is the secrets a log line must not carry.
type redactor []string

func (r redactor) redact(s string) string {
	for _, secret := range r {
		if len(strings.TrimSpace(secret)) >= 6 {
			s = telegram.Redact(s, secret)
		}
	}
	return s
}

// redactMessage scrubs the secrets from the message itself.
type redactMessage struct {
	slog.Handler
	r redactor
}

func (r redactMessage) Handle(ctx context.Context, rec slog.Record) error {
	rec.Message = r.r.redact(rec.Message)
	return r.Handler.Handle(ctx, rec)
}

func (r redactMessage) WithAttrs(as []slog.Attr) slog.Handler {
	return redactMessage{r.Handler.WithAttrs(as), r.r}
}

func (r redactMessage) WithGroup(name string) slog.Handler {
	return redactMessage{r.Handler.WithGroup(name), r.r}
}

// metrics are the Prometheus series of /metrics.
type metrics struct {
	reg      *prometheus.Registry
	updates  *prometheus.CounterVec
	latency  prometheus.Histogram
	sent     prometheus.Counter
	failed   prometheus.Counter
	tooMany  prometheus.Counter
	blocked  prometheus.Counter
	due      prometheus.Counter
	apiCalls *prometheus.CounterVec
}

// newMetrics registers the series; db is read when /metrics is scraped
// (the database is opened after the metrics are made).
func newMetrics(db func() *store.DB) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.updates = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "duban_updates_total", Help: "Telegram updates handled, by command and result."}, []string{"command", "result"})
	m.latency = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "duban_handler_seconds", Help: "Time to handle and persist one update.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}})
	m.sent = prometheus.NewCounter(prometheus.CounterOpts{Name: "duban_messages_sent_total", Help: "Outbox messages Telegram accepted."})
	m.failed = prometheus.NewCounter(prometheus.CounterOpts{Name: "duban_messages_failed_total", Help: "Outbox messages given up (403 or permanent errors)."})
	m.tooMany = prometheus.NewCounter(prometheus.CounterOpts{Name: "duban_telegram_429_total", Help: "429 Too Many Requests answers."})
	m.blocked = prometheus.NewCounter(prometheus.CounterOpts{Name: "duban_telegram_403_total", Help: "403 Forbidden answers (bot blocked)."})
	m.due = prometheus.NewCounter(prometheus.CounterOpts{Name: "duban_reminders_due_total", Help: "Reminders, escalations and digests the schedule queued."})
	m.apiCalls = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "duban_bot_api_calls_total", Help: "Bot API calls by method and outcome."}, []string{"method", "outcome"})
	depth := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "duban_outbox_depth", Help: "Pending outbox messages."}, func() float64 {
		n := 0
		if d := db(); d != nil {
			d.View(func(tx *store.Tx) (err error) { n, _, err = tx.OutboxDepth(); return err }) // a damaged entry is still counted; /healthz names it
		}
		return float64(n)
	})
	m.reg.MustRegister(m.updates, m.latency, m.sent, m.failed, m.tooMany, m.blocked, m.due, m.apiCalls, depth,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observeUpdate(r bot.Result, d time.Duration) {
	m.updates.WithLabelValues(r.Command, r.Outcome).Inc()
	m.latency.Observe(d.Seconds())
}

func (m *metrics) remindersDue(n int) { m.due.Add(float64(n)) }

func (m *metrics) sendHooks() outbox.SendHooks {
	return outbox.SendHooks{
		OnSent:   func(*store.Message, time.Duration) { m.sent.Inc() },
		OnFailed: func(*store.Message, error) { m.failed.Inc() },
		On429:    func(int64, time.Duration, bool) { m.tooMany.Inc() },
		On403:    func(int64) { m.blocked.Inc() },
	}
}

// health tracks the last successful Bot API call for /healthz.
type health struct {
	mu      sync.Mutex
	started time.Time // when serve started: no success since then counts too
	lastOK  time.Time
	lastErr string
	// apiSilence is how long without a successful Bot API call makes
	// /healthz unhealthy (5 minutes).
	apiSilence time.Duration
}

func (h *health) silence() time.Duration {
	if h.apiSilence > 0 {
		return h.apiSilence
	}
	return 5 * time.Minute
}

func (h *health) observe(m *metrics) func(method string, err error) {
	return func(method string, err error) {
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		m.apiCalls.WithLabelValues(method, outcome).Inc()
		h.mu.Lock()
		defer h.mu.Unlock()
		if err == nil {
			h.lastOK = time.Now()
		} else {
			h.lastErr = err.Error()
		}
	}
}

// opsHandler serves /healthz, /metrics and /backup.
func (s *server) opsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", s.healthz)
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/backup", s.backup)
	return mux
}

// backup streams a consistent copy of the database to a caller with the
// backup token. The copy is first written to a private temporary file
// beside the database and streamed from there: a read transaction held
// for as long as a slow client reads (a curl --limit-rate 200k) blocked
// every write that needed the file to grow, for minutes.
func (s *server) backup(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: use GET", http.StatusMethodNotAllowed)
		return
	}
	if s.cfg.BackupToken == "" {
		http.Error(w, "backup disabled: start duban serve with --backup-token TOKEN (or DUBAN_BACKUP_TOKEN) "+
			"and send the header Authorization: Bearer TOKEN", http.StatusForbidden)
		return
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.cfg.BackupToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="duban backup"`)
		http.Error(w, "unauthorized: send Authorization: Bearer TOKEN (the --backup-token)", http.StatusUnauthorized)
		return
	}
	f, err := os.CreateTemp(filepath.Dir(s.db.Path), ".duban-backup-*.tmp")
	if err != nil {
		s.log.Error("online backup: temporary file", "err", err)
		http.Error(w, "backup failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	// Unlinked at once: the open file is all that is needed, and nothing
	// is left behind if the process dies mid-stream.
	os.Remove(f.Name())
	defer f.Close()
	n, err := s.db.WriteTo(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		s.log.Error("online backup: snapshot", "err", err)
		http.Error(w, "backup failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="duban-%s.db"`, time.Now().Format("20060102-150405")))
	if r.Method == http.MethodHead {
		return
	}
	// The listener's WriteTimeout bounds a stalled reader; a slow one
	// that keeps reading gets the deadline moved on with each chunk.
	rc := http.NewResponseController(w)
	buf := make([]byte, 64<<10)
	for {
		rc.SetWriteDeadline(time.Now().Add(opsWriteTimeout))
		k, rerr := f.Read(buf)
		if k > 0 {
			if _, werr := w.Write(buf[:k]); werr != nil {
				s.log.Warn("online backup: client stopped reading", "err", werr)
				return
			}
		}
		if rerr == io.EOF {
			return
		}
		if rerr != nil {
			s.log.Error("online backup: read snapshot", "err", rerr)
			return
		}
	}
}

// Timeouts of the operations listener: a client must send its request
// within opsReadTimeout and take each part of the answer within
// opsWriteTimeout.
const (
	opsReadTimeout  = 10 * time.Second
	opsWriteTimeout = 30 * time.Second
)

// opsServer is the operations listener's server: a client that does not
// send its request within read, or stops taking the answer for write, is
// cut off, so a slow or hostile reader holds no connection for long.
func (s *server) opsServer(read, write time.Duration) *http.Server {
	return &http.Server{Handler: s.opsHandler(), ReadHeaderTimeout: read, ReadTimeout: read,
		WriteTimeout: write, IdleTimeout: 6 * read, ErrorLog: s.httpErrorLog()}
}

// warnExposed warns when the operations listener is reachable from other
// hosts: /healthz and /metrics answer anyone.
func (s *server) warnExposed(addr string) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return
	}
	if host == "localhost" {
		return
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return
	}
	backup := "/backup is disabled (no --backup-token)"
	if s.cfg.BackupToken != "" {
		backup = "/backup answers anyone with the backup token (Authorization: Bearer)"
	}
	s.log.Warn("the operations listener is not on a loopback address: /healthz and /metrics are open to anyone who can reach it; "+
		backup+"; bind it to 127.0.0.1 or firewall the port", "http", addr)
}

// healthz reports JSON and 503 when the database does not answer, the
// outbox has a message pending for over 15 minutes, or no Bot API call has
// succeeded for 5 minutes.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	dbErr := s.db.Ping(ctx)
	var depth int
	var oldest time.Time
	if dbErr == nil {
		dbErr = s.db.View(func(tx *store.Tx) (err error) { depth, oldest, err = tx.OutboxDepth(); return err })
	}
	s.health.mu.Lock()
	lastOK, lastErr := s.health.lastOK, s.health.lastErr
	s.health.mu.Unlock()
	now := time.Now()
	body := map[string]any{"database": "ok", "outbox_depth": depth}
	if s.runner != nil && s.runner.Cal != nil {
		if ws := s.runner.Cal.Warnings(now.In(s.runner.Loc).Year()); len(ws) > 0 {
			body["calendar_warning"] = ws[0] // Monday–Friday assumed: reminders may land on a holiday
		}
	}
	healthy := true
	if dbErr != nil {
		body["database"], healthy = dbErr.Error(), false
	}
	if w := s.db.WriteStatus(); w.Failing {
		body["database"], healthy = fmt.Sprintf("writes failing for %d s (%d commits): %v", int(time.Since(w.Since).Seconds()), w.Count, w.Err), false
	}
	silence := s.health.silence()
	if lastOK.IsZero() {
		// Never a success: a wrong token or no network since start.
		body["last_api_success_age_seconds"] = nil
		if !s.health.started.IsZero() && now.Sub(s.health.started) > silence {
			healthy = false
			body["telegram"] = fmt.Sprintf("no successful Bot API call since start %d s ago", int(now.Sub(s.health.started).Seconds()))
		}
	} else {
		age := now.Sub(lastOK)
		body["last_api_success_age_seconds"] = int(age.Seconds())
		// A quiet bot in webhook mode makes no calls at all; silence counts
		// against it only while it polls or has messages to deliver.
		if age > silence && (s.cfg.WebhookURL == "" || depth > 0) {
			healthy = false
			body["telegram"] = fmt.Sprintf("no successful Bot API call for %d s", int(age.Seconds()))
		}
	}
	if lastErr != "" {
		body["last_api_error"] = lastErr
	}
	if !oldest.IsZero() {
		age := now.Sub(oldest).Seconds()
		body["outbox_oldest_pending_age_seconds"] = int(age)
		if age > 900 {
			healthy = false
		}
	}
	body["healthy"] = healthy
	w.Header().Set("Content-Type", "application/json")
	if !healthy {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(body)
}
