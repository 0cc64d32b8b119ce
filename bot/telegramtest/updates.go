package telegramtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// queuedUpdate is an update waiting for confirmation, kept as JSON so what
// the bot receives cannot change after it was queued.
type queuedUpdate struct {
	id   int64
	kind string // the allowed_updates name of its payload
	raw  json.RawMessage
}

// updateQueue holds unconfirmed updates and the one pending long poll.
type updateQueue struct {
	next      int64
	confirmed int64 // highest update ID confirmed so far
	pending   []queuedUpdate
	allowed   []string
	arrived   chan struct{} // closed and replaced when an update is queued
	poll      chan struct{} // the pending long poll's termination signal
}

func (q *updateQueue) init() {
	q.next = 1
	q.arrived = make(chan struct{})
}

// defaultExcluded are the kinds Telegram leaves out when allowed_updates
// is empty.
var defaultExcluded = []string{"chat_member", "message_reaction", "message_reaction_count"}

func (q *updateQueue) allows(kind string) bool {
	if len(q.allowed) == 0 {
		return !slices.Contains(defaultExcluded, kind)
	}
	return slices.Contains(q.allowed, kind)
}

// confirm drops updates below offset; a negative offset keeps only the last
// -offset updates, as Telegram does.
func (q *updateQueue) confirm(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(q.pending) && q.pending[i].id < offset {
			i++
		}
		q.pending = q.pending[i:]
		q.confirmed = max(q.confirmed, offset-1)
	case offset < 0 && int64(len(q.pending)) > -offset:
		drop := len(q.pending) - int(-offset)
		q.confirmed = max(q.confirmed, q.pending[drop-1].id)
		q.pending = q.pending[drop:]
	}
}

func (q *updateQueue) take(limit int) []json.RawMessage {
	out := []json.RawMessage{}
	for _, u := range q.pending {
		if len(out) == limit {
			break
		}
		if q.allows(u.kind) {
			out = append(out, u.raw)
		}
	}
	return out
}

// Push queues an update as if Telegram received it, assigning the next
// update_id, and wakes a waiting getUpdates. It returns the update_id.
func (s *Server) Push(u Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushLocked(&u)
}

func (s *Server) pushLocked(u *Update) int64 {
	u.ID = s.updates.next
	s.updates.next++
	raw, err := json.Marshal(u)
	if err != nil {
		panic("telegramtest: marshal update: " + err.Error())
	}
	s.updates.pending = append(s.updates.pending, queuedUpdate{id: u.ID, kind: updateKind(u), raw: raw})
	close(s.updates.arrived)
	s.updates.arrived = make(chan struct{})
	s.changedLocked()
	return u.ID
}

func updateKind(u *Update) string {
	switch {
	case u.Message != nil:
		return AllowedUpdateMessage
	case u.EditedMessage != nil:
		return AllowedUpdateEditedMessage
	case u.CallbackQuery != nil:
		return AllowedUpdateCallbackQuery
	case u.MyChatMember != nil:
		return AllowedUpdateMyChatMember
	case u.ChatMember != nil:
		return AllowedUpdateChatMember
	}
	return "other"
}

// PendingUpdates counts updates not yet confirmed by an offset.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates.pending)
}

// Confirmed reports whether the bot has confirmed the update (a later
// getUpdates used an offset above it), after which Telegram forgets it.
func (s *Server) Confirmed(updateID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return updateID <= s.updates.confirmed
}

// Polling reports whether a getUpdates long poll is waiting right now.
func (s *Server) Polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updates.poll != nil
}

func (s *Server) getUpdates(hr *http.Request, r *request) (any, *apiError) {
	offset, _, e := r.intParam("offset")
	if e != nil {
		return nil, e
	}
	limit, ok, e := r.intParam("limit")
	if e != nil {
		return nil, e
	}
	if !ok || limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _, e := r.intParam("timeout")
	if e != nil {
		return nil, e
	}
	var allowed []string
	if v := r.params["allowed_updates"]; v != "" {
		if err := json.Unmarshal([]byte(v), &allowed); err != nil {
			return nil, badRequest("can't parse allowed updates")
		}
	}

	s.mu.Lock()
	if s.webhook.URL != "" {
		s.mu.Unlock()
		return nil, &apiError{Code: http.StatusConflict, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if s.updates.poll != nil {
		// Telegram ends the older request: two pollers keep kicking each other.
		close(s.updates.poll)
		s.updates.poll = nil
	}
	if _, ok := r.params["allowed_updates"]; ok {
		s.updates.allowed = allowed
	}
	s.updates.confirm(offset)
	s.changedLocked()
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		timer = t.C
	}
	terminated := make(chan struct{})
	for {
		got := s.updates.take(int(limit))
		if len(got) > 0 || timer == nil {
			if s.updates.poll == terminated {
				s.updates.poll = nil
			}
			s.mu.Unlock()
			return joinRaw(got), nil
		}
		s.updates.poll = terminated
		arrived := s.updates.arrived
		s.changedLocked()
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-terminated:
			return nil, errTerminated
		case <-timer:
			timer = nil
		case <-hr.Context().Done():
			timer = nil
		case <-s.closed:
			timer = nil
		}
		s.mu.Lock()
		select {
		case <-terminated:
			s.mu.Unlock()
			return nil, errTerminated
		default:
		}
	}
}

var errTerminated = &apiError{Code: http.StatusConflict, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}

// joinRaw renders a JSON array of already-encoded updates.
func joinRaw(items []json.RawMessage) json.RawMessage {
	out := []byte{'['}
	for i, it := range items {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, it...)
	}
	return append(out, ']')
}

func (s *Server) setWebhook(_ *http.Request, r *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := WebhookInfo{URL: r.params["url"], IPAddress: r.params["ip_address"]}
	if n, ok, _ := r.intParam("max_connections"); ok {
		info.MaxConnections = int(n)
	}
	if v := r.params["allowed_updates"]; v != "" {
		if err := json.Unmarshal([]byte(v), &info.AllowedUpdates); err != nil {
			return nil, badRequest("can't parse allowed updates")
		}
		s.updates.allowed = info.AllowedUpdates
	}
	if r.boolParam("drop_pending_updates") {
		s.dropPendingLocked()
	}
	s.webhook = info
	s.secret = r.params["secret_token"]
	if info.URL != "" && s.updates.poll != nil {
		close(s.updates.poll)
		s.updates.poll = nil
	}
	return true, nil
}

func (s *Server) dropPendingLocked() {
	if n := len(s.updates.pending); n > 0 {
		s.updates.confirmed = max(s.updates.confirmed, s.updates.pending[n-1].id)
	}
	s.updates.pending = nil
}

func (s *Server) deleteWebhook(_ *http.Request, r *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.boolParam("drop_pending_updates") {
		s.dropPendingLocked()
	}
	s.webhook = WebhookInfo{}
	s.secret = ""
	return true, nil
}

func (s *Server) getWebhookInfo(*http.Request, *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := s.webhook
	info.PendingUpdateCount = len(s.updates.pending)
	return info, nil
}

// Webhook returns the webhook URL and secret token last set, empty when
// the bot polls.
func (s *Server) Webhook() (url, secretToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook.URL, s.secret
}
