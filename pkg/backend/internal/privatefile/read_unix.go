//go:build unix

package privatefile

import (
	"io/fs"
	"syscall"
)

// ReadFile reads a secret file and tightens its mode when it is readable
// by others (aws-iam-authenticator refuses such files; so should we leave
// them).
//
// This is the read of every cache hit, so it uses the system calls directly:
// os.Open registers each file with the runtime's poller (which starts it,
// on the first file, and fails for regular files), six system calls that
// do nothing for a file read once.
func ReadFile(path string) ([]byte, error) {
	fd, err := openRetry(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	size := 0
	if syscall.Fstat(fd, &st) == nil {
		if st.Mode&0o077 != 0 {
			_ = syscall.Fchmod(fd, 0o600) // best effort: a read must not fail over it
		}
		size = int(st.Size)
	}
	// One byte more than the size, so that EOF comes with the second read and
	// a file that grew since the stat is still read whole.
	buf := make([]byte, 0, size+1)
	for {
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

func openRetry(path string) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
