//go:build unix

package owner

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckDir(t *testing.T) {
	tests := []struct {
		name    string
		root    bool // gives the directory to another uid
		make    func(t *testing.T, path string)
		problem string // "" when trusted
	}{
		{name: "missing", make: func(*testing.T, string) {}},
		{name: "private", make: mkdir(0o700)},
		{name: "readable by others", make: mkdir(0o755)},
		{name: "group-writable", make: mkdir(0o770), problem: "is writable by group or others (mode 0770)"},
		{name: "world-writable and sticky", make: mkdir(0o777 | os.ModeSticky), problem: "is writable by group or others (mode 0777)"},
		{name: "symbolic link to our own", make: func(t *testing.T, path string) {
			mkdir(0o700)(t, path+"-target")
			if err := os.Symlink(path+"-target", path); err != nil {
				t.Fatal(err)
			}
		}, problem: "is a symbolic link"},
		{name: "a file", make: func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}, problem: "is not a directory"},
		{name: "another user's", root: true, make: func(t *testing.T, path string) {
			mkdir(0o700)(t, path)
			if err := os.Chown(path, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}, problem: "is owned by uid 65534, not by you (uid 0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.root && os.Geteuid() != 0 {
				t.Skip("giving a directory to another uid needs root")
			}
			path := filepath.Join(t.TempDir(), "d")
			tt.make(t, path)
			err := CheckDir(path)
			if tt.problem == "" {
				if err != nil {
					t.Fatalf("CheckDir = %v, want trusted", err)
				}
				return
			}
			if err == nil || err.Error() != path+" "+tt.problem || !errors.Is(err, fs.ErrPermission) {
				t.Fatalf("CheckDir = %v, want %q matching fs.ErrPermission", err, tt.problem)
			}
		})
	}
}

func mkdir(mode os.FileMode) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		t.Helper()
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
}

// Check judges the file it is given the stat of; a planted file of another
// user's is refused whatever its mode.
func TestCheckFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(path, fi); err != nil || !Mine(fi) {
		t.Fatalf("own file: Check = %v, Mine = %v", err, Mine(fi))
	}
	if os.Geteuid() != 0 {
		return // the rest gives the file away
	}
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	fi, _ = os.Lstat(path)
	if err := Check(path, fi); err == nil || !strings.Contains(err.Error(), "owned by uid 65534") || Mine(fi) {
		t.Fatalf("another user's file: Check = %v, Mine = %v", err, Mine(fi))
	}
}
