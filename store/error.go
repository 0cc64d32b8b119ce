package store

import (
	"errors"
	"fmt"
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

// Error is a domain error whose Message is fit to show a user (in Chinese).
type Error struct {
	Code    string
	Message string
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
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

// ErrorMessage returns the user-facing message of err, or a generic one for
// internal errors (whose detail belongs in the log, not in chat).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if fe := AsFieldError(err); fe != nil {
		return fe.Error() // the edge renders these; this is the fallback
	}
	return "内部错误，已记录日志，请稍后再试。"
}
