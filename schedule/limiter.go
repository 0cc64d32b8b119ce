package schedule

import "time"

// Limits are Telegram's flood limits as the Sender enforces them. Telegram
// answers 429 past about 30 messages/s overall, 1/s per chat and 20/min per
// group; a 429 can carry a retry_after of hours, so staying under the limits
// is far cheaper than honouring them afterwards. A zero field means the
// default; a negative field turns that limit off (tests, the shell).
type Limits struct {
	Global            float64 // messages per second over all chats (default 30)
	PerChat           float64 // messages per second to one chat (default 1)
	PerGroupPerMinute float64 // messages per minute to one group, a chat with a negative ID (default 20)
}

// DefaultLimits are Telegram's documented limits.
func DefaultLimits() Limits { return Limits{Global: 30, PerChat: 1, PerGroupPerMinute: 20} }

// spacing turns a rate of n per period into the least gap between two
// sends: one nanosecond more than period/n, so that n+1 sends never fit in
// one period even when the server counts its window closed at both ends.
func spacing(n float64, def float64, period time.Duration) time.Duration {
	if n == 0 {
		n = def
	}
	if n < 0 {
		return 0
	}
	return time.Duration(float64(period)/n) + 1
}

// Limiter paces sends with a token bucket of burst 1 per key (the bot as a
// whole and each chat): a send is allowed once the previous send to the
// same key is at least one spacing old. Burst 1 is deliberate: a server that
// counts with a sliding window, a token bucket or plain spacing all accept
// evenly spaced sends, whereas a burst would be refused by the stricter ones.
// It also keeps the holds a 429 imposes. A Limiter belongs to one Sender and
// is not safe for concurrent use.
type Limiter struct {
	global, chat, group time.Duration

	nextGlobal time.Time // spacing: no send before this instant
	holdAll    time.Time // a global 429: nothing before this instant
	chats      map[int64]*chatPace
	sends      int
}

type chatPace struct {
	next time.Time // spacing
	hold time.Time // this chat's 429
}

// NewLimiter returns a Limiter for l (zero fields take the defaults).
func NewLimiter(l Limits) *Limiter {
	return &Limiter{
		global: spacing(l.Global, 30, time.Second),
		chat:   spacing(l.PerChat, 1, time.Second),
		group:  spacing(l.PerGroupPerMinute, 20, time.Minute),
		chats:  map[int64]*chatPace{},
	}
}

// Spacing returns the least gap between two sends to chat, and between any
// two sends at all.
func (l *Limiter) Spacing(chat int64) (perChat, global time.Duration) {
	perChat = l.chat
	if chat < 0 {
		perChat = max(perChat, l.group)
	}
	return perChat, l.global
}

// Ready returns the earliest instant a send to chat keeps every limit and
// hold; a zero or past instant means now.
func (l *Limiter) Ready(chat int64) time.Time {
	t := l.ReadyAll()
	if c := l.chats[chat]; c != nil {
		t = latest(t, latest(c.next, c.hold))
	}
	return t
}

// ReadyAll returns the earliest instant any send keeps the global spacing
// and hold: no chat can be ready sooner.
func (l *Limiter) ReadyAll() time.Time { return latest(l.nextGlobal, l.holdAll) }

// Sent records an attempt to send to chat that ended at at. Pass the
// instant the answer arrived, not when the request left: the server stamped
// the request somewhere in between, so pacing from the end is the only
// reference that keeps its view of the gap at least one spacing wide.
// Failed attempts count too, since Telegram counts them.
func (l *Limiter) Sent(chat int64, at time.Time) {
	perChat, global := l.Spacing(chat)
	l.nextGlobal = latest(l.nextGlobal, at.Add(global))
	c := l.pace(chat)
	c.next = latest(c.next, at.Add(perChat))
	if l.sends++; l.sends%1024 == 0 {
		l.forget(at)
	}
}

// Hold stops sends to chat until until (a 429 for that chat).
func (l *Limiter) Hold(chat int64, until time.Time) {
	c := l.pace(chat)
	c.hold = latest(c.hold, until)
}

// HoldAll stops every send until until (a 429 for the whole bot).
func (l *Limiter) HoldAll(until time.Time) { l.holdAll = latest(l.holdAll, until) }

// HeldAll returns the end of the global hold (zero when none was set).
func (l *Limiter) HeldAll() time.Time { return l.holdAll }

func (l *Limiter) pace(chat int64) *chatPace {
	c := l.chats[chat]
	if c == nil {
		c = &chatPace{}
		l.chats[chat] = c
	}
	return c
}

// forget drops chats whose pacing and hold are over, so a bot that has
// written to many chats does not keep one entry per chat for ever.
func (l *Limiter) forget(now time.Time) {
	for id, c := range l.chats {
		if !c.next.After(now) && !c.hold.After(now) {
			delete(l.chats, id)
		}
	}
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
