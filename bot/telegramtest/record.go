package telegramtest

import (
	"context"
	"maps"
	"net/http"
	"time"
)

// Call is one recorded API request, kept so tests can assert on what the
// bot asked for, not only on what it achieved.
type Call struct {
	Method string
	// Params holds every parameter as text; JSON-valued ones such as
	// reply_markup stay JSON, as in the multipart form the client sends.
	Params      map[string]string
	Files       []UploadedFile
	Time        time.Time
	Code        int // HTTP status answered; 0 when the client gave up first
	Description string
}

// CallbackAnswer is one answerCallbackQuery the bot made.
type CallbackAnswer struct {
	ID        string
	Text      string
	ShowAlert bool
	URL       string
}

func (s *Server) record(r *request, code int, desc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, Call{
		Method: r.method, Params: r.params, Files: r.files,
		Time: s.now(), Code: code, Description: desc,
	})
	if code == http.StatusTooManyRequests {
		s.tooMany++
	}
	s.changedLocked()
}

// Calls returns the recorded calls of one method, or all calls for "".
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			c.Params = maps.Clone(c.Params)
			out = append(out, c)
		}
	}
	return out
}

// TooManyRequests counts the 429 answers given so far, from the limits,
// Throttle and Fail alike.
func (s *Server) TooManyRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tooMany
}

// Callbacks returns the answered callback queries in order.
func (s *Server) Callbacks() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.answers...)
}

// Notify returns a channel closed at the next change of the server's state
// (a call answered, an update queued or confirmed, a request starting to
// hang). Tests select on it instead of sleeping.
func (s *Server) Notify() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// WaitFor blocks until cond reports true or ctx ends. cond is evaluated
// without the server's lock held, so it may call any Server method.
func (s *Server) WaitFor(ctx context.Context, cond func(*Server) bool) error {
	for {
		ch := s.Notify() // taken before evaluating: no change can be missed
		if cond(s) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-s.closed:
			return context.Canceled
		}
	}
}
