package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGoInstallIsStatic: `go install` builds with cgo on by default, and a
// kcc-cache that linked net or os/user (godbus did) came out dynamically
// linked, and every hit started ~20-50% slower for the dynamic loader. The
// binary must need no cgo on Linux, so that the plain install gets the
// release build's speed: built with CGO_ENABLED=1, it has no interpreter and
// no shared libraries.
func TestGoInstallIsStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/kcc-cache")
	}
	bin := filepath.Join(t.TempDir(), "kcc-cache")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build with cgo on: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("kcc-cache built with cgo on asks for a dynamic loader: something it links needs cgo (go list -deps ./cmd/kcc-cache | grep -x -e net -e os/user -e runtime/cgo)")
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("kcc-cache built with cgo on needs shared libraries %v (%v)", libs, err)
	}
}
