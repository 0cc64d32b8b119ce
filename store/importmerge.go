package store

// Merged is what ImportTasks would store for the existing task old given
// the imported t and the fields the file carries: a copy of old with those
// fields of t copied over (a suggested lead never overwrites a confirmed
// one). old is left alone. An import's preview diffs old against it.
func Merged(old, t *Task, fields []string) *Task {
	set := make(map[string]bool, len(fields))
	for _, f := range fields {
		set[f] = true
	}
	n := old.Clone()
	mergeFields(n, t, set)
	return n
}
