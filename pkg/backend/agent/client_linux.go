package agent

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

// agentClient is one request to the agent.
type agentClient struct {
	fd       int
	deadline time.Time // for the whole exchange
}

// agentBound bounds a client's whole exchange with the agent, below the
// keyring bound: an agent that is slower than this (stopped, or waiting on a
// busy keyring itself) costs each hit at most this before the direct path.
const agentBound = 250 * time.Millisecond

// dialAgent connects to the agent at sock, or returns nil: no agent, one of
// another user, or one too busy to take the connection now.
func dialAgent(sock string, bound time.Duration) *agentClient {
	if sock == "" {
		return nil
	}
	bound = min(bound, agentBound)
	deadline := time.Now().Add(bound)
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		return nil
	}
	// Non-blocking to connect: a full backlog fails with EAGAIN at once.
	for {
		err = unix.Connect(fd, &unix.SockaddrUnix{Name: sock})
		if err != unix.EINTR {
			break
		}
	}
	if err == nil {
		err = unix.SetNonblock(fd, false)
	}
	if err == nil {
		err = setSocketTimeout(fd, bound)
	}
	if err == nil && !peerIsUs(fd) {
		err = errors.New("agent socket of another user")
	}
	if err != nil {
		unix.Close(fd)
		return nil
	}
	return &agentClient{fd: fd, deadline: deadline}
}

// get asks the agent for key's secret in item and returns the blob, or nil
// when the agent did not serve it (the caller then reads it directly). The
// connection serves one request.
func (a *agentClient) get(key string, item dbus.ObjectPath) []byte {
	defer a.close()
	req := agentProtocol + " get " + key + " " + string(item) + "\n"
	if writeAll(a.fd, []byte(req)) != nil {
		return nil
	}
	secret, ok := readAgentReply(a.fd, a.deadline)
	if !ok {
		return nil
	}
	// Checked again here: the client serves only what it can prove is its
	// key's, whoever answered.
	if tagged, blob := secretservice.Untag(secret); tagged == key {
		return blob
	}
	return nil
}

// readAgentReply reads "ok <length>\n<secret>" by the deadline, without
// waiting for the agent to close, or "miss\n" (not ok).
func readAgentReply(fd int, deadline time.Time) ([]byte, bool) {
	buf := make([]byte, 0, 4096)
	want := -1 // the whole reply's length, once the header is in
	for want < 0 || len(buf) < want {
		left := time.Until(deadline)
		if left <= 0 || setSocketTimeout(fd, left) != nil {
			return nil, false
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := unix.Read(fd, buf[len(buf):cap(buf)])
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			return nil, false
		}
		buf = buf[:len(buf)+n]
		if want < 0 {
			header, _, found := bytes.Cut(buf, []byte("\n"))
			if !found {
				if len(buf) > 64 {
					return nil, false
				}
				continue
			}
			size, ok := strings.CutPrefix(string(header), "ok ")
			length, err := strconv.Atoi(size)
			if !ok || err != nil || length < 0 || length > maxAgentReply {
				return nil, false
			}
			want = len(header) + 1 + length
		}
	}
	if len(buf) != want {
		return nil, false
	}
	return buf[bytes.IndexByte(buf, '\n')+1:], true
}

func (a *agentClient) close() {
	if a.fd >= 0 {
		unix.Close(a.fd)
		a.fd = -1
	}
}

// maxAgentReply bounds what a client reads: far above any credential.
const maxAgentReply = 1 << 20
