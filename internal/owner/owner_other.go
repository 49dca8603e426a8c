//go:build !unix

package owner

import "io/fs"

// NoFollow is 0 where open has no such flag (Windows opens a link's target;
// callers Lstat first there).
const NoFollow = 0

// foreign has no owner or mode bits to check outside unix.
func foreign(fs.FileInfo) string { return "" }

// Mine is true: there is no owner to compare here.
func Mine(fs.FileInfo) bool { return true }
