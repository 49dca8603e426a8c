package settings

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A history path that names a huge file or a device is one error line, and
// costs at most the size limit in memory, not the file's size.
func TestLoadHugeFileIsOneErrorLine(t *testing.T) {
	sparse := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(sparse, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(sparse, 256<<20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	for _, path := range []string{sparse, "/dev/zero"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if _, err := os.Stat(path); err != nil {
				t.Skip(err)
			}

			s := &File{Path: path}
			before := allocated()
			_, err := s.Load()
			if grew := allocated() - before; grew > 4*maxFileSize {
				t.Errorf("Load allocated %d MiB for a %d MiB limit", grew>>20, maxFileSize>>20)
			}
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "larger than") || strings.Contains(err.Error(), "\n") {
				t.Errorf("Load = %v; want one line naming the file and its size limit", err)
			}
			if path == sparse { // not /dev: Update takes a lock file next to it
				if err := s.Update(func(*Settings) error { return nil }); err == nil {
					t.Error("Update replaced a file over the size limit")
				}
			}
		})
	}
}

func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}
