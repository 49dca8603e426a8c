//go:build unix

package inputs

import (
	"os"
	"strconv"
	"syscall"
)

// readSmall returns a file's content and "content", or no content and a
// state that stands for it: "absent", "large SIZE MTIME INODE" for a file
// over maxRead, "not a file" or "unreadable ERRNO" (a permission changed
// is a change too).
//
// It uses the system calls directly, as the backend's hit read does:
// os.Open would start the runtime's poller for the first file and try to
// register each one, system calls a hit does not need. O_NONBLOCK: a FIFO
// named in the files list must not hang kubectl.
func readSmall(path string) ([]byte, string) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err == syscall.ENOENT || err == syscall.ENOTDIR {
		return nil, "absent"
	}
	if err != nil {
		return nil, "unreadable " + err.Error()
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, "unreadable " + err.Error()
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, "not a file"
	}
	if st.Size > maxRead {
		// The time by os.Stat: Stat_t names it differently per system.
		mtime := int64(0)
		if fi, err := os.Stat(path); err == nil {
			mtime = fi.ModTime().UnixNano()
		}
		return nil, "large " + strconv.FormatInt(st.Size, 10) + " " + strconv.FormatInt(mtime, 10) + " " +
			strconv.FormatUint(uint64(st.Dev), 10) + ":" + strconv.FormatUint(uint64(st.Ino), 10)
	}
	// One byte more than the size, so that EOF comes with the second read
	// and a file that grew since the stat is still read whole.
	b := make([]byte, 0, st.Size+1)
	for len(b) <= maxRead {
		n, err := syscall.Read(fd, b[len(b):cap(b)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, "unreadable " + err.Error()
		}
		if n == 0 {
			return b, "content"
		}
		b = b[:len(b)+n]
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
	return nil, "large " + strconv.Itoa(len(b)) + " (grew while read)"
}
