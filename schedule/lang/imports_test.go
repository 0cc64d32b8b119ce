package lang_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the catalogue where every side can reach it: lang
// imports nothing of ours but store, and schedule (reminders, the digest)
// imports no chat code, so neither needs bot for its words.
func TestImports(t *testing.T) {
	const mod = "github.com/duban-bureau/duban/"
	for _, tc := range []struct {
		dir     string
		allowed func(path string) bool
	}{
		{".", func(p string) bool { return p == mod+"store" || !strings.Contains(strings.Split(p, "/")[0], ".") }},
		{"..", func(p string) bool {
			return !strings.HasPrefix(p, mod+"bot") && !strings.HasPrefix(p, "github.com/go-telegram/")
		}},
	} {
		files, err := filepath.Glob(filepath.Join(tc.dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, spec := range af.Imports {
				p, _ := strconv.Unquote(spec.Path.Value)
				if !tc.allowed(p) {
					t.Errorf("%s imports %s", f, p)
				}
			}
		}
	}
}
