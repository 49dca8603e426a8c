// Package privatefile reads and writes the files of kcc-cache's state that
// only the user may see: secret files read on every hit, files replaced
// whole by rename, and the 0700 directories that hold them.
package privatefile
