//go:build unix

package cache

import "syscall"

// createMarker creates the empty file name, failing if it exists (a symbolic
// link included: O_EXCL never follows one, and O_NOFOLLOW says so). It is the
// one write of a cache hit, so it uses the system calls directly: os.OpenFile
// would register the file with the runtime's poller, for nothing.
func createMarker(name string) error {
	for {
		fd, err := syscall.Open(name, syscall.O_CREAT|syscall.O_EXCL|syscall.O_NOFOLLOW|syscall.O_WRONLY|syscall.O_CLOEXEC, 0o600)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		return syscall.Close(fd)
	}
}
