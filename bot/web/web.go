// Package web is the read-only web 台账 served beside the bot: the ledger
// of one plan (or all) with its headline numbers, a bar chart per
// department and the 红黄绿灯 drawn as inline SVG on the server, a
// filterable, paginated task table and a page per task with its history.
// Access is by signed links that expire (Sign, Verify, Links, which /ledger
// uses); there is no login and nothing on these pages changes data.
//
// It may import store and schedule (the digest's numbers, lights and
// status labels) and the standard library; never go-telegram, and not bot:
// the chat's catalogue reaches it through the Words interface.
package web

import (
	"bytes"
	"embed"
	"errors"
	"github.com/duban-bureau/duban/schedule/lang"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

//go:embed assets/ledger.css assets/ledger.html
var assets embed.FS

// Words is the chat's catalogue (bot.Lang implements it), so the page and
// the chat say the same thing in the same words.
type Words interface {
	T(key string, args ...any) string
	Field(f string) string
	Kind(k string) string
}

// DefaultPageSize is how many tasks one page of the table shows.
const DefaultPageSize = 100

// Server answers the web 台账's requests.
type Server struct {
	DB       *store.DB
	Words    Words
	Lang     lang.Lang      // "zh" or "en", for the digest's labels
	Loc      *time.Location // the bureau's zone (--tz)
	Now      func() time.Time
	PageSize int
	// Lights are the policy's 红黄绿灯 thresholds (zero: the defaults), so
	// the page lights tasks as the digest does.
	Lights schedule.Lights
	Logger *slog.Logger
	// AfterScan, when set, runs after a ledger page was sent (serve gives
	// the memory of a 100,000-task scan back, as after /stats).
	AfterScan func()

	tmpl *template.Template
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) loc() *time.Location {
	if s.Loc == nil {
		return time.UTC
	}
	return s.Loc
}

func (s *Server) log() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

func (s *Server) pageSize() int {
	if s.PageSize <= 0 {
		return DefaultPageSize
	}
	return s.PageSize
}

// Handler returns the web 台账's routes: /l/TOKEN (the ledger),
// /l/TOKEN/t/ID (a task) and the stylesheet. Every response carries the
// headers of secure.
func (s *Server) Handler() http.Handler {
	s.tmpl = template.Must(template.New("").Funcs(template.FuncMap{"t": s.Words.T}).ParseFS(assets, "assets/ledger.html"))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /assets/ledger.css", s.stylesheet)
	mux.HandleFunc("GET /l/{token}", s.ledger)
	mux.HandleFunc("GET /l/{token}/t/{id}", s.task)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.message(w, r, http.StatusNotFound, s.Words.T("web_not_page"))
	})
	return secure(mux)
}

// secure sets the headers every answer carries: nothing is cached (a page
// holds the token and the tasks), no script runs and nothing loads from
// elsewhere, no site frames the page, and no Referer carries the token away.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) stylesheet(w http.ResponseWriter, r *http.Request) {
	b, _ := assets.ReadFile("assets/ledger.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Write(b)
}

// errAnswered ends a read transaction whose answer (403, 400, 404) is
// already rendered.
var errAnswered = errors.New("answered")

// page renders one page inside a read transaction that lasts only as long
// as the rendering; the bytes are written after it ended, so a slow client
// never holds the transaction (and the writers that must grow the file).
func (s *Server) page(w http.ResponseWriter, r *http.Request, render func(tx *store.Tx, scope string, exp time.Time, buf *bytes.Buffer) (int, string)) {
	now := s.now()
	var buf bytes.Buffer
	code, msg := http.StatusOK, ""
	err := s.DB.View(func(tx *store.Tx) error {
		scope, exp, err := Verify(tx.WebKey(), r.PathValue("token"), now)
		switch {
		case errors.Is(err, ErrExpired):
			code, msg = http.StatusForbidden, s.Words.T("web_expired")
			return errAnswered
		case err != nil:
			code, msg = http.StatusForbidden, s.Words.T("web_invalid")
			return errAnswered
		}
		code, msg = render(tx, scope, exp, &buf)
		if msg != "" {
			return errAnswered
		}
		return nil
	})
	if err != nil && !errors.Is(err, errAnswered) {
		s.log().Error("web ledger page", "task", r.PathValue("id"), "err", err) // never the token
		code, msg = http.StatusInternalServerError, s.Words.T("internal_error")
	}
	if msg != "" {
		s.message(w, r, code, msg)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// message answers with a page of one line and nothing else: the 403 of a
// bad link shows no task text.
func (s *Server) message(w http.ResponseWriter, r *http.Request, code int, msg string) {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, "message", map[string]any{"Root": rootOf(r.URL.Path), "Lang": s.Lang, "Title": msg, "Message": msg}); err != nil {
		http.Error(w, msg, code)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// rootOf is the relative path from a page back to the root ("../" from
// /l/TOKEN), so links and the stylesheet work behind a proxy that serves
// the listener under a prefix of --web-url.
func rootOf(path string) string {
	n := strings.Count(path, "/") - 1
	if n <= 0 {
		return "./"
	}
	return strings.Repeat("../", n)
}
