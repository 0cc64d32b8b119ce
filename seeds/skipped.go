package seeds

// Skipped is a paragraph of a plan that produced no task, with the reason,
// so a dry run can show that nothing was dropped silently.
type Skipped struct {
	Line   int    // 1-based line (or paragraph) number in the document
	Text   string // the paragraph, shortened
	Reason string // a short Chinese reason, e.g. "工作回顾，不是任务"
}
