package deps

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// targets are the platforms we ship (.goreleaser.yaml). Each is listed with
// cgo off and on: the darwin kcc-cache is released with cgo (Keychain), the
// rest without, and a go install may have either. KCC_DEPS_GOOS narrows
// the list (the workflow's cross jobs run one GOOS each).
func targets() []target {
	goos := []string{"linux", "darwin", "windows"}
	if v := os.Getenv("KCC_DEPS_GOOS"); v != "" {
		goos = strings.Split(v, ",")
	}
	var out []target
	for _, g := range goos {
		for _, arch := range []string{"amd64", "arm64"} {
			for _, cgo := range []string{"0", "1"} {
				out = append(out, target{g, arch, cgo})
			}
		}
	}
	return out
}

type target struct{ goos, goarch, cgo string }

func (tg target) String() string { return tg.goos + "/" + tg.goarch + " CGO_ENABLED=" + tg.cgo }

// TestDependencyBudget lists what every binary under cmd/ links on every
// target and checks each package outside the standard library and this
// module against the binary's budget.
func TestDependencyBudget(t *testing.T) {
	root := moduleRoot(t)
	for _, tg := range targets() {
		t.Run(strings.NewReplacer("/", "-", " ", "-").Replace(tg.String()), func(t *testing.T) {
			t.Parallel()
			listed := listDeps(t, root, tg)
			if len(listed) == 0 {
				t.Fatal("go list found no binaries under cmd/")
			}
			for bin, deps := range listed {
				b, ok := budgets[bin]
				if !ok {
					t.Errorf("cmd/%s has no dependency budget: add one to test/deps/budget_test.go", bin)
					continue
				}
				for _, msg := range check(bin, tg.goos, b, deps) {
					t.Errorf("%s on %s: %s", bin, tg, msg)
				}
			}
		})
	}
}

// check returns one message per package deps holds that b does not allow.
func check(bin, goos string, b budget, deps []string) []string {
	allowed := append(slices.Clone(b.all), b.perOS[goos]...)
	var msgs []string
	for _, p := range deps {
		if isStd(p) || strings.HasPrefix(p, module+"/") || slices.ContainsFunc(allowed, func(prefix string) bool { return under(p, prefix) }) {
			continue
		}
		msg := fmt.Sprintf("links %s, outside its budget (test/deps/budget_test.go, docs/design.md §10)", p)
		for _, ban := range banned {
			if under(p, ban.prefix) {
				msg += ": " + ban.why
			}
		}
		msgs = append(msgs, msg)
	}
	return msgs
}

const module = "github.com/IvMisticos/kube-credential-cache"

// under reports whether package p is prefix or below it.
func under(p, prefix string) bool {
	prefix = strings.TrimSuffix(prefix, "/")
	return p == prefix || strings.HasPrefix(p, prefix+"/")
}

// isStd: standard-library paths have no dot in their first element
// (vendored ones start with vendor/).
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

// listDeps maps each binary under cmd/ to its transitive imports on tg.
func listDeps(t *testing.T, root string, tg target) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.Name}} {{.ImportPath}} {{join .Deps \" \"}}", "./cmd/...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS="+tg.goos, "GOARCH="+tg.goarch, "CGO_ENABLED="+tg.cgo)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list on %s: %v\n%s", tg, err, stderr.String())
	}
	deps := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] != "main" {
			continue
		}
		if len(f) < 12 {
			t.Fatalf("go list printed only %d packages for %s: %q", len(f)-2, f[1], sc.Text())
		}
		deps[path.Base(f[1])] = f[2:]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return deps
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the go command is not on PATH: %v", err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	return root
}

// TestCheckCatches shows the check failing where it must, so a green run
// means something.
func TestCheckCatches(t *testing.T) {
	deps := []string{
		"fmt", "vendor/golang.org/x/net/dns/dnsmessage", module + "/pkg/cache",
		"github.com/gofrs/flock", "golang.org/x/sys/unix",
		"k8s.io/client-go/rest", "github.com/aws/aws-sdk-go-v2/config", "github.com/gofrs/flockx",
		"github.com/99designs/keyring",
	}
	got := check("kcc-cache", "linux", budgets["kcc-cache"], deps)
	want := []string{"k8s.io/client-go/rest", "github.com/aws/aws-sdk-go-v2/config", "github.com/gofrs/flockx", "github.com/99designs/keyring"}
	if len(got) != len(want) {
		t.Fatalf("got %d messages, want %d: %q", len(got), len(want), got)
	}
	for i, w := range want {
		if !strings.Contains(got[i], "links "+w+",") {
			t.Errorf("message %d = %q, want it about %s", i, got[i], w)
		}
	}
	if !strings.Contains(got[0], "package inits") {
		t.Errorf("client-go message gives no reason: %q", got[0])
	}
	if msgs := check("kcc-cache", "darwin", budgets["kcc-cache"], []string{"github.com/99designs/keyring"}); len(msgs) != 0 {
		t.Errorf("keyring on darwin: %q, want allowed", msgs)
	}
}
