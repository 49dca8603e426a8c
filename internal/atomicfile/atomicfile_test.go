package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestWriteFileReplacesWithMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Fatalf("read %q, %v; want new", got, err)
	}
	if st, _ := os.Stat(path); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	assertNoTemps(t, path)
}

func TestWriteFileWithFailingHookKeepsOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFileWith(path, []byte("new"), 0o600, func(*os.File) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want the hook's", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Fatalf("file is %q after a failed write, want old", got)
	}
	assertNoTemps(t, path)
}

func TestWriteFileMissingDirectory(t *testing.T) {
	if err := WriteFile(filepath.Join(t.TempDir(), "no", "f"), nil, 0o600); err == nil {
		t.Fatal("no error writing into a missing directory")
	}
}

func assertNoTemps(t *testing.T, path string) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), TempPattern(path)))
	if len(left) > 0 {
		t.Fatalf("temp files left: %v", left)
	}
}
