package agent

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// agentProtocol starts every request, so that an agent of another release
// refuses a request it would misread rather than guess.
const agentProtocol = "kcc-agent-1"

// Socket is the agent's socket for the bus at addr, "" when the agent
// cannot run (no runtime directory, or a path too long for a socket).
func Socket(addr string) string {
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" || !filepath.IsAbs(dir) {
		return ""
	}
	sum := sha256.Sum256([]byte(addr))
	sock := filepath.Join(dir, "kube-credential-cache", "agent-"+hex.EncodeToString(sum[:8])+".sock")
	if len(sock) >= len(syscall.RawSockaddrUnix{}.Path) {
		return ""
	}
	return sock
}

// agentRunning reports whether an agent holds the lock of sock: running,
// or being started. For --info only: its probe holds the lock shared for a
// moment, which a starter that tries then takes for a running agent.
func agentRunning(sock string) bool {
	fd, err := unix.Open(sock+".lock", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	return unix.Flock(fd, unix.LOCK_SH|unix.LOCK_NB) != nil
}

// takeAgentLock returns the agent's lock, held: the one its starter took
// and handed on (agentLockEnv), or else one it takes itself, for an agent
// run by hand. ErrRunning when another agent holds it.
func takeAgentLock(sock string) (int, error) {
	if os.Getenv(agentLockEnv) == strconv.Itoa(agentLockFd) {
		os.Unsetenv(agentLockEnv)
		var held, want unix.Stat_t
		if unix.Fstat(agentLockFd, &held) == nil && unix.Stat(sock+".lock", &want) == nil &&
			held.Dev == want.Dev && held.Ino == want.Ino &&
			unix.Flock(agentLockFd, unix.LOCK_EX|unix.LOCK_NB) == nil {
			unix.CloseOnExec(agentLockFd)
			return agentLockFd, nil
		}
	}
	fd, err := unix.Open(sock+".lock", unix.O_RDWR|unix.O_CREAT|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return -1, fmt.Errorf("could not open the agent's lock: %w", err)
	}
	if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		unix.Close(fd)
		if err == unix.EWOULDBLOCK {
			return -1, ErrRunning
		}
		return -1, fmt.Errorf("could not lock the agent's lock: %w", err)
	}
	return fd, nil
}

// privateRuntimeDir makes dir ours and 0700, and refuses one that is not,
// or one in a runtime directory ($XDG_RUNTIME_DIR) that is not the user's
// own 0700 directory, as the XDG spec has it.
func privateRuntimeDir(dir string) error {
	var rt unix.Stat_t
	if err := unix.Lstat(filepath.Dir(dir), &rt); err != nil ||
		rt.Mode&unix.S_IFMT != unix.S_IFDIR || int(rt.Uid) != os.Getuid() || rt.Mode&0o077 != 0 {
		return fmt.Errorf("XDG_RUNTIME_DIR %s is not a 0700 directory of this user", filepath.Dir(dir))
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("could not create the agent's directory: %w", err)
	}
	var st unix.Stat_t
	if err := unix.Lstat(dir, &st); err != nil {
		return fmt.Errorf("could not inspect the agent's directory: %w", err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR || int(st.Uid) != os.Getuid() {
		return fmt.Errorf("the agent's directory %s is not a directory of this user", dir)
	}
	if st.Mode&0o077 != 0 {
		if err := unix.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("could not restrict the agent's directory: %w", err)
		}
	}
	return nil
}

// listenUnix makes the agent's socket at sock (0600) and listens on it.
func listenUnix(sock string) (int, error) {
	_ = unix.Unlink(sock) // a dead agent's; we hold the lock
	// Non-blocking: the agent accepts until nothing waits (agentClients).
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		return -1, fmt.Errorf("agent socket: %w", err)
	}
	if err = unix.Bind(fd, &unix.SockaddrUnix{Name: sock}); err == nil {
		if err = unix.Chmod(sock, 0o600); err == nil {
			err = unix.Listen(fd, 128)
		}
	}
	if err != nil {
		unix.Close(fd)
		_ = unix.Unlink(sock)
		return -1, fmt.Errorf("agent socket %s: %w", sock, err)
	}
	return fd, nil
}

func setSocketTimeout(fd int, d time.Duration) error {
	tv := unix.NsecToTimeval(max(int64(d), int64(time.Microsecond)))
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return err
	}
	return unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv)
}

func writeAll(fd int, b []byte) error {
	for len(b) > 0 {
		n, err := unix.Write(fd, b)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}
