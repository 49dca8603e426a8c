package repo

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	// designSection is a section heading of docs/design.md: "## 12. Title".
	designSection = regexp.MustCompile(`(?m)^## (\d+)\. `)
	// designCite is a citation and what follows it: "docs/design.md §2–§3",
	// "docs/design.md\n// §14" in a comment.
	designCite = regexp.MustCompile(`docs/design\.md[\s/,–-]*((?:§\d+[\s/,–-]*)+)`)
	sectionNum = regexp.MustCompile(`§(\d+)`)
)

// TestDesignCitationsExist keeps every "docs/design.md §N" in the code and
// the docs pointing at a section that exists, so that a renumbered or
// removed section cannot leave a comment pointing nowhere.
func TestDesignCitationsExist(t *testing.T) {
	root := repoRoot(t)
	design, err := os.ReadFile(filepath.Join(root, "docs", "design.md"))
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]bool{}
	for _, m := range designSection.FindAllStringSubmatch(string(design), -1) {
		sections[m[1]] = true
	}
	cited := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".go" && ext != ".md" && ext != ".sh" {
			return nil
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for _, n := range missingSections(string(text), sections) {
			t.Errorf("%s cites docs/design.md §%s, which does not exist", rel, n)
		}
		cited += len(designCite.FindAllString(string(text), -1))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cited < 10 {
		t.Fatalf("found %d citations of docs/design.md; the pattern no longer matches how they are written", cited)
	}
}

// TestMissingSectionsFindsMadeUpOnes holds the checker to a made-up section.
func TestMissingSectionsFindsMadeUpOnes(t *testing.T) {
	sections := map[string]bool{"2": true, "3": true, "12": true}
	// Spelled apart, so that the walk above does not find it in this file.
	doc := "docs/design" + ".md"
	text := "see " + doc + " §2–§3 and " + doc + "\n// §12, §40; " + doc + " §99."
	got := missingSections(text, sections)
	if strings.Join(got, " ") != "40 99" {
		t.Fatalf("missingSections = %q, want [40 99]", got)
	}
}

// missingSections returns the section numbers text cites that sections
// lacks.
func missingSections(text string, sections map[string]bool) []string {
	var missing []string
	for _, m := range designCite.FindAllStringSubmatch(text, -1) {
		for _, n := range sectionNum.FindAllStringSubmatch(m[1], -1) {
			if !sections[n[1]] {
				missing = append(missing, n[1])
			}
		}
	}
	return missing
}
