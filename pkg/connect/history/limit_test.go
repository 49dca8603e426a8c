package history

import (
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/userfile/userfiletest"
)

// A history path that names a huge file or a device is one error line, and
// costs at most the size limit in memory, not the file's size.
func TestLoadHugeFileIsOneErrorLine(t *testing.T) {
	userfiletest.HugeFiles(t, "history.yaml", maxFileSize,
		func(path string) error { _, err := (&Store{Path: path}).Load(); return err },
		func(path string) error { return (&Store{Path: path}).Update(func(*File) error { return nil }) })
}
