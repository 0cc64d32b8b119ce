package store

import "slices"

// Admins are the user IDs named admins by the running configuration
// (--admin). It is the one type for them: the chat checks a user with Has,
// the schedule and the audience rules take the list as it is.
type Admins []int64

// Has reports whether id is an admin.
func (a Admins) Has(id int64) bool { return slices.Contains(a, id) }
