package lang

import (
	"strings"

	"github.com/duban-bureau/duban/store"
)

// ErrorText renders err for a person: wherever a coded error of the store
// (a catalogue key with arguments), a refusal of its validation layer or a
// Texter appears in the chain, its log form is replaced by the catalogue's
// sentence; the rest of the chain stays as it is (the command line uses
// this).
func (l Lang) ErrorText(err error) string {
	msg := err.Error()
	l.render(&msg, err)
	return msg
}

// Texter is an error that can say itself in a language (store/listfile's
// file and row errors, whose Error() is the Chinese sentence).
type Texter interface {
	error
	Text(l Lang) string
}

// render replaces, in msg, the log form of the first coded error on each
// branch of err's chain by its sentence.
func (l Lang) render(msg *string, err error) {
	if t, ok := err.(Texter); ok {
		*msg = strings.Replace(*msg, err.Error(), t.Text(l), 1)
		return
	}
	switch e := err.(type) {
	case *store.Error:
		if e.Key != "" {
			*msg = strings.Replace(*msg, e.Error(), l.coded(e), 1)
			return
		}
	case *store.FieldError:
		*msg = strings.Replace(*msg, e.Error(), l.field(e), 1)
		return
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if c := u.Unwrap(); c != nil {
			l.render(msg, c)
		}
	case interface{ Unwrap() []error }:
		for _, c := range u.Unwrap() {
			l.render(msg, c)
		}
	}
}

// coded is the sentence of a store error with a catalogue key: the entry
// formatted with its arguments and, for a wrapped error, the cause's
// sentence last.
func (l Lang) coded(e *store.Error) string {
	args := make([]any, 0, len(e.Args)+1)
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			a = l.ErrorText(err) // a coded detail (the damage of a database file)
		}
		args = append(args, a)
	}
	if e.Err != nil {
		args = append(args, l.ErrorText(e.Err))
	}
	return l.T(e.Key, args...)
}

// Refusal is what the user reads for a refused request: the store's
// validation refusals and coded errors rendered from the catalogue (a
// context wrapper such as “任务 4.1.3：” gives way to the refusal it
// wraps), errors the edge built as they are, internal ones as the
// generic apology.
func (l Lang) Refusal(err error) string {
	if fe := store.AsFieldError(err); fe != nil {
		return l.field(fe)
	}
	if e := refusal(err); e != nil {
		if e.Key != "" {
			return l.coded(e)
		}
		return e.Message
	}
	return l.T("e_internal")
}

// field renders a validation refusal.
func (l Lang) field(fe *store.FieldError) string {
	field := l.Field(fe.Field)
	switch fe.Problem {
	case store.ProblemTooLong, store.ProblemTooMany:
		return l.T("v_"+fe.Problem, field, fe.Limit)
	case store.ProblemDate:
		return l.T("v_date_range", field, fe.Value, store.MinYear, store.MaxYear)
	case store.ProblemRoleName, store.ProblemSeparator:
		return l.T("v_"+fe.Problem, fe.Value)
	case store.ProblemEmpty:
		return l.T("v_empty", field)
	}
	return l.T("v_"+fe.Problem, field, fe.Value)
}

// refusal finds the first *store.Error in err's tree that is not a context
// wrapper (one with a cause).
func refusal(err error) *store.Error {
	if e, ok := err.(*store.Error); ok && e.Err == nil {
		return e
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if c := u.Unwrap(); c != nil {
			return refusal(c)
		}
	case interface{ Unwrap() []error }:
		for _, c := range u.Unwrap() {
			if e := refusal(c); e != nil {
				return e
			}
		}
	}
	return nil
}
