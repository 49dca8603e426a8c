package kubeconfigfile

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	unlock, err := Lock(path, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".lock"); err != nil {
		t.Fatalf("no kubectl-style lock file: %v", err)
	}
	if _, err := Lock(path, path); err == nil || !strings.Contains(err.Error(), "config.lock exists") {
		t.Errorf("second Lock: %v, want a held-lock error", err)
	}
	released := make(chan struct{})
	go func() {
		time.Sleep(100 * time.Millisecond)
		unlock()
		close(released)
	}()
	unlock2, err := LockWithin(path, path, time.Minute)
	if err != nil {
		t.Fatalf("LockWithin did not get the lock once it was released: %v", err)
	}
	<-released
	unlock2()
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Errorf("the lock file stays after unlock: %v", err)
	}
}

func TestLockTakesTargetAndLink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real")
	link := filepath.Join(dir, "link")
	if err := os.WriteFile(target, []byte("kind: Config\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	resolved, err := Resolve(link)
	if err != nil || resolved != target {
		t.Fatalf("Resolve = %q, %v", resolved, err)
	}
	unlock, err := Lock(link, resolved)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	for _, n := range []string{link + ".lock", target + ".lock"} {
		if _, err := os.Stat(n); err != nil {
			t.Errorf("%s not taken: %v", n, err)
		}
	}
}

func TestWriteKeepsModeAndCreatesPrivately(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "config")
	if err := os.WriteFile(existing, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Write(existing, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(existing); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v after Write, want 0640 kept", st.Mode().Perm())
	}
	fresh := filepath.Join(dir, "sub", "dir", "config")
	if err := Write(fresh, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(fresh); st.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %v, want 0600", st.Mode().Perm())
	}
	if st, _ := os.Stat(filepath.Dir(fresh)); st.Mode().Perm() != 0o700 {
		t.Errorf("new directory mode %v, want 0700", st.Mode().Perm())
	}
}

// DefaultPath is client-go's GetDefaultFilename: with several files the
// first that exists, else the last.
func TestDefaultPath(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	if err := os.WriteFile(b, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	list := func(p ...string) string { return strings.Join(p, string(filepath.ListSeparator)) }
	t.Setenv("HOME", "/home/someone")
	tests := []struct{ name, kubeconfig, want string }{
		{"one missing file", a, a},
		{"first that exists", list(a, b, c), b},
		{"none exists: the last", list(a, c), c},
		{"empty entries dropped", list("", a, "", c, ""), c},
		{"unset", "", filepath.Join("/home/someone", ".kube", "config")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := func(string) string { return tt.kubeconfig }
			if p, err := DefaultPath(env); err != nil || p != tt.want {
				t.Errorf("DefaultPath = %q, %v; want %q", p, err, tt.want)
			}
		})
	}
	files, err := Files(func(string) string { return list(a, b, a, "", c, b) })
	if err != nil || !reflect.DeepEqual(files, []string{a, b, c}) {
		t.Errorf("Files = %q, %v; want each once, in order", files, err)
	}
}
