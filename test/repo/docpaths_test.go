package repo

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// repoPath matches a path into this repository as the docs write it:
// cmd/…, pkg/…, internal/…, test/…, bench/…, scripts/…, release/…, not
// preceded by anything that makes it part of a longer path or a URL
// (k8s.io/client-go/pkg/…).
var repoPath = regexp.MustCompile(`(?:^|[^A-Za-z0-9_./-])((?:cmd|pkg|internal|test|bench|scripts|release)/[A-Za-z0-9_./-]*)`)

// generated are paths the docs name that exist only once a script wrote them.
var generated = map[string]string{
	"bench/results": "the benchmark scripts' output, ignored by git",
}

// TestDocsNameExistingPaths keeps README.md and docs/*.md naming only
// packages and files that exist: a path moved by a refactoring must be
// moved in the docs too.
func TestDocsNameExistingPaths(t *testing.T) {
	root := repoRoot(t)
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, filepath.Join(root, "README.md"))
	checked := 0
	for _, doc := range docs {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, doc)
		for _, p := range missingPaths(root, string(text)) {
			t.Errorf("%s names %s, which does not exist", rel, p)
		}
		checked += len(repoPath.FindAllStringSubmatch(string(text), -1))
	}
	if checked < 50 {
		t.Fatalf("found %d paths in the docs; the pattern no longer matches how they write them", checked)
	}
}

// TestMissingPathsFindsMadeUpOnes holds the checker itself to a made-up path.
func TestMissingPathsFindsMadeUpOnes(t *testing.T) {
	root := repoRoot(t)
	text := "The proxy is `pkg/cache`, the agent `pkg/backend/agent`, see\n" +
		"`pkg/backend/ssagent` and (internal/nothere). Not ours: " +
		"k8s.io/client-go/pkg/apis, https://example.com/cmd/x.\n"
	got := missingPaths(root, text)
	want := []string{"internal/nothere", "pkg/backend/ssagent"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("missingPaths = %q, want %q", got, want)
	}
}

// missingPaths returns the repository paths text names that do not exist
// under root, sorted and each once.
func missingPaths(root, text string) []string {
	seen := map[string]bool{}
	var missing []string
	for _, m := range repoPath.FindAllStringSubmatch(text, -1) {
		p := strings.TrimRight(m[1], ".-")
		if seen[p] {
			continue
		}
		seen[p] = true
		if isGenerated(p) {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err != nil {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	return missing
}

// isGenerated reports whether p lies under a generated path.
func isGenerated(p string) bool {
	for g := range generated {
		if strings.TrimSuffix(p, "/") == g || strings.HasPrefix(p, g+"/") {
			return true
		}
	}
	return false
}

// repoRoot is the module's root: tests run in their package's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	return root
}
