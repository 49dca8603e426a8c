package deps

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLeafPackages: what kcc-cache links for the binaries' shared contract
// stays cheap on its hit path, and pkg/ekstoken stays a library.
func TestLeafPackages(t *testing.T) {
	root := moduleRoot(t)
	for _, tc := range []struct {
		pkg      string
		allowed  func(dep string) bool
		want     string
		initFree bool
	}{
		{"internal/contract", func(string) bool { return false }, "imports nothing", true},
		{"internal/cli", isStd, "links only the standard library", true},
		{"pkg/ekstoken", func(p string) bool { return !under(p, "github.com/spf13/pflag") && !under(p, "flag") },
			"links no flag parser (kcc-eks parses its own flags)", false},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-C", root, "-deps", "-f", "{{.ImportPath}}", "./"+tc.pkg).Output()
			if err != nil {
				t.Fatalf("go list: %v", err)
			}
			self := module + "/" + tc.pkg
			for _, dep := range strings.Fields(string(out)) {
				if dep != self && !tc.allowed(dep) {
					t.Errorf("%s links %s; it %s", tc.pkg, dep, tc.want)
				}
			}
			if tc.initFree {
				checkInitFree(t, filepath.Join(root, tc.pkg))
			}
		})
	}
}

// checkInitFree fails for a func init or a package-level var in the
// non-test files of dir: either runs at every process start.
func checkInitFree(t *testing.T, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s (%v)", dir, err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.Name == "init" && d.Recv == nil {
					t.Errorf("%s has a func init", name)
				}
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					t.Errorf("%s has a package-level var", name)
				}
			}
		}
	}
}
