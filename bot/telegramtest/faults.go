package telegramtest

import (
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// faults holds the injected failures; the Server's mutex guards it.
type faults struct {
	fails   []failRule
	down    chan struct{} // non-nil while down; closed when back up
	hangs   map[string]chan struct{}
	latency time.Duration
	hanging int
	active  int // requests between arrival and answer
}

type failRule struct {
	method string
	n      int
	err    *apiError
}

var retryAfterRE = regexp.MustCompile(`retry after (\d+)`)

// Fail makes the next n calls of method ("*" for any) fail with code and
// description. A 429 whose description says "retry after N" also carries
// parameters.retry_after N (1 otherwise), as Telegram's do. 5xx codes
// simulate Telegram's own outages.
func (s *Server) Fail(method string, n int, code int, description string) {
	e := &apiError{Code: code, Description: description}
	if code == http.StatusTooManyRequests {
		e.RetryAfter = 1
		if m := retryAfterRE.FindStringSubmatch(description); m != nil {
			e.RetryAfter, _ = strconv.Atoi(m[1])
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.fails = append(s.faults.fails, failRule{method: method, n: n, err: e})
}

func (s *Server) injectedFault(method string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults.fails {
		f := &s.faults.fails[i]
		if f.n > 0 && (f.method == "*" || f.method == method) {
			f.n--
			return f.err
		}
	}
	return nil
}

// Block makes writes to a chat fail with 403 "bot was blocked by the user"
// until Unblock. It queues no update; ChatMemberUpdate does both.
func (s *Server) Block(chatID int64) { s.setBlocked(chatID, true) }

// Unblock lets the bot write to a chat again.
func (s *Server) Unblock(chatID int64) { s.setBlocked(chatID, false) }

func (s *Server) setBlocked(chatID int64, blocked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chatID).blocked = blocked
	s.changedLocked()
}

// Throttle makes writes to a chat fail with 429 for retryAfter seconds of
// the server's clock (WithNow), each answer carrying the seconds left, the
// way Telegram keeps refusing a flooding bot until the wait is over.
func (s *Server) Throttle(chatID int64, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chatID).throttled = s.now().Add(time.Duration(retryAfter) * time.Second)
}

// Unthrottle ends a Throttle early.
func (s *Server) Unthrottle(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chatID).throttled = time.Time{}
}

// SetDown simulates an unreachable Telegram: while down, every request
// waits unanswered. SetDown(false) lets them through (and they take
// effect, like a send that timed out on the client but was delivered);
// requests whose context ends first are dropped.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case down && s.faults.down == nil:
		s.faults.down = make(chan struct{})
	case !down && s.faults.down != nil:
		close(s.faults.down)
		s.faults.down = nil
	}
	s.changedLocked()
}

// Hang holds every call of method ("" for all) unanswered until release
// is called, the request's context ends or the server closes. Hanging
// tells how many are held, so a test can wait for one to arrive.
func (s *Server) Hang(method string) (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	if s.faults.hangs == nil {
		s.faults.hangs = map[string]chan struct{}{}
	}
	s.faults.hangs[method] = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.faults.hangs[method] == ch {
				delete(s.faults.hangs, method)
			}
			close(ch)
			s.changedLocked()
		})
	}
}

// SetLatency puts a network of round trip d between the bot and the fake,
// for benchmarks and crash tests: half of d before the request is handled
// (the way there; it ends early, with nothing done, if the client gives
// up) and half after, before the answer is written (the way back). A
// client killed in the second half leaves a message delivered that it
// never heard about, as with Telegram.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.latency = d
}

// Hanging counts requests currently held by SetDown or Hang.
func (s *Server) Hanging() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.hanging
}

// wait applies SetDown, Hang and SetLatency to one request; false means
// the client went away (or the server closed) and nothing must happen.
func (s *Server) wait(r *http.Request, method string) bool {
	ctx := r.Context()
	for {
		s.mu.Lock()
		gate := s.faults.down
		if gate == nil {
			gate = s.faults.hangs[method]
		}
		if gate == nil {
			gate = s.faults.hangs[""]
		}
		latency := s.faults.latency / 2
		if gate == nil {
			s.mu.Unlock()
			if latency <= 0 {
				return true
			}
			t := time.NewTimer(latency)
			defer t.Stop()
			select {
			case <-t.C:
				return true
			case <-ctx.Done():
			case <-s.closed:
			}
			return false
		}
		s.faults.hanging++
		s.changedLocked()
		s.mu.Unlock()
		ok := true
		select {
		case <-gate:
		case <-ctx.Done():
			ok = false
		case <-s.closed:
			ok = false
		}
		s.mu.Lock()
		s.faults.hanging--
		s.changedLocked()
		s.mu.Unlock()
		if !ok {
			return false
		}
	}
}

// answerLatency is the way back of SetLatency's round trip.
func (s *Server) answerLatency() {
	s.mu.Lock()
	d := s.faults.latency - s.faults.latency/2
	s.mu.Unlock()
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-s.closed:
	}
}

// Active counts requests that arrived and are not answered yet (held,
// delayed by SetLatency, or being handled). A crash test waits for it to
// reach zero after killing the bot, so that every request the dead process
// made is either recorded or dropped before it counts what came next.
func (s *Server) Active() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.active
}

func (s *Server) arrive(d int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.active += d
	s.changedLocked()
}
