//go:build !unix

package inputs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"
)

// readSmall returns a file's content and "content", or no content and a
// state that stands for it: "absent", "large SIZE MTIME" for a file over
// maxRead, "not a file" or "unreadable ERROR".
func readSmall(path string) ([]byte, string) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "absent"
	}
	if err != nil {
		return nil, "unreadable " + errKind(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, "unreadable " + errKind(err)
	}
	if !st.Mode().IsRegular() {
		return nil, "not a file"
	}
	if st.Size() > maxRead {
		return nil, "large " + strconv.FormatInt(st.Size(), 10) + " " + strconv.FormatInt(st.ModTime().UnixNano(), 10)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxRead+1))
	if err != nil {
		return nil, "unreadable " + errKind(err)
	}
	if len(b) > maxRead {
		return nil, "large " + strconv.Itoa(len(b)) + " (grew while read)"
	}
	return b, "content"
}

// errKind is the stable part of an error (its errno), not its text with
// the path.
func errKind(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
