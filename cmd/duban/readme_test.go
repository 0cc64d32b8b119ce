package main

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readmeMark, on the line before a fenced block of README.md, marks the
// block as checked by TestReadme_Examples.
const readmeMark = "<!-- 由 cmd/duban/readme_test.go 核对 -->"

// readmeNow is the day the README's outputs were taken on; the README says so.
var readmeNow = time.Date(2026, 11, 30, 9, 20, 0, 0, time.FixedZone("CST", 8*3600))

// readmeBlock is one checked example: commands, each with the output lines
// the README shows for it.
type readmeBlock struct {
	line int // README line of the opening fence
	cmds []readmeCmd
}

type readmeCmd struct {
	line int
	text string   // as written after "$ "
	want []string // the lines shown after it, up to the next "$ "
}

func readmeBlocks(t *testing.T, path string) []readmeBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []readmeBlock
	var cur *readmeBlock
	marked := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t")
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			if marked {
				cur = &readmeBlock{line: n}
			}
			marked = false
		case cur == nil:
			marked = line == readmeMark
		case line == "```":
			if len(cur.cmds) == 0 {
				t.Fatalf("README.md:%d: a checked block has no \"$ \" command", cur.line)
			}
			blocks = append(blocks, *cur)
			cur = nil
		case strings.HasPrefix(line, "$ "):
			cur.cmds = append(cur.cmds, readmeCmd{line: n, text: line[2:]})
		case len(cur.cmds) == 0:
			t.Fatalf("README.md:%d: a checked block must start with \"$ \"", n)
		default:
			c := &cur.cmds[len(cur.cmds)-1]
			c.want = append(c.want, line)
		}
	}
	return blocks
}

// splitWords splits a command line the way sh would for the README's
// examples: words, and single-quoted strings.
func splitWords(s string) []string {
	var out []string
	var w strings.Builder
	in, any := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			in, any = !in, true
		case r == ' ' && !in:
			if any {
				out = append(out, w.String())
			}
			w.Reset()
			any = false
		default:
			w.WriteRune(r)
			any = true
		}
	}
	if any {
		out = append(out, w.String())
	}
	return out
}

// runReadmeCmd runs "[printf 'IN' |] duban ARGS [| head -N]" in-process.
func runReadmeCmd(t *testing.T, seeds, text string) string {
	t.Helper()
	stdin, head := "", -1
	parts := strings.Split(text, " | ")
	if p := strings.TrimSpace(parts[0]); strings.HasPrefix(p, "printf ") {
		w := splitWords(p)
		stdin = strings.NewReplacer(`\n`, "\n", "%%", "%").Replace(w[1])
		parts = parts[1:]
	}
	if len(parts) == 2 {
		w := splitWords(parts[1])
		n, err := strconv.Atoi(strings.TrimPrefix(w[len(w)-1], "-"))
		if w[0] != "head" || err != nil {
			t.Fatalf("unsupported pipe %q", parts[1])
		}
		head, parts = n, parts[:1]
	}
	args := splitWords(parts[0])
	if len(parts) != 1 || len(args) == 0 || args[0] != "duban" {
		t.Fatalf("unsupported command %q", text)
	}
	for i, a := range args {
		if strings.HasPrefix(a, "seeds/") {
			args[i] = filepath.Join(seeds, strings.TrimPrefix(a, "seeds/"))
		}
	}
	// stdout, and stderr only for a failed command: the progress notes on
	// stderr ("正在导入 86 项…") are not shown in the README
	var stdout, stderr syncBuffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	var out string
	if Main(context.Background(), env, args[1:]) != 0 {
		out = stdout.String() + stderr.String()
	} else {
		out = stdout.String()
	}
	if head >= 0 {
		lines := strings.SplitAfter(out, "\n")
		if len(lines) > head {
			lines = lines[:head]
		}
		out = strings.Join(lines, "")
	}
	return out
}

var spaces = regexp.MustCompile(`[ \t]+`)

// lineMatches compares one README line with one output line: runs of
// spaces count as one (the README aligns CJK tables by eye), and "……"
// inside a line stands for text the README shortened.
func lineMatches(want, got string) bool {
	norm := func(s string) string {
		return spaces.ReplaceAllString(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")), " ")
	}
	want, got = norm(want), norm(got)
	if pre, post, ok := strings.Cut(want, "……"); ok {
		return len(got) >= len(pre)+len(post) && strings.HasPrefix(got, pre) && strings.HasSuffix(got, post)
	}
	return want == got
}

// matchLines reports the first README line that the output does not show,
// in order; a line "…" skips any number of output lines, and without one
// the lines must follow each other. Blank lines are not compared.
func matchLines(want []string, got string) (string, bool) {
	var out []string
	for _, l := range strings.Split(got, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	i, skip := 0, false
	for _, w := range want {
		if strings.TrimSpace(w) == "" {
			continue
		}
		if w == "…" {
			skip = true
			continue
		}
		for i < len(out) && !lineMatches(w, out[i]) && skip {
			i++
		}
		if i >= len(out) || !lineMatches(w, out[i]) {
			return w, false
		}
		i++
		skip = false
	}
	return "", true
}

// TestReadme_Examples runs every README.md example marked with readmeMark
// on a fresh database in a fresh directory, on the day readmeNow, and
// fails when a line the README shows is not what the binary prints.
func TestReadme_Examples(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	fixClock(t, readmeNow)
	blocks := readmeBlocks(t, filepath.Join(root, "README.md"))
	if len(blocks) < 5 {
		t.Fatalf("only %d checked examples in README.md (marked %q)", len(blocks), readmeMark)
	}
	for _, b := range blocks {
		t.Run("README.md:"+strconv.Itoa(b.line), func(t *testing.T) {
			t.Chdir(t.TempDir())
			for _, c := range b.cmds {
				got := runReadmeCmd(t, filepath.Join(root, "seeds"), c.text)
				if w, ok := matchLines(c.want, got); !ok {
					t.Errorf("README.md:%d: $ %s\nthe README shows %q, the binary printed:\n%s", c.line, c.text, w, got)
				}
			}
		})
	}
}

// TestReadme_MatchLines: the comparison fails when a shown line is missing,
// out of order, or changed, and "…"/"……" only skip what they stand for.
func TestReadme_MatchLines(t *testing.T) {
	got := "a\nb  c\nd 长文本结尾\ne\n"
	for _, tc := range []struct {
		want []string
		ok   bool
	}{
		{[]string{"a", "b c", "d 长……结尾", "e"}, true},
		{[]string{"a", "…", "e"}, true},
		{[]string{"a", "e"}, false},
		{[]string{"b c", "a"}, false},
		{[]string{"a", "b d"}, false},
		{[]string{"a", "…", "f"}, false},
		{[]string{"d 短……结尾"}, false},
	} {
		if _, ok := matchLines(tc.want, got); ok != tc.ok {
			t.Errorf("matchLines(%q) = %v, want %v", tc.want, ok, tc.ok)
		}
	}
}
