// Package userfiletest checks, for each kind of user file read through
// userfile's size limit, that a path naming a huge file or a device is one
// error line and costs at most the limit in memory.
package userfiletest

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// HugeFiles runs load on a sparse file of 256 MiB and on /dev/zero, and
// update on the sparse file (not /dev: an update takes a lock file next to
// the file); limit is the size limit of this kind of file.
func HugeFiles(t *testing.T, name string, limit uint64, load, update func(path string) error) {
	t.Helper()
	sparse := filepath.Join(t.TempDir(), name)
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
			before := allocated()
			err := load(path)
			if grew := allocated() - before; grew > 4*limit {
				t.Errorf("load allocated %d MiB for a %d MiB limit", grew>>20, limit>>20)
			}
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "larger than") || strings.Contains(err.Error(), "\n") {
				t.Errorf("load = %v; want one line naming the file and its size limit", err)
			}
			if path == sparse {
				if err := update(path); err == nil {
					t.Error("update replaced a file over the size limit")
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
