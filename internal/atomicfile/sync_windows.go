package atomicfile

import (
	"os"
	"time"
)

// Windows cannot open a directory for Sync, and rename there is already
// durable once MoveFileEx returns.
func syncDir(string) {}

// Chmod on Windows only toggles the read-only bit; never treat it as fatal.
func isUnsupported(error) bool { return true }

// replace renames over path, retrying for a while: Go opens files on
// Windows without FILE_SHARE_DELETE, so while a kcc-cache hit in another
// process is reading the cache file, replacing it fails with "access
// denied". Reads take microseconds, so a short wait always gets through.
func replace(tmp, path string) error {
	var err error
	for wait := time.Millisecond; wait < 500*time.Millisecond; wait *= 2 {
		if err = os.Rename(tmp, path); err == nil {
			return nil
		}
		time.Sleep(wait)
	}
	return err
}
