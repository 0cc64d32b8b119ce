package lang

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestCatalogue_EveryKeyHasBothLanguages fails when an entry lacks its
// Chinese or its English text: --lang en must never show a Chinese
// fallback, nor zh an English one.
func TestCatalogue_EveryKeyHasBothLanguages(t *testing.T) {
	for _, k := range sortedKeys() {
		e := catalogue[k]
		if strings.TrimSpace(e[0]) == "" {
			t.Errorf("%s: no Chinese text (en %q)", k, e[1])
		}
		if strings.TrimSpace(e[1]) == "" {
			t.Errorf("%s: no English text (zh %q)", k, e[0])
		}
	}
}

// dynamicPrefixes are the key families the code builds (or may build: the
// command table names usage_ and menu_ keys after the command) at run time
// ("f_"+field, "k_"+kind, …): their members are referenced by data, not
// by a literal.
var dynamicPrefixes = []string{"f_", "k_", "v_", "st_", "usage_", "menu_", "via_", "refuse_", "web_light_", "web_bar_", "need_", "saved_"}

// TestCatalogue_NoDeadKeys fails when a key is named nowhere in the
// module's non-test Go code or page templates (as a string literal), so entries nobody
// shows do not pile up.
func TestCatalogue_NoDeadKeys(t *testing.T) {
	root := filepath.Join("..", "..")
	lit := regexp.MustCompile(`"([a-z][a-z0-9_]*)"`)
	used := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, ".html") || strings.HasSuffix(p, "_test.go") || strings.HasSuffix(p, "catalogue.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range lit.FindAllSubmatch(b, -1) {
			used[string(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range sortedKeys() {
		if used[k] || hasPrefix(k, dynamicPrefixes) {
			continue
		}
		t.Errorf("%s: never referenced outside the catalogue (a dead entry: remove it)", k)
	}
}

func hasPrefix(k string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

func sortedKeys() []string {
	keys := make([]string, 0, len(catalogue))
	for k := range catalogue {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
