//go:build unix

package inputs

import (
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadSmallStates: what stands for a file that is not read whole. A
// FIFO in the files list must not block kubectl (nobody writes to it).
func TestReadSmallStates(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{fifo, "not a file"},
		{dir, "not a file"},
		{filepath.Join(dir, "missing"), "absent"},
		{filepath.Join(dir, "missing", "below"), "absent"},
	} {
		if b, state := readSmall(tc.path); state != tc.want || b != nil {
			t.Errorf("readSmall(%s) = %q, %q; want %q", filepath.Base(tc.path), b, state, tc.want)
		}
	}
}
