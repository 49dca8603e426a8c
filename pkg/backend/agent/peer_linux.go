package agent

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// peerIsUs reports whether the process at the other end of fd runs as our uid.
func peerIsUs(fd int) bool {
	cred, err := unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
	return err == nil && int(cred.Uid) == os.Getuid()
}

// namespaces names a process's mount and user namespaces.
type namespaces struct{ mnt, user string }

// readNamespaces reads the namespaces of the process pid ("self" for ours).
func readNamespaces(pid string) (namespaces, error) {
	mnt, err := os.Readlink("/proc/" + pid + "/ns/mnt")
	if err != nil {
		return namespaces{}, err
	}
	user, err := os.Readlink("/proc/" + pid + "/ns/user")
	if err != nil {
		return namespaces{}, err
	}
	return namespaces{mnt: mnt, user: user}, nil
}

// peerAllowed reports whether the agent serves the process at the other end
// of fd: one of our uid, in our mount and user namespaces. A sandbox of the
// same user (a container, a flatpak) that cannot reach the bus must not reach
// the secrets through our socket, which a shared runtime directory may show
// it; a peer whose namespaces cannot be read is refused too. The peer is the
// process that connected (SO_PEERCRED), still waiting for its answer.
func peerAllowed(fd int, own namespaces) bool {
	cred, err := unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
	if err != nil || int(cred.Uid) != os.Getuid() || cred.Pid <= 0 {
		return false
	}
	ns, err := readNamespaces(strconv.Itoa(int(cred.Pid)))
	return err == nil && ns == own
}
