//go:build !windows

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

func isUnsupported(err error) bool { return errors.Is(err, syscall.ENOTSUP) }

// replace renames over path; on Unix a reader holding the old file open
// keeps reading it, so the rename never has to wait.
func replace(tmp, path string) error { return os.Rename(tmp, path) }
