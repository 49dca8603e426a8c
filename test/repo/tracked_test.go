package repo

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxTrackedSize is the largest file the repository may track: sources,
// docs and testdata are far below it; a build output is far above.
const maxTrackedSize = 1 << 20

// allowed lists tracked files that may break the rules below, with the
// reason. Empty: nothing needs it today.
var allowed = map[string]string{}

// executableMagic are the first bytes of the executable formats Go builds
// (ELF, Mach-O 32/64-bit both byte orders and fat, PE's MZ header).
var executableMagic = [][]byte{
	[]byte("\x7fELF"),
	{0xfe, 0xed, 0xfa, 0xce}, {0xce, 0xfa, 0xed, 0xfe},
	{0xfe, 0xed, 0xfa, 0xcf}, {0xcf, 0xfa, 0xed, 0xfe},
	{0xca, 0xfe, 0xba, 0xbe},
	[]byte("MZ"),
}

// TestNoBinaryOrLargeFileIsTracked keeps compiled binaries (a stray
// `go test -c` output was once committed) and large files out of git.
func TestNoBinaryOrLargeFileIsTracked(t *testing.T) {
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("git rev-parse: %v", err)
	}
	root := strings.TrimSpace(string(top))
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	files := strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
	if len(files) < 100 {
		t.Fatalf("git ls-files listed %d files; expected the whole repository", len(files))
	}
	for _, name := range files {
		if _, ok := allowed[name]; ok {
			continue
		}
		if msg := check(filepath.Join(root, name)); msg != "" {
			t.Errorf("%s: %s", name, msg)
		}
	}
}

// check says what is wrong with one file, or "".
func check(path string) string {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return "" // deleted in the work tree, or a symlink
	}
	if fi.Size() > maxTrackedSize {
		return "larger than 1 MiB; keep it out of git (or add it to allowed with the reason)"
	}
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := f.Read(head)
	for _, magic := range executableMagic {
		if n >= len(magic) && bytes.Equal(head[:len(magic)], magic) {
			return "a compiled executable; build outputs are not tracked"
		}
	}
	return ""
}

func TestCheckFlagsExecutables(t *testing.T) {
	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, make([]byte, maxTrackedSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small.go")
	if err := os.WriteFile(small, []byte("package small\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		bad  bool
	}{{self, true}, {big, true}, {small, false}, {filepath.Join(dir, "absent"), false}} {
		if got := check(tc.path) != ""; got != tc.bad {
			t.Errorf("check(%s) flagged=%v, want %v", tc.path, got, tc.bad)
		}
	}
}
