package seeds

// Outline exposes the section headings Parse saw, each prefixed with its kind
// (tasks, notasks, indicators), so tests can pin sections that yield no tasks.
func Outline(doc []byte) ([]string, error) {
	p, err := parse(doc, "test", Options{})
	if err != nil {
		return nil, err
	}
	return p.outline, nil
}
