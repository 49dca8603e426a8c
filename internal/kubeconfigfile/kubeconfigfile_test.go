package kubeconfigfile

import (
	"os"
	"path/filepath"
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

func TestDefaultPath(t *testing.T) {
	env := map[string]string{"KUBECONFIG": string(filepath.ListSeparator) + "/a/first" + string(filepath.ListSeparator) + "/b/second"}
	if p, err := DefaultPath(func(k string) string { return env[k] }); err != nil || p != "/a/first" {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
	t.Setenv("HOME", "/home/someone")
	if p, err := DefaultPath(func(string) string { return "" }); err != nil || p != filepath.Join("/home/someone", ".kube", "config") {
		t.Errorf("DefaultPath without KUBECONFIG = %q, %v", p, err)
	}
}
