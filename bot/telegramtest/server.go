package telegramtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// DefaultToken is the token a Server accepts unless WithToken says otherwise.
// Its numeric prefix is the bot's user ID, as with real tokens, so
// (*bot.Bot).ID agrees with the fake's getMe.
const DefaultToken = "7000000001:AAFakeTokenForDubanTests"

// Server is a fake Telegram Bot API. It exists so the bot can be tested and
// benchmarked end to end without network access: it speaks the real JSON,
// enforces the real validation and limits, and records everything. All
// methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to hand to bot.WithServerURL.
	URL string
	// Token is the only bot token the server accepts.
	Token string

	http   *httptest.Server
	now    func() time.Time
	me     models.User
	strict bool
	closed chan struct{}
	once   sync.Once

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every state change
	calls    []Call
	chats    map[int64]*chatState
	files    map[string]*storedFile
	nextFile int
	nextCBQ  int
	queries  map[string]bool // callback query ID → already answered
	answers  []CallbackAnswer
	commands map[string][]models.BotCommand
	webhook  models.WebhookInfo
	secret   string
	faults   faults
	limiter  *limiter
	tooMany  int
	sent     int
	updates  updateQueue
}

// Option configures a Server at construction.
type Option func(*Server)

// WithToken sets the token the server accepts; its prefix before ':' becomes
// the bot's user ID.
func WithToken(token string) Option { return func(s *Server) { s.Token = token } }

// WithBot sets the user getMe returns and that authors the bot's messages.
// The ID is overridden by the token's prefix to keep the two consistent.
func WithBot(u models.User) Option { return func(s *Server) { s.me = u } }

// WithNow injects the clock used for message dates, limits and throttles;
// tests pin it, benchmarks keep the default time.Now.
func WithNow(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithLimits turns on Telegram's flood limits (off by default).
func WithLimits(l Limits) Option { return func(s *Server) { s.limiter = newLimiter(l) } }

// WithStrictChats makes sends to chats the server has not seen fail like
// Telegram does (a bot cannot write to a user who never pressed Start): 403
// for users, 400 "chat not found" for groups. Chats become known through
// injected updates or AddChat.
func WithStrictChats() Option { return func(s *Server) { s.strict = true } }

// NewServer starts a fake Bot API server. Call Close when done; it also
// releases every long poll and hanging request.
func NewServer(opts ...Option) *Server {
	s := &Server{
		Token:    DefaultToken,
		now:      time.Now,
		me:       models.User{IsBot: true, FirstName: "Duban", Username: "duban_test_bot", CanJoinGroups: true},
		closed:   make(chan struct{}),
		changed:  make(chan struct{}),
		chats:    map[int64]*chatState{},
		files:    map[string]*storedFile{},
		queries:  map[string]bool{},
		commands: map[string][]models.BotCommand{},
	}
	s.updates.init()
	for _, o := range opts {
		o(s)
	}
	if id, err := strconv.ParseInt(strings.SplitN(s.Token, ":", 2)[0], 10, 64); err == nil {
		s.me.ID = id
	}
	s.me.IsBot = true
	s.http = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.http.URL
	return s
}

// Close releases waiting requests and shuts the HTTP server down.
func (s *Server) Close() {
	s.once.Do(func() { close(s.closed) })
	s.http.Close()
}

// Me returns the bot user, as getMe reports it.
func (s *Server) Me() models.User { return s.me }

// Now returns the server's idea of the current time.
func (s *Server) Now() time.Time { return s.now() }

// changedLocked wakes everyone waiting in WaitFor or Notify; s.mu is held.
func (s *Server) changedLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// serveHTTP routes /bot<token>/<method> and /file/bot<token>/<path>.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	if !ok {
		writeError(w, errNotFound)
		return
	}
	token, method, ok := strings.Cut(rest, "/")
	if !ok {
		writeError(w, errNotFound)
		return
	}
	method = strings.TrimPrefix(method, "test/")
	if token != s.Token {
		writeError(w, &apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"})
		return
	}
	req, err := parseRequest(r)
	if err != nil {
		writeError(w, err)
		return
	}
	// Read the body to its end (a multipart reader stops at the closing
	// boundary): only then does net/http watch the connection, so a client
	// that gives up on a held request ends the request's context.
	_, _ = io.Copy(io.Discard, r.Body) // what is left is not read by anyone
	h, name := lookup(method)
	req.method = name
	s.arrive(1)
	defer s.arrive(-1)
	if !s.wait(r, name) {
		s.record(req, 0, "request abandoned before the fake answered")
		return
	}
	if h == nil {
		s.record(req, errNotFound.Code, errNotFound.Description)
		writeError(w, errNotFound)
		return
	}
	if e := s.injectedFault(name); e != nil {
		s.record(req, e.Code, e.Description)
		writeError(w, e)
		return
	}
	result, e := h(s, r, req)
	if e != nil {
		s.record(req, e.Code, e.Description)
		s.answerLatency()
		writeError(w, e)
		return
	}
	s.record(req, http.StatusOK, "")
	s.answerLatency()
	writeResult(w, result)
}

// User and Chat are the user and chat an injector takes (the Bot API's own
// shapes), named here so callers outside tests need not import the
// Telegram library (only bot/telegram does).
type (
	User = models.User
	Chat = models.Chat
)
