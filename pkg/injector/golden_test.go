package injector

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/injector")

const goldenDir = "../../testdata/injector"

// TestGolden injects and restores real-world kubeconfig styles. Each case
// has <name>.input.<ext>; <name>.injected.<ext> and <name>.restored.<ext>
// hold the expected results (go test -update rewrites them; review the diff).
func TestGolden(t *testing.T) {
	tests := []struct {
		name, ext string
		// wrapped: the input already holds wrapped users, so restoring
		// gives a different file than the input.
		wrapped bool
	}{
		{name: "aws-eks", ext: "yaml"},
		{name: "gcloud-gke", ext: "yaml"},
		{name: "azure-kubelogin", ext: "yaml"},
		{name: "kubectl-written", ext: "yaml"},
		{name: "hand-written", ext: "yaml"},
		{name: "crlf", ext: "yaml"},
		{name: "json", ext: "json"},
		{name: "no-exec", ext: "yaml"},
		{name: "already-injected", ext: "yaml", wrapped: true},
		{name: "eks-tools", ext: "yaml"},
		{name: "eks-tools", ext: "json"},
		{name: "eks-crlf", ext: "yaml"},
		{name: "kubelogin-setup", ext: "yaml"},
		{name: "kconnect-oidc", ext: "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"."+tt.ext, func(t *testing.T) {
			path := func(kind string) string {
				return filepath.Join(goldenDir, tt.name+"."+kind+"."+tt.ext)
			}
			input := readFile(t, path("input"))
			injected, err := Inject(input, Options{})
			if err != nil {
				t.Fatalf("Inject: %v", err)
			}
			restored, err := Restore(injected, Options{})
			if err != nil {
				t.Fatalf("Restore: %v", err)
			}
			if *update {
				writeFile(t, path("injected"), injected)
				writeFile(t, path("restored"), restored)
			}
			compare(t, "injected", readFile(t, path("injected")), injected)
			compare(t, "restored", readFile(t, path("restored")), restored)
			if !tt.wrapped {
				compare(t, "restore(inject(input)) vs input", input, restored)
			}
			again, err := Inject(injected, Options{})
			if err != nil {
				t.Fatalf("second Inject: %v", err)
			}
			compare(t, "inject(inject(input))", injected, again)
		})
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// compare reports the first differing line, which is what one needs to see
// in a long kubeconfig.
func compare(t *testing.T, what string, want, got []byte) {
	t.Helper()
	if bytes.Equal(want, got) {
		return
	}
	wl, gl := strings.SplitAfter(string(want), "\n"), strings.SplitAfter(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Errorf("%s: line %d differs\nwant %q\ngot  %q", what, i+1, w, g)
			return
		}
	}
}
