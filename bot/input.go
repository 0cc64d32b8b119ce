package bot

import (
	"github.com/duban-bureau/duban/store"
)

// errorText is what the user reads for a refused request: the store's
// validation refusals rendered from the catalogue, other coded errors as
// they are, internal ones as the generic apology.
func (l Lang) errorText(err error) string {
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
