package agent

import (
	"bytes"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/privatefile"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

// agentClients are the connections whose request has not fully arrived. The
// agent reads them as they come, so that a client that connects and sends
// nothing (killed, stopped, or one that found no use for the agent) delays
// no other; each has until its deadline.
type agentClients []*agentConn

type agentConn struct {
	fd       int
	buf      []byte
	deadline time.Duration // on agentClock
}

// maxAgentClients bounds the connections waiting for their request: far
// above a burst of kubectl, and under any descriptor limit.
const maxAgentClients = 256

// accept takes the connections waiting at lfd, those of processes it may
// serve only (peerAllowed), and returns them; the caller adds those still to
// be read.
func (cs *agentClients) accept(lfd int, own namespaces, deadline time.Duration) []*agentConn {
	var fresh []*agentConn
	for len(*cs)+len(fresh) < maxAgentClients {
		fd, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fresh // EAGAIN: no more; anything else: the client gave up
		}
		if !peerAllowed(fd, own) {
			unix.Close(fd)
			continue
		}
		fresh = append(fresh, &agentConn{fd: fd, buf: make([]byte, 0, 512), deadline: deadline})
	}
	return fresh
}

// take removes the connection on fd from the list and returns it.
func (cs *agentClients) take(fd int) *agentConn {
	for i, c := range *cs {
		if c.fd == fd {
			*cs = append((*cs)[:i], (*cs)[i+1:]...)
			return c
		}
	}
	return nil
}

func (cs *agentClients) expire(now time.Duration) {
	kept := (*cs)[:0]
	for _, c := range *cs {
		if now < c.deadline {
			kept = append(kept, c)
		} else {
			unix.Close(c.fd)
		}
	}
	*cs = kept
}

func (cs agentClients) nextDeadline() (time.Duration, bool) {
	if len(cs) == 0 {
		return 0, false
	}
	next := cs[0].deadline
	for _, c := range cs[1:] {
		next = min(next, c.deadline)
	}
	return next, true
}

func (cs *agentClients) closeAll() {
	for _, c := range *cs {
		unix.Close(c.fd)
	}
	*cs = nil
}

type requestState int

const (
	requestPending requestState = iota // more to come
	requestDone                        // a well-formed request
	requestBad                         // closed, too long or malformed
)

// read reads what has arrived of "kcc-agent-1 get <key> <item path>\n".
func (c *agentConn) read() (key string, item dbus.ObjectPath, state requestState) {
	if c.buf == nil {
		return "", "", requestBad
	}
	for {
		if len(c.buf) == cap(c.buf) {
			return "", "", requestBad
		}
		n, err := unix.Read(c.fd, c.buf[len(c.buf):cap(c.buf)])
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			return "", "", requestPending
		}
		if err != nil || n <= 0 {
			return "", "", requestBad
		}
		c.buf = c.buf[:len(c.buf)+n]
		if bytes.HasSuffix(c.buf, []byte("\n")) {
			break
		}
	}
	f := strings.Fields(string(c.buf))
	if len(f) != 4 || f[0] != agentProtocol || f[1] != "get" || !privatefile.ValidName(f[2]) ||
		!strings.HasPrefix(f[3], secretservice.ItemPathPrefix) || !dbus.ValidPath(f[3]) {
		return "", "", requestBad
	}
	return f[2], dbus.ObjectPath(f[3]), requestDone
}
