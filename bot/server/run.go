package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/telegram"
	"github.com/duban-bureau/duban/store"
)

// Run starts the parts Open built (the web 台账, the sender, the schedule,
// the command menus), learns the bot's identity and takes updates (the
// poller, or the webhook when Config.WebhookURL is set) until ctx ends or
// Telegram rejects the token; then it stops taking updates, lets the
// schedule's job and the sender finish within Config.Shutdown, and
// returns. Close is the caller's.
func (s *Server) Run(ctx context.Context) error {
	c := &s.Config
	stopWeb, err := s.StartWeb()
	if err != nil {
		return err
	}
	defer stopWeb()

	// Background work stops on its own context after intake has stopped.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.Sender.Run(work) }()
	var stopCron func() <-chan struct{}
	if s.Runner != nil {
		cr := s.Runner.Start(work)
		stopCron = func() <-chan struct{} { return cr.Stop().Done() }
	}
	if s.Menus != nil {
		go s.Menus.SetAll(work)
	}

	// Handlers read the bot's identity, so intake waits for it; the sender,
	// the schedule and /healthz run while Telegram is still unreachable.
	// A token Telegram rejects ends intake, whichever call learns it.
	ctx, stopIntake := context.WithCancelCause(ctx)
	defer stopIntake(nil)
	go func() {
		select {
		case err := <-s.rejected:
			stopIntake(err)
		case <-ctx.Done():
		}
	}()
	var intakeErr error
	switch {
	case s.Client == nil:
		<-ctx.Done() // no Telegram: the caller hands requests to App itself
	default:
		if s.App.BotName == "" { // given (tests): no getMe
			intakeErr = s.learnIdentity(ctx)
		}
		switch {
		case intakeErr != nil:
		case c.WebhookURL != "":
			intakeErr = s.serveWebhook(ctx)
		case s.Poller == nil: // dropped by the caller: no intake
			<-ctx.Done()
		default:
			intakeErr = s.poll(ctx)
		}
	}
	if cause := context.Cause(ctx); intakeErr == nil && errors.Is(cause, telegram.ErrBadToken) {
		intakeErr = errors.New(telegram.Redact(cause.Error(), c.Token))
	}
	s.log.Info("shutting down: intake stopped, finishing work", "timeout", c.Shutdown.String())
	deadline := time.NewTimer(c.Shutdown)
	defer deadline.Stop()
	if stopCron != nil {
		select {
		case <-stopCron():
		case <-deadline.C:
			s.log.Warn("shutdown timeout: a scheduled job was still running")
		}
	}
	stopWork()
	senderDone := make(chan struct{})
	go func() { wg.Wait(); close(senderDone) }()
	select {
	case <-senderDone:
	case <-deadline.C:
		s.log.Warn("shutdown timeout: the sender was still sending")
	}
	return intakeErr
}

// learnIdentity asks getMe for the bot's username (invite links, /cmd@bot)
// and ID (replies to the bot), retrying with back-off until Telegram
// answers or ctx ends. It used to try once, and one failure at start left
// invite links without the bot's name and /cmd@otherbot taken as ours
// until the next restart. It runs before intake, so no handler reads the
// identity while it is written; intake could not work without Telegram
// anyway.
func (s *Server) learnIdentity(ctx context.Context) error {
	var wait time.Duration
	for {
		name, id, err := s.Client.Me(ctx)
		if err == nil {
			s.App.BotName, s.App.BotID = name, id
			s.log.Info("connected", "bot", "@"+name)
			return nil
		}
		if ctx.Err() != nil {
			return nil
		}
		if err := telegram.BadTokenError(err); errors.Is(err, telegram.ErrBadToken) {
			// 401/404: the token is wrong or revoked; retrying cannot help.
			return errors.New(telegram.Redact(err.Error(), s.Config.Token))
		}
		wait = min(max(2*wait, time.Second), 30*time.Second)
		s.log.Warn("getMe failed; retrying before taking updates", "err", telegram.Redact(err.Error(), s.Config.Token), "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// poll takes updates with the poller, confirming each batch only after it
// was handled, and keeps the offset in the store.
func (s *Server) poll(ctx context.Context) error {
	// Polling and a webhook exclude each other: drop a webhook left behind.
	if err := s.Client.DeleteWebhook(ctx); err != nil {
		s.log.Warn("deleteWebhook failed", "err", telegram.Redact(err.Error(), s.Config.Token))
	}
	p, offsets := s.Poller, s.Offsets
	p.Offset = offsets.Load()
	p.BotID = s.App.BotID
	p.HandleRequests = func(ctx context.Context, rs []bot.Request) []bot.Result {
		s.crash("before-handle")
		res := s.App.HandleRequests(ctx, rs)
		s.crash("after-handle")
		if s.Config.Handled != nil {
			s.Config.Handled(rs, res)
		}
		return res
	}
	p.OnOffset = func(next int64) {
		if err := offsets.Save(next); err != nil && !errors.Is(err, store.ErrWrite) {
			s.log.Warn("save poll offset", "err", err)
		}
	}
	defer func() {
		if err := offsets.Flush(); err != nil {
			s.log.Warn("save poll offset", "err", err)
		}
	}()
	s.log.Info("polling for updates", "offset", p.Offset)
	return p.Run(ctx)
}

func (s *Server) serveWebhook(ctx context.Context) error {
	c := &s.Config
	u, _ := url.Parse(c.WebhookURL)
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle(path, telegram.WebhookHandler(s.App, c.WebhookSecret))
	ln, err := net.Listen("tcp", c.WebhookListen)
	if err != nil {
		return fmt.Errorf("--webhook-listen %s: %w", c.WebhookListen, err)
	}
	// net/http's own complaints go through the structured logger, so
	// --log-format json output stays all JSON and the redaction applies.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	if err := s.Client.SetWebhook(ctx, c.WebhookURL, c.WebhookSecret); err != nil {
		srv.Close()
		return fmt.Errorf("setWebhook: %s", telegram.Redact(err.Error(), c.Token))
	}
	s.log.Info("webhook mode", "listen", ln.Addr().String(), "path", path)
	<-ctx.Done()
	// Stop taking updates; requests in flight finish (Shutdown waits).
	sctx, cancel := context.WithTimeout(context.Background(), c.Shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
