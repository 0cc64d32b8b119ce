// Package lang is the catalogue of every text a user reads, zh and en:
// chat replies, reminders, the digest, the command line, and the store's
// coded refusals rendered at the edge. It imports only store (and the
// standard library), so chat (bot), schedule and cmd/duban all use it and
// none of them needs another for its words.
package lang

import (
	"fmt"
	"strings"

	"github.com/duban-bureau/duban/store"
)

// Lang is the language of replies: "zh" (default) or "en".
type Lang string

// T formats the catalogue entry key in l (Chinese when l has no entry).
// Arguments are inserted as they are: callers escape HTML first.
func (l Lang) T(key string, args ...any) string {
	e, ok := catalogue[key]
	if !ok {
		return key
	}
	f := e[0]
	if l == "en" && e[1] != "" {
		f = e[1]
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// Has reports whether the catalogue holds key.
func Has(key string) bool { _, ok := catalogue[key]; return ok }

// Status labels a task status (未开始, 推进中, 受阻, 待销号, 已销号).
func (l Lang) Status(s store.Status) string {
	if Has("st_" + string(s)) {
		return l.T("st_" + string(s))
	}
	return strings.ReplaceAll(string(s), "_", " ")
}

// Field labels a task field in history.
func (l Lang) Field(f string) string { return l.T("f_" + f) }

// Kind labels a history entry's kind.
func (l Lang) Kind(k string) string {
	if _, ok := catalogue["k_"+k]; ok {
		return l.T("k_" + k)
	}
	return k
}
