package lockedfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "f.yaml")
	add := func(s string) func([]byte) ([]byte, error) {
		return func(old []byte) ([]byte, error) { return append(old, s...), nil }
	}
	if err := Update(path, Options{Limit: 100}, add("a")); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		st, _ := os.Stat(path)
		dst, _ := os.Stat(filepath.Dir(path))
		if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
			t.Fatalf("new file %v in directory %v, want 0600 in 0700", st.Mode().Perm(), dst.Mode().Perm())
		}
		if err := os.Chmod(path, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	if err := Update(path, Options{Limit: 100}, add("")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); !st.ModTime().Equal(old) {
		t.Error("an update that changed nothing rewrote the file")
	}
	if err := Update(path, Options{Limit: 100}, add("b")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(got) != "ab" || runtime.GOOS != "windows" && st.Mode().Perm() != 0o640 {
		t.Errorf("after two updates: %q, mode %v; want ab, 0640 kept", got, st.Mode().Perm())
	}
	boom := errors.New("boom")
	if err := Update(path, Options{Limit: 100}, func([]byte) ([]byte, error) { return []byte("x"), boom }); !errors.Is(err, boom) {
		t.Errorf("err %v", err)
	}
	if err := Update(path, Options{Limit: 1}, add("c")); err == nil || !strings.Contains(err.Error(), "larger than 1 bytes") {
		t.Errorf("over the limit: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "ab" {
		t.Errorf("failed updates changed the file to %q", got)
	}
}
