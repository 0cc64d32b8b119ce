package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/duban-bureau/duban/bot/web"
)

// StartWeb starts the web 台账's listener when Config.Web is set; stop
// shuts it down (a no-op when off). Run calls it; the shell, which does
// not Run, calls it itself.
func (s *Server) StartWeb() (stop func(), err error) {
	c := &s.Config
	if c.Web == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", c.Web)
	if err != nil {
		return nil, fmt.Errorf("--web %s: %w", c.Web, err)
	}
	ws := &web.Server{DB: s.DB, Words: c.Lang, Lang: c.Lang, Loc: c.Loc, Lights: c.Policy.Lights,
		Logger: s.log.With("system", "web"), AfterScan: s.ReleaseMemory}
	srv := &http.Server{Handler: ws.Handler(), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	s.log.Info("web ledger listener", "addr", ln.Addr().String(), "url", c.WebURL)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}
