//go:build unix

package privatefile

import (
	"io/fs"
	"syscall"

	"github.com/IvMisticos/kube-credential-cache/internal/owner"
)

// ReadFile reads a secret file of at most max bytes. It refuses a
// symbolic link (O_NOFOLLOW: never read, nor chmod, what a link points at),
// anything but a regular file, and a file that is not ours (owner.Check); it
// tightens an own file that others may read (aws-iam-authenticator refuses
// such files; so should we leave them).
//
// This is the read of every cache hit, so it uses the system calls directly:
// os.Open registers each file with the runtime's poller (which starts it,
// on the first file, and fails for regular files), six system calls that
// do nothing for a file read once.
func ReadFile(path string, max int) ([]byte, error) {
	fd, err := openRetry(path)
	if err == syscall.ELOOP {
		return nil, &owner.Error{Path: path, Problem: "is a symbolic link"}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, &owner.Error{Path: path, Problem: "is not a regular file"}
	}
	if err := owner.CheckStat(path, &st); err != nil {
		return nil, err
	}
	if st.Mode&0o077 != 0 {
		_ = syscall.Fchmod(fd, 0o600) // best effort: a read must not fail over it
	}
	if st.Size > int64(max) {
		return nil, tooLarge(path, max)
	}
	// One byte more than the size, so that EOF comes with the second read and
	// a file that grew since the stat is still read whole (up to max).
	buf := make([]byte, 0, int(st.Size)+1)
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
		if len(buf) > max {
			return nil, tooLarge(path, max)
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

func openRetry(path string) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
