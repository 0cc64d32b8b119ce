package store_test

import (
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestStore_NoDisplayText holds the store to coded errors: no string or
// rune literal of its non-test code contains a Chinese character. What a
// user reads is in the catalogue (schedule/lang), the words the store
// parses are in store/vocab, and comments may say anything.
func TestStore_NoDisplayText(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fs := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fs.AddFile(f, -1, len(src)), src, nil, 0)
		for {
			pos, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok != token.STRING && tok != token.CHAR {
				continue
			}
			v, err := strconv.Unquote(lit)
			if err != nil {
				v = lit
			}
			if strings.ContainsFunc(v, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("%s: Chinese in a literal (%s): word it in schedule/lang, or put input vocabulary in store/vocab", fs.Position(pos), lit)
			}
		}
	}
}
