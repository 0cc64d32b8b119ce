// Package server is a running duban: it opens the store, builds the
// schedule runner, the outbox sender, the chat app and the transport
// (bot/telegram's client, poller or webhook, and command menus); Config
// in, Run/Close out, as benbjohnson/wtf's cmd/wtfd Main. `duban serve`,
// `duban shell` and the end-to-end tests all build duban through Open, so
// there is one wiring.
//
// Open builds every part with serve's defaults and exports them; a caller
// may adjust or drop (set to nil) parts between Open and Run — the shell
// uses App and Sender alone, the tests drop the Runner. Run starts what is
// there, takes updates until ctx ends, then drains the work. Close closes
// the sent log and the database.
//
// It may import bot, bot/telegram, bot/web, schedule and store; nothing
// imports it but cmd/duban and tests. It never imports the Telegram library
// itself: Telegram is bot/telegram's.
package server

import (
	"errors"
	"github.com/duban-bureau/duban/schedule/outbox"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/store"
)

// Config is everything a running duban needs, already checked (cmd/duban
// parses and validates flags and files into it).
type Config struct {
	DB  string           // database file
	Now func() time.Time // the store's clock; time.Now when nil (tests pin it)

	// Token and APIURL reach Telegram ("" token: no Telegram client; then
	// Transport and Chat must be set, as the shell does).
	Token, APIURL string
	// Transport sends the outbox and Chat answers buttons and downloads
	// files; nil: the Telegram client.
	Transport outbox.Transport
	Chat      bot.Telegram

	Admins     store.Admins
	DigestChat int64 // 0: none configured
	// Remember stores Admins and DigestChat in the database, so parts
	// without the configuration at hand (the sender's 403 notice) use them
	// too (serve).
	Remember bool

	Lang   bot.Lang
	Loc    *time.Location
	Policy schedule.Policy
	Cal    *schedule.Calendar

	Limits outbox.Limits
	Window int // messages in flight (outbox.DefaultWindow when 0)
	// SentLog records deliveries in <db>.sent and folds them into the
	// outbox in bursts (serve; see store.SentLog); off, each delivery is
	// recorded in a transaction of its own.
	SentLog bool

	// Webhook mode when WebhookURL is set: Telegram pushes to it, and
	// WebhookListen serves its path; polling otherwise.
	WebhookURL, WebhookListen, WebhookSecret string
	Shutdown                                 time.Duration // how long Run waits for work in flight

	// Web is the web 台账's listen address ("" = off); Ledger signs the
	// links /ledger answers with (nil: the chat says the ledger is off).
	Web    string
	WebURL string
	Ledger bot.LedgerLinks

	Logger *slog.Logger

	// Plan fills an empty database before anything runs (serve: the
	// bundled example or --plan); nil: nothing.
	Plan func(tx *store.Tx) error

	// Observers (metrics, /healthz); all optional.
	OnCall   func(method string, err error)    // every Bot API call
	OnUpdate func(bot.Result, time.Duration)   // every handled update
	OnDue    func(n int)                       // messages the schedule queued
	Hooks    outbox.SendHooks                  // the sender's outcomes
	Handled  func([]bot.Request, []bot.Result) // after a polled batch was handled
	// CrashPoint, when set, is called at the named points of handling an
	// update ("before-handle", "after-handle", "mid-document"): the crash
	// tests end the process there.
	CrashPoint func(name string)
}

// Server is one duban built from a Config.
type Server struct {
	Config  Config
	DB      *store.DB
	SentLog *store.SentLog
	Client  *telegram.Client // nil without a token
	Sender  *outbox.Sender
	Runner  *schedule.Runner // nil: no schedule
	App     *bot.App
	Menus   *telegram.Menus // nil: command menus are left alone
	Poller  *telegram.Poller
	Offsets *telegram.OffsetStore

	log *slog.Logger
	// rejected carries the first Bot API error that says the token is
	// wrong or revoked (401/404), from any call (a send in webhook mode
	// too): Run stops on it.
	rejected chan error
}

