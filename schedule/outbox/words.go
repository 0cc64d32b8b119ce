package outbox

import (
	"strconv"

	"github.com/duban-bureau/duban/schedule/lang"
)

// say is a catalogue entry in the notices' language.
func say(l lang.Lang, key string, args ...any) string { return l.T(key, args...) }

func i64toa(n int64) string { return strconv.FormatInt(n, 10) }
