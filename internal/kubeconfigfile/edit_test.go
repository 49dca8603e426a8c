package kubeconfigfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEditAllWritesOnlyWhatChanged(t *testing.T) {
	dir := t.TempDir()
	a, b, missing := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("kind: Config\n"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(b, old, old); err != nil {
		t.Fatal(err)
	}
	err := EditAll([]string{a, b, missing, a}, 0, func(files []*File) error {
		if len(files) != 3 || !files[0].Exists || !files[1].Exists || files[2].Exists || files[2].Data != nil {
			t.Fatalf("files %+v: want a, b and a missing c, each once", files)
		}
		for _, p := range []string{a, b, missing} {
			if _, err := os.Stat(p + ".lock"); err != nil {
				t.Errorf("%s not locked during the edit: %v", p, err)
			}
		}
		files[0].Data = append(files[0].Data, "users: []\n"...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(a); string(got) != "kind: Config\nusers: []\n" {
		t.Errorf("a = %q", got)
	}
	if st, _ := os.Stat(a); st.Mode().Perm() != 0o640 {
		t.Errorf("a's mode %v, want 0640 kept", st.Mode().Perm())
	}
	if st, err := os.Stat(b); err != nil || !st.ModTime().Equal(old) {
		t.Errorf("b was rewritten though unchanged: %v", err)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a missing file given no content was created: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.lock"))
	if len(left) != 0 {
		t.Errorf("locks left: %v", left)
	}
}

func TestEditAllFailureWritesNothing(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	if err := os.WriteFile(a, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := EditAll([]string{a, filepath.Join(dir, "new")}, 0, func(files []*File) error {
		files[0].Data, files[1].Data = []byte("y"), []byte("z")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if got, _ := os.ReadFile(a); string(got) != "x" {
		t.Errorf("a = %q after a failed edit", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); !os.IsNotExist(err) {
		t.Errorf("new file created by a failed edit")
	}
}

func TestEditCreatesAndHonoursLock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	if err := Edit(path, 0, func(src []byte) ([]byte, error) { return []byte("kind: Config\n"), nil }); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("new file: %v", err)
	}
	if err := os.WriteFile(path+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	called := false
	err := Edit(path, 0, func(src []byte) ([]byte, error) { called = true; return src, nil })
	var held *heldError
	if !errors.As(err, &held) || called {
		t.Errorf("Edit under kubectl's lock: %v (edit called %v)", err, called)
	}
}

func TestEditReadsThroughALimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, maxSize+1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	err := Edit(path, 0, func(src []byte) ([]byte, error) { return src, nil })
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("Edit of a file over the limit: %v", err)
	}
}
