package repo

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// helpFlag is a flag at the start of a --help line: "  --cluster-name string".
var helpFlag = regexp.MustCompile(`(?m)^\s+(?:-\w, )?(--[a-z][a-z-]*)`)

// TestConfigurationListsEveryKccEKSFlag keeps docs/configuration.md's kcc-eks
// section naming every flag kcc-eks --help lists.
func TestConfigurationListsEveryKccEKSFlag(t *testing.T) {
	root := repoRoot(t)
	bin := testbin.Build(t, t.TempDir(), "kcc-eks")
	r := testbin.Run(t, exec.Command(bin, "--help"))
	if r.Code != 0 {
		t.Fatalf("kcc-eks --help: exit %d\n%s", r.Code, r.Stderr)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	section := docSection(string(doc), "## kcc-eks")
	if section == "" {
		t.Fatal(`docs/configuration.md has no "## kcc-eks" section`)
	}
	flags := helpFlag.FindAllStringSubmatch(r.Stdout, -1)
	if len(flags) < 5 {
		t.Fatalf("found %d flags in kcc-eks --help; the pattern no longer matches it:\n%s", len(flags), r.Stdout)
	}
	for _, m := range flags {
		named := regexp.MustCompile(regexp.QuoteMeta(m[1]) + `([^A-Za-z0-9-]|$)`)
		if !named.MatchString(section) {
			t.Errorf("docs/configuration.md's kcc-eks section does not name %s", m[1])
		}
	}
}

// docSection is the text from the heading line to the next heading of the
// same level, or "".
func docSection(doc, heading string) string {
	i := strings.Index(doc, "\n"+heading+"\n")
	if i < 0 {
		return ""
	}
	rest := doc[i+1:]
	level := heading[:strings.Index(heading, " ")+1]
	if j := strings.Index(rest[len(heading):], "\n"+level); j >= 0 {
		return rest[:len(heading)+j]
	}
	return rest
}
