package store

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes, after benbjohnson/wtf: the edge (chat, command line) turns a
// code into a short sentence for the user; only EINTERNAL is logged.
const (
	ECONFLICT  = "conflict"
	EINTERNAL  = "internal"
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	EFORBIDDEN = "forbidden"
)

// Error is a domain error. The store's own errors carry no display text:
// Key names the catalogue entry (schedule/lang) the edge renders in the
// reader's language, with Args, and Err (when set) is the cause, rendered
// after them. Errors the edge builds itself carry a Message already in the
// user's language (Errorf).
type Error struct {
	Code    string
	Message string // a sentence already rendered by the edge (Errorf)
	Key     string // catalogue key of the sentence (Refuse, Wrap)
	Args    []any  // the key's arguments
	Err     error  // the cause, if any (Wrap)
}

// Error implements error: the rendered message, or for the store's own
// errors a log form "key arg…: cause" that the edge replaces by the
// catalogue's sentence (lang.ErrorText).
func (e *Error) Error() string {
	if e.Key == "" {
		return e.Message
	}
	var b strings.Builder
	b.WriteString(e.Key)
	for _, a := range e.Args {
		fmt.Fprintf(&b, " %v", a)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause, so errors.Is(err, ErrLocked) sees through.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a message the caller
// has already rendered for the user.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Refuse returns a coded error whose sentence is the catalogue entry key
// with args: the store's refusals speak no language of their own.
func Refuse(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Wrap is Refuse with a cause: the catalogue entry key takes args and then
// the cause's sentence as its last argument.
func Wrap(err error, code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args, Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if AsFieldError(err) != nil {
		return EINVALID
	}
	return EINTERNAL
}