// Open opens the database (creating it; a database this call created is
// removed again if Open fails, so a failed first start leaves nothing
// behind), fills it when empty and builds every part.
func Open(c Config) (_ *Server, err error) {
	log := c.Logger
	if log == nil {
		log = slog.Default()
	}
	if c.Loc == nil {
		c.Loc = time.Local
	}
	if c.Cal == nil {
		c.Cal = schedule.NewCalendar()
	}
	if _, serr := os.Stat(c.DB); errors.Is(serr, os.ErrNotExist) {
		defer func() {
			if err != nil {
				os.Remove(c.DB)
				os.Remove(c.DB + ".sent")
			}
		}()
	}
	db, err := store.Open(c.DB, store.Options{Timeout: time.Second, MaxBatchDelay: 2 * time.Millisecond, Verify: true, Now: c.Now})
	if err != nil {
		return nil, err
	}
	s := &Server{Config: c, DB: db, log: log, rejected: make(chan error, 1)}
	db.OnWriteState = func(w store.WriteState) {
		if w.Failing {
			log.Error("database writes are failing (disk full or read-only?): updates stay unconfirmed and are applied once writes work; /healthz reports unhealthy",
				"db", c.DB, "err", w.Err)
		} else {
			log.Info("database writes work again", "db", c.DB, "failed_commits", w.Count, "for", time.Since(w.Since).Round(time.Second).String())
		}
	}
	ok := false
	defer func() {
		if !ok {
			if s.SentLog != nil {
				s.SentLog.Close()
			}
			db.Close()
		}
	}()
	if c.Plan != nil {
		if err := db.Update(c.Plan); err != nil {
			return nil, err
		}
	}
	if c.Remember {
		if err := db.Update(func(tx *store.Tx) error {
			if err := tx.SetAdmins(c.Admins); err != nil {
				return err
			}
			if c.DigestChat != 0 {
				return tx.SetDigestChat(c.DigestChat)
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	transport, chat := c.Transport, c.Chat
	if c.Token != "" {
		client, err := telegram.NewClient(c.Token, c.APIURL)
		if err != nil {
			return nil, err
		}
		client.OnCall = func(method string, err error) {
			if c.OnCall != nil {
				c.OnCall(method, err)
			}
			if err != nil && errors.Is(telegram.BadTokenError(err), telegram.ErrBadToken) {
				select {
				case s.rejected <- telegram.BadTokenError(err):
				default:
				}
			}
		}
		s.Client = client
		if transport == nil {
			transport = client
		}
		if chat == nil {
			chat = client
		}
		s.Menus = &telegram.Menus{Client: client, DB: db, Admins: c.Admins, Lang: c.Lang, Logger: log}
	}
	if transport == nil {
		return nil, errors.New("server: no transport (neither a bot token nor Config.Transport)")
	}
	s.Sender = &outbox.Sender{DB: db, Transport: transport, Logger: log.With("system", "sender"),
		Limits: c.Limits, Hooks: c.Hooks, Window: c.Window, Lang: c.Lang}
	if c.SentLog {
		sent, err := store.OpenSentLog(db)
		if err != nil {
			return nil, err
		}
		s.SentLog, s.Sender.Log = sent, sent
	}
	lang := c.Lang
	s.Runner = &schedule.Runner{DB: db, Policy: c.Policy, Cal: c.Cal, Loc: c.Loc, Lang: lang, Admins: c.Admins,
		Logger: log.With("system", "schedule"), Wake: s.Sender.Wake, OnDue: c.OnDue, AfterScan: s.ReleaseMemory,
		Retention: store.DefaultRetention,
		Ledger: func(tx *store.Tx, now time.Time) (*store.Document, error) {
			return bot.Ledger(tx, c.Loc, now, c.Lang)
		}}
	s.App = &bot.App{DB: db, TG: chat, Admins: c.Admins, Lang: c.Lang, Loc: c.Loc, Logger: log.With("system", "chat"),
		Wake: s.Sender.Wake, Observe: c.OnUpdate, AfterScan: s.ReleaseMemory,
		Reporter: &schedule.Reporter{Policy: c.Policy, Cal: c.Cal, Loc: c.Loc, Lang: lang, Admins: c.Admins},
		Ledger:   c.Ledger,
		OnDocument: func() {
			if c.CrashPoint != nil {
				c.CrashPoint("mid-document")
			}
		}}
	if s.Menus != nil {
		s.App.OnRoleChange = s.Menus.RoleChanged
	}
	if s.Client != nil {
		s.Offsets = &telegram.OffsetStore{DB: db}
		s.Poller = &telegram.Poller{Client: s.Client, Logger: log.With("system", "poller")}
	}
	ok = true
	return s, nil
}

// Close closes the sent log and the database.
func (s *Server) Close() error {
	var err error
	if s.SentLog != nil {
		err = s.SentLog.Close()
	}
	return errors.Join(err, s.DB.Close())
}

// ReleaseMemory gives back what a scan of the whole store left behind: the
// Go heap's garbage and the database pages mapped in by the scan (they stay
// in the page cache). Scans are rare (a daily tick, /digest, /stats), so
// the forced collection costs little.
func (s *Server) ReleaseMemory() {
	debug.FreeOSMemory()
	if err := s.DB.ReleaseMapped(); err != nil {
		s.log.Debug("release mapped pages", "err", err)
	}
}

func (s *Server) crash(name string) {
	if s.Config.CrashPoint != nil {
		s.Config.CrashPoint(name)
	}
}
