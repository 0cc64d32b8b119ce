package lang

import (
	"strings"

	"github.com/duban-bureau/duban/store"
)

// ErrorText renders err for a person: wherever a refusal of the store's
// validation layer appears in the chain, its log form is replaced by the
// catalogue's sentence (the command line uses this).
func (l Lang) ErrorText(err error) string {
	msg := err.Error()
	if fe := store.AsFieldError(err); fe != nil {
		msg = strings.Replace(msg, fe.Error(), l.Refusal(fe), 1)
	}
	return msg
}

// Refusal is what the user reads for a refused request: the store's
// validation refusals rendered from the catalogue, other coded errors as
// they are, internal ones as the generic apology.
func (l Lang) Refusal(err error) string {
	fe := store.AsFieldError(err)
	if fe == nil {
		return store.ErrorMessage(err)
	}
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
