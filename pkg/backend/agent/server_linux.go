package agent

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

// Options are the agent's settings.
type Options struct {
	// Timeout bounds each call to the Secret Service, as the client's
	// KUBE_CREDENTIAL_CACHE_KEYRING_TIMEOUT does.
	Timeout time.Duration
	// Idle is how long the agent waits for a request before it exits.
	Idle time.Duration
	// stop, when set, ends the agent once it becomes readable (its writer
	// closed): how a test ends an agent it runs in its own process.
	stop *os.File
}

// ErrRunning is what Serve returns when another agent already
// serves this bus: nothing to do.
var ErrRunning = errors.New("another agent serves this session bus")

// Serve runs the Secret Service agent for this session bus until it has
// been idle for opts.Idle, the bus goes away, or the Secret Service fails in
// a way it cannot explain; the error says which, nil for the first.
func Serve(opts Options) error {
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	addr, err := secretservice.SessionBusAddress()
	if err != nil {
		return err
	}
	sock := Socket(addr)
	if sock == "" {
		return errors.New("no socket for the agent (XDG_RUNTIME_DIR is not set, or too long)")
	}
	if err := privateRuntimeDir(filepath.Dir(sock)); err != nil {
		return err
	}
	lock, err := takeAgentLock(sock)
	if err != nil {
		return err
	}
	defer unix.Close(lock)
	err = serveLocked(sock, opts)
	if err != nil {
		// Starters wait a while before they try again (spawnAgent).
		_ = os.WriteFile(sock+".failed", []byte(err.Error()+"\n"), 0o600)
	}
	return err
}

// serveLocked is Serve once the agent holds its lock.
func serveLocked(sock string, opts Options) error {
	// Secrets in memory: no core dump, and no other process of the user may
	// attach to read them (as ssh-agent does).
	_ = unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
	ss, err := secretservice.Open(secretservice.Options{Bound: opts.Timeout})
	if err != nil {
		return err
	}
	defer ss.Close()
	if err := ss.Start(); err != nil {
		return err
	}
	lfd, err := listenUnix(sock)
	if err != nil {
		return err
	}
	// Unlinked before the lock goes, so that a socket at the path is always
	// the live agent's or one a new agent will replace under the lock.
	defer func() {
		_ = unix.Unlink(sock)
		unix.Close(lfd)
	}()
	_ = os.Remove(sock + ".failed")
	return serveAgent(ss, lfd, opts)
}

// errAgentFailed ends the agent: its session can no longer be trusted to
// answer (the connection broke, a call timed out, the service forgot the
// session). Clients go direct until the next agent starts.
var errAgentFailed = errors.New("the Secret Service failed")

// agentSignals are the signals after which the agent forgets what it read:
// all of the Secret Service's, and the change of its owner (a restart).
var agentSignals = []string{
	"type='signal',sender='" + secretservice.BusName + "'",
	"type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" + secretservice.BusName + "'",
}

