package settings

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestFileUpdate(t *testing.T) {
	f := &File{Path: filepath.Join(t.TempDir(), "connect", "config.yaml")}
	if s, err := f.Load(); err != nil || len(s.Keys()) != 0 {
		t.Fatalf("missing file: %v, %v", s, err)
	}
	if err := f.Update(func(s *Settings) error { return s.Set("profile", "dev") }); err != nil {
		t.Fatal(err)
	}
	s, err := f.Load()
	if v, _ := s.Get("profile"); err != nil || len(v) != 1 || v[0] != "dev" {
		t.Fatalf("after set: %v, %v", v, err)
	}
	if runtime.GOOS != "windows" {
		st, _ := os.Stat(f.Path)
		dst, _ := os.Stat(filepath.Dir(f.Path))
		if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
			t.Fatalf("modes %v %v", st.Mode().Perm(), dst.Mode().Perm())
		}
	}
	before, _ := os.ReadFile(f.Path)
	err = f.Update(func(s *Settings) error { s.Set("region", "x"); return errors.New("boom") })
	if after, _ := os.ReadFile(f.Path); err == nil || !bytes.Equal(before, after) {
		t.Fatal("a failed update changed the file")
	}
}

func TestFileCorruptIsAnErrorAndKept(t *testing.T) {
	f := &File{Path: filepath.Join(t.TempDir(), "config.yaml")}
	os.WriteFile(f.Path, []byte("profile: [\n"), 0o600)
	if _, err := f.Load(); err == nil || !strings.Contains(err.Error(), f.Path) {
		t.Fatalf("Load = %v, want an error naming the file", err)
	}
	if err := f.Update(func(s *Settings) error { return s.Set("profile", "x") }); err == nil {
		t.Fatal("Update replaced a file it could not read")
	}
	if got, _ := os.ReadFile(f.Path); string(got) != "profile: [\n" {
		t.Fatalf("file changed to %q", got)
	}
}
