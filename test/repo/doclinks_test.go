package repo

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

var (
	// mdLink is a relative Markdown link: [text](target) without a scheme.
	mdLink = regexp.MustCompile(`\]\(([^)\s:]+)\)`)
	// mdHeading is a Markdown heading line outside code blocks.
	mdHeading = regexp.MustCompile(`^#{1,6} (.+)$`)
)

// TestDocLinksResolve keeps the links between README.md and docs/*.md
// pointing at files and headings that exist, so that a renamed doc or
// section breaks this test instead of the reader's click.
func TestDocLinksResolve(t *testing.T) {
	root := repoRoot(t)
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, filepath.Join(root, "README.md"))
	links := 0
	for _, doc := range docs {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, doc)
		for _, m := range mdLink.FindAllStringSubmatch(string(text), -1) {
			links++
			if msg := checkLink(doc, m[1]); msg != "" {
				t.Errorf("%s: link %s: %s", rel, m[1], msg)
			}
		}
	}
	if links < 20 {
		t.Fatalf("found %d links; the pattern no longer matches how the docs write them", links)
	}
}

// checkLink says what is wrong with a relative link from doc, or "".
func checkLink(doc, target string) string {
	file, anchor, _ := strings.Cut(target, "#")
	path := doc
	if file != "" {
		path = filepath.Join(filepath.Dir(doc), filepath.FromSlash(file))
		if _, err := os.Stat(path); err != nil {
			return "no such file"
		}
	}
	if anchor == "" || filepath.Ext(path) != ".md" {
		return ""
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if !anchors(string(text))[anchor] {
		return "no heading with this anchor"
	}
	return ""
}

// anchors are the ids GitHub gives the headings of a Markdown text: lower
// case, spaces as dashes, punctuation other than - and _ dropped, a repeat
// suffixed -1, -2, ...
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		m := mdHeading.FindStringSubmatch(line)
		if fenced || m == nil {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(m[1])) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		id := b.String()
		if n := seen[id]; n > 0 {
			out[id+"-"+strconv.Itoa(n)] = true
		} else {
			out[id] = true
		}
		seen[id]++
	}
	return out
}

// TestCheckLinkFindsBrokenOnes holds the checker to a made-up file and anchor.
func TestCheckLinkFindsBrokenOnes(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "a.md")
	if err := os.WriteFile(doc, []byte("# A\n\n## The `to` command: one (1) step\n\n```\n# not a heading\n```\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string]string{
		"#the-to-command-one-1-step": "",
		"a.md#a":                     "",
		"#not-a-heading":             "no heading with this anchor",
		"b.md":                       "no such file",
		"a.md#nothere":               "no heading with this anchor",
	} {
		if got := checkLink(doc, target); got != want {
			t.Errorf("checkLink(%q) = %q, want %q", target, got, want)
		}
	}
}
