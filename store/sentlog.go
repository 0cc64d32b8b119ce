package store

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// SentLog records deliveries between outbox commits. Marking each sent
// message in its own bbolt transaction costs two fsyncs, which caps the
// sender near 200 messages a second and holds the single writer lock the
// chat handlers need. Instead the sender appends one line per delivery to
// this file (one write, no fsync) and Flush folds the lines into the outbox
// in one transaction. A killed process loses nothing: the kernel keeps the
// written lines, and OpenSentLog applies them at the next start. A power
// cut may lose the lines since the last Flush, and those messages are sent
// again: delivery stays at-least-once.
type SentLog struct {
	db   *DB
	path string

	mu   sync.Mutex
	f    *os.File
	keys map[string]int // recorded, not yet flushed: key → Telegram message ID
	torn bool           // a failed write left part of a line: start the next on a new one
}

// OpenSentLog opens the log beside the database (<db>.sent), first folding
// in whatever an earlier process recorded.
func OpenSentLog(db *DB) (*SentLog, error) {
	l := &SentLog{db: db, path: db.Path + ".sent", keys: map[string]int{}}
	if err := l.replay(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open sent log: %w", err)
	}
	l.f = f
	return l, nil
}

// replay applies a previous process's lines. A torn last line (the process
// died mid-write) is ignored: its message was in flight and is sent again.
func (l *SentLog) replay() error {
	f, err := os.Open(l.path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read sent log: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break // end of file, or a line without its newline: torn
		}
		q, id, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		key, err := strconv.Unquote(q)
		n, err2 := strconv.Atoi(id)
		if ok && err == nil && err2 == nil {
			l.keys[key] = n
		}
	}
	return l.fold()
}

// Record notes that the message with key was delivered as Telegram message
// id. It returns once the line is written (to the kernel, not the disk).
func (l *SentLog) Record(key string, id int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	line := strconv.Quote(key) + " " + strconv.Itoa(id) + "\n"
	if l.torn {
		line = "\n" + line // replay skips the torn fragment's line
	}
	if n, err := l.f.WriteString(line); err != nil {
		l.torn = l.torn || n > 0
		return fmt.Errorf("sent log: %w", err)
	}
	l.torn = false
	l.keys[key] = id
	return nil
}

// Sent reports whether key was recorded and not yet flushed (the outbox
// still lists it as pending).
func (l *SentLog) Sent(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.keys[key]
	return ok
}

// Len is the number of deliveries waiting for Flush.
func (l *SentLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

// Flush marks every recorded delivery sent in one transaction, then empties
// the file. A crash between the two re-applies lines already applied, which
// changes nothing.
func (l *SentLog) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.keys) == 0 {
		return nil
	}
	if err := l.fold(); err != nil {
		return err
	}
	return l.f.Truncate(0)
}

func (l *SentLog) fold() error {
	if len(l.keys) == 0 {
		return nil
	}
	err := l.db.Update(func(tx *Tx) error {
		for key, id := range l.keys {
			m, err := tx.Message(key)
			if ErrorCode(err) == ENOTFOUND || (err == nil && m.State != MessagePending) {
				continue
			}
			if err != nil {
				return err
			}
			if err := tx.MarkSent(key, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sent log: mark sent: %w", err)
	}
	clear(l.keys)
	return nil
}

// Close flushes and closes the file.
func (l *SentLog) Close() error {
	err := l.Flush()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	return err
}
