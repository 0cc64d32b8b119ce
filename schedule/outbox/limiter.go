package outbox

import (
	"math"
	"time"
)

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

// windowMargin widens the global window by 1 %: a server counts the
// instants it received requests, which trail our start times by a round trip
// that varies, so a window exactly one second wide could look 31 sends full
// to it. 1 % of a second covers that jitter and costs 1 % of the rate.
const windowMargin = 100

// globalBurst is how many sends may go back to back overall. It is not for
// throughput (the window caps that) but for catching up: with no slack
// every late wake-up and round trip would be lost for good (measured: 3–5 %
// of the rate on a busy machine), with two spacings of slack they are made
// up. It stays small because a token-bucket server may allow far less burst
// than a second's worth (the fake allows 30 at any speed-up).
const globalBurst = 3

// Limiter decides when a send may go. Per chat (and per group) it is a
// token bucket of burst 1, plain spacing: a burst-1 server refuses anything
// closer, and at 1/s there is nothing to gain from bursts. Globally two
// rules hold at once: a token bucket (GCRA) of rate Global and burst
// globalBurst, and a sliding window of at most Global sends in any second
// (plus windowMargin), which is what "≤ 30 messages per second" promises.
// It also keeps the holds a 429 imposes. A Limiter belongs to one Sender
// and is not safe for concurrent use.
type Limiter struct {
	chat, group time.Duration

	gap     time.Duration // global spacing, 1/Global
	tat     time.Time     // GCRA theoretical arrival time of the next send
	window  time.Duration // global: len(starts) sends per window
	starts  []time.Time   // ring of the last global sends' start times
	next    int           // oldest entry of starts
	holdAll time.Time     // a global 429: nothing before this instant
	chats   map[int64]*chatPace
	sends   int
	rtts    [rttSamples]time.Duration // recent round trips, a ring
	rttNext int
}

type chatPace struct {
	next time.Time // spacing
	hold time.Time // this chat's 429
}

// NewLimiter returns a Limiter for l (zero fields take the defaults).
func NewLimiter(l Limits) *Limiter {
	lim := &Limiter{
		chat:  spacing(l.PerChat, 1, time.Second),
		group: spacing(l.PerGroupPerMinute, 20, time.Minute),
		gap:   spacing(l.Global, 30, time.Second),
		chats: map[int64]*chatPace{},
	}
	g := l.Global
	if g == 0 {
		g = 30
	}
	if g > 0 {
		n := max(1, math.Floor(g)) // n sends per n/g seconds is rate g
		lim.starts = make([]time.Time, int(n))
		w := time.Duration(n / g * float64(time.Second))
		lim.window = w + w/windowMargin
	}
	return lim
}

// ReadyAll returns the earliest instant any send keeps the global limits
// and hold: no chat can be ready sooner.
func (l *Limiter) ReadyAll() time.Time {
	t := latest(l.holdAll, l.tat.Add(-(globalBurst-1)*l.gap))
	if len(l.starts) > 0 && !l.starts[l.next].IsZero() {
		t = latest(t, l.starts[l.next].Add(l.window))
	}
	return t
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

// chatMargin widens a chat's spacing by 1/chatMargin (25 ms at 1/s): the
// spacing runs from the start of a send, and the server stamps it one
// one-way delay later; the margin covers small changes of that delay
// between two sends to the same chat. Larger ones are seen in the round
// trip (see Answered).
const chatMargin = 40

// rttSamples is how many recent round trips the least one is taken over.
const rttSamples = 32

// Start records an attempt on chat leaving at start. The global limits
// count starts: pacing them from the answers would add a round trip to each
// of 30 sends a second, and the window's margin and the bucket's burst
// cover the difference. A chat's spacing runs from the start too (plus
// chatMargin), so that at 300 ms round trip a chat still gets 1/s, not
// 1/1.3 s; the Sender never has two sends to one chat in flight, so the next
// one also waits for this one's answer (Answered).
func (l *Limiter) Start(chat int64, start time.Time) {
	l.tat = latest(l.tat, start).Add(l.gap)
	if len(l.starts) > 0 {
		l.starts[l.next] = start
		l.next = (l.next + 1) % len(l.starts)
	}
	c := l.pace(chat)
	c.next = latest(c.next, start.Add(l.chatGap(chat)))
	if l.sends++; l.sends%1024 == 0 {
		l.forget(start)
	}
}

func (l *Limiter) chatGap(chat int64) time.Duration {
	gap := l.chat
	if chat < 0 {
		gap = max(gap, l.group)
	}
	return gap + gap/chatMargin
}

// Answered records that the attempt on chat that left at start was
// answered at end. The next send to chat goes no earlier than end, and no
// earlier than the spacing plus this round trip's excess over the least
// recent one: a slow round trip may have been slow on the way there, so the
// server stamped this send late, and the next one must keep its distance
// from that stamp, not from our start.
func (l *Limiter) Answered(chat int64, start, end time.Time) {
	rtt := max(end.Sub(start), 0)
	l.rtts[l.rttNext%rttSamples] = rtt
	l.rttNext++
	least := rtt
	for _, d := range l.rtts[:min(l.rttNext, rttSamples)] {
		least = min(least, d)
	}
	c := l.pace(chat)
	c.next = latest(c.next, latest(end, start.Add(l.chatGap(chat)+rtt-least)))
}

// Sent records an attempt on chat that left at start and was answered at
// end (Start and Answered); failed attempts count too, since Telegram
// counts them.
func (l *Limiter) Sent(chat int64, start, end time.Time) {
	l.Start(chat, start)
	l.Answered(chat, start, end)
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
