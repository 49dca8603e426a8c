package settings

import (
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/userfile/userfiletest"
)

// A config path that names a huge file or a device is one error line, and
// costs at most the size limit in memory, not the file's size.
func TestLoadHugeFileIsOneErrorLine(t *testing.T) {
	userfiletest.HugeFiles(t, "config.yaml", maxFileSize,
		func(path string) error { _, err := (&File{Path: path}).Load(); return err },
		func(path string) error { return (&File{Path: path}).Update(func(*Settings) error { return nil }) })
}