func serveAgent(ss *secretservice.Client, lfd int, opts Options) error {
	for _, rule := range agentSignals {
		ctx, cancel := context.WithTimeout(context.Background(), opts.Timeout)
		_, err := ss.Conn().Call(ctx, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.AddMatch", "s", rule)
		cancel()
		if err != nil {
			return fmt.Errorf("agent: could not subscribe to the Secret Service's signals: %w", err)
		}
	}
	own, err := readNamespaces("self")
	if err != nil {
		return fmt.Errorf("agent: could not read its own namespaces: %w", err)
	}
	mem := newAgentSecrets(ss.Conn().Signals())
	defer mem.forget()
	var clients agentClients
	defer clients.closeAll()
	// handle reads what has arrived of c's request: keeps c for the rest,
	// or answers and closes it.
	handle := func(c *agentConn) error {
		if c == nil {
			return nil
		}
		key, item, state := c.read()
		switch state {
		case requestPending:
			clients = append(clients, c)
			return nil
		case requestDone:
			err := serveOne(ss, mem, c.fd, key, item, opts.Timeout)
			unix.Close(c.fd)
			return err
		}
		unix.Close(c.fd)
		return nil
	}
	busFd := ss.Conn().Fd()
	idleSince := mem.now()
	for {
		now := mem.now()
		clients.expire(now)
		left := opts.Idle - (now - idleSince)
		if left <= 0 && len(clients) == 0 {
			return nil
		}
		wait := time.Hour
		if left > 0 {
			wait = min(wait, left)
		}
		if next, ok := clients.nextDeadline(); ok {
			wait = min(wait, next-now)
		}
		fds := []unix.PollFd{{Fd: int32(lfd), Events: unix.POLLIN}, {Fd: int32(busFd), Events: unix.POLLIN}}
		if opts.stop != nil {
			fds = append(fds, unix.PollFd{Fd: int32(opts.stop.Fd()), Events: unix.POLLIN})
		}
		first := len(fds)
		for _, c := range clients {
			fds = append(fds, unix.PollFd{Fd: int32(c.fd), Events: unix.POLLIN})
		}
		_, err := unix.Poll(fds, int(max(wait, 0).Milliseconds())+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("agent: poll: %w", err)
		}
		if opts.stop != nil && fds[2].Revents != 0 {
			return nil
		}
		if fds[1].Revents != 0 {
			if err := readSignals(ss, mem, opts.Timeout); err != nil {
				return err
			}
		}
		// Requests first, in the order of the poll, then new connections.
		for i := first; i < len(fds); i++ {
			if fds[i].Revents == 0 {
				continue
			}
			if err := handle(clients.take(int(fds[i].Fd))); err != nil {
				return err
			}
		}
		if fds[0].Revents&unix.POLLIN != 0 {
			idleSince = now
			// A client writes its request as it connects: read it at once
			// rather than after another poll.
			for _, c := range clients.accept(lfd, own, now+opts.Timeout) {
				if err := handle(c); err != nil {
					return err
				}
			}
		}
	}
}

// readSignals reads what the bus sent and forgets every secret if a signal
// came. An error means the bus went away: the session ended.
func readSignals(ss *secretservice.Client, mem *agentSecrets, bound time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	if err := ss.Conn().ReadPending(ctx); err != nil {
		return fmt.Errorf("agent: the session bus went away: %w", err)
	}
	if n := ss.Conn().Signals(); n != mem.seen {
		mem.seen = n
		mem.forget()
	}
	return nil
}

// serveOne answers a request: "ok\n" and the tagged secret, or "miss\n".
// Only an error of the Secret Service or the bus ends the agent.
func serveOne(ss *secretservice.Client, mem *agentSecrets, fd int, key string, item dbus.ObjectPath, bound time.Duration) error {
	secret, err := agentRead(ss, mem, key, item, bound)
	// The reply is written blocking, within the bound: a few kilobytes, which
	// the socket's buffer takes at once from a client that waits for them.
	if unix.SetNonblock(fd, false) != nil || setSocketTimeout(fd, bound) != nil {
		return err
	}
	if secret == nil {
		_ = writeAll(fd, []byte("miss\n"))
		return err
	}
	// One write, so that the client wakes once.
	reply := make([]byte, 0, 16+len(secret))
	reply = append(reply, "ok "+strconv.Itoa(len(secret))+"\n"...)
	reply = append(reply, secret...)
	_ = writeAll(fd, reply)
	clear(reply)
	return nil
}

// agentRead returns key's tagged secret in item: from memory when nothing
// changed since it was read there, else read on the agent's session; nil
// when item does not hold key's secret now. The error is errAgentFailed
// when the agent must end.
func agentRead(ss *secretservice.Client, mem *agentSecrets, key string, item dbus.ObjectPath, bound time.Duration) ([]byte, error) {
	if err := readSignals(ss, mem, bound); err != nil {
		return nil, err
	}
	if secret, ok := mem.lookup(key, item); ok {
		return secret, nil
	}
	secret, err := ss.ReadItem(item)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errAgentFailed, err)
	}
	if secret == nil {
		return nil, nil // gone or locked: the client's own search says what became of it
	}
	if tagged, _ := secretservice.Untag(secret); tagged != key {
		return nil, nil
	}
	// Kept even when a signal came during the call (the secret read may be
	// the one a change replaced): the signal is counted, and the next
	// request's readSignals forgets it before anything is served from
	// memory. It is served now, as a direct read at this moment would be.
	mem.keep(key, item, secret)
	return secret, nil
}

// defaultTimeout bounds each call when Options.Timeout is not set: the
// default of KUBE_CREDENTIAL_CACHE_KEYRING_TIMEOUT (backend.DefaultTimeout).
const defaultTimeout = 500 * time.Millisecond
