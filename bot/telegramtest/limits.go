package telegramtest

import (
	"math"
	"time"
)

// Limits are Telegram's flood limits. Telegram does not publish an exact
// algorithm; the fake uses token buckets, which allow the "short bursts"
// Telegram tolerates and then hold senders to the steady rate. A zero rate
// leaves that limit off.
type Limits struct {
	Global            float64 // sends per second over all chats (Telegram: about 30)
	PerChat           float64 // sends per second to one chat (Telegram: about 1)
	PerGroupPerMinute float64 // sends per minute to one group, negative chat ID (Telegram: 20)
	Burst             int     // sends one chat may make at once; 0 means 1
	// Scale speeds the limits up for benchmarks: 10 allows ten times the
	// rates. retry_after stays in Telegram seconds (unscaled), so a client
	// that sleeps retry_after/Scale keeps in step.
	Scale float64
}

// TelegramLimits returns the limits Telegram documents, for benchmarks that
// need realistic back-pressure.
func TelegramLimits() Limits {
	return Limits{Global: 30, PerChat: 1, PerGroupPerMinute: 20, Burst: 3, Scale: 1}
}

// limitedMethods are the calls that count against the flood limits.
var limitedMethods = map[string]bool{"sendMessage": true, "sendDocument": true, "editMessageText": true}

type bucket struct {
	tokens float64
	last   time.Time
}

// refill adds the tokens earned since the last call, up to capacity.
func (b *bucket) refill(now time.Time, rate, capacity float64) {
	if b.last.IsZero() {
		b.tokens, b.last = capacity, now
		return
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(capacity, b.tokens+el*rate)
		b.last = now
	}
}

// wait is how long until one token is available.
func (b *bucket) wait(rate float64) time.Duration {
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

// limiter holds the buckets; the Server's mutex guards it.
type limiter struct {
	l      Limits
	global bucket
	chats  map[int64]*bucket
	groups map[int64]*bucket
}

func newLimiter(l Limits) *limiter {
	if l.Scale <= 0 {
		l.Scale = 1
	}
	if l.Burst <= 0 {
		l.Burst = 1
	}
	return &limiter{l: l, chats: map[int64]*bucket{}, groups: map[int64]*bucket{}}
}

type limitCheck struct {
	b              *bucket
	rate, capacity float64
}

// take admits one send to chatID at now, or returns how long (in real,
// scaled time) the sender must wait. A refused send consumes nothing.
func (lm *limiter) take(chatID int64, now time.Time) time.Duration {
	var checks []limitCheck
	if lm.l.Global > 0 {
		checks = append(checks, limitCheck{&lm.global, lm.l.Global * lm.l.Scale, math.Max(1, lm.l.Global)})
	}
	if lm.l.PerChat > 0 {
		checks = append(checks, limitCheck{lm.bucket(lm.chats, chatID), lm.l.PerChat * lm.l.Scale, float64(lm.l.Burst)})
	}
	if lm.l.PerGroupPerMinute > 0 && chatID < 0 {
		checks = append(checks, limitCheck{lm.bucket(lm.groups, chatID), lm.l.PerGroupPerMinute / 60 * lm.l.Scale, math.Max(1, lm.l.PerGroupPerMinute)})
	}
	var wait time.Duration
	for _, c := range checks {
		c.b.refill(now, c.rate, c.capacity)
		wait = max(wait, c.b.wait(c.rate))
	}
	if wait > 0 {
		return wait
	}
	for _, c := range checks {
		c.b.tokens--
	}
	return 0
}

func (lm *limiter) bucket(m map[int64]*bucket, id int64) *bucket {
	b, ok := m[id]
	if !ok {
		b = &bucket{}
		m[id] = b
	}
	return b
}

// retryAfter converts a real wait into Telegram seconds for retry_after.
func (lm *limiter) retryAfter(wait time.Duration) int {
	return ceilSeconds(time.Duration(float64(wait) * lm.l.Scale))
}

// ceilSeconds rounds up to whole seconds, at least one, as retry_after is.
func ceilSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
