package storetest

import (
	"sync"
	"time"
)

// Clock is the one settable clock of the tests: the store, the schedule,
// the sender and the chat of one test read the same instant from it
// (store.Options.Now, Sender.Now, …), and the test moves it; nothing
// sleeps. It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's instant.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// After is time.After on this clock, for the sender's After hook: it moves
// the clock forward by d (never back) and fires at once, so a wait for a
// rate limit or a back-off costs no real time.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.Add(max(d, 0))
	ch := make(chan time.Time, 1)
	ch <- c.Now()
	return ch
}
