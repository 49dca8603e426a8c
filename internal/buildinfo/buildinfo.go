// Package buildinfo formats the --version line that every binary prints.
package buildinfo

import (
	"fmt"
	"runtime/debug"
)

// Line is "<name> <version>[ (commit C, built D)]". Release builds set
// version, commit and date by -ldflags; a `go install …@vX.Y.Z` build has
// none of them, but Go records the module version, so that is shown rather
// than "dev".
func Line(name, version, commit, date string) string {
	if version == "dev" {
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version
		}
	}
	if commit == "" {
		return fmt.Sprintf("%s %s", name, version)
	}
	return fmt.Sprintf("%s %s (commit %s, built %s)", name, version, commit, date)
}
