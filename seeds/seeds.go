// Package seeds holds the bundled example plan (2021年大连市生态环境工作要点),
// the parser that turns a 工作要点-style document into plan indicators and
// tasks (chapters 一、, sections （一）, one task per sentence or item,
// deadline and target hints, the plan's year and issuer), ReadPlanFile (the
// one entry point for plan files: .txt/.md in any encoding, .docx, .doc/.wps
// through soffice; a Word 任务分解表 becomes list rows), and the bundled
// department list and owner keyword map used to suggest a lead department
// for each task.
//
// It may import store, store/listfile and seeds/docx; never the chat, the
// schedule or Telegram.
//
// Everything a bureau might want to change without touching code — the
// department names and which keywords point to which department — lives in
// plain text files next to this one (departments.txt, owners.txt) and is
// embedded at build time.
package seeds

import (
	_ "embed"
	"strings"
)

// BundledName is the file name of the embedded seed plan; callers use it as
// the Source of the bundled plan so logs and exports say where tasks came from.
const BundledName = "2021-dalian-sthjj-gongzuoyaodian.txt"

//go:embed 2021-dalian-sthjj-gongzuoyaodian.txt
var bundled []byte

//go:embed departments.txt
var departmentsTxt string

// Bundled returns a copy of the embedded seed plan document, so an empty
// database can start from a live example; the copy keeps callers from
// mutating the embedded bytes.
func Bundled() []byte { return append([]byte(nil), bundled...) }

// Departments returns the bundled department list (departments.txt), in file
// order. It is only the starting list: departments are data and are edited at
// run time through the store, never through this package.
func Departments() []string { return parseList(departmentsTxt) }

// parseList reads one entry per line, skipping blank lines and # comments.
func parseList(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
