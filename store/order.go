package store

// CompareByDeadline orders tasks by deadline, continuous tasks (no date)
// last, then by ID (CompareIDs): the order of /my, /overdue, /due, the
// reminders and the escalations alike.
func CompareByDeadline(a, b *Task) int {
	if a.Deadline.IsZero() != b.Deadline.IsZero() {
		if a.Deadline.IsZero() {
			return 1
		}
		return -1
	}
	if a.Deadline != b.Deadline {
		if a.Deadline < b.Deadline {
			return -1
		}
		return 1
	}
	return CompareIDs(a.ID, b.ID)
}
