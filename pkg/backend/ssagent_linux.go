package backend

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
	"golang.org/x/sys/unix"
)

// The Secret Service agent: one long-lived kcc-cache per user and session
// bus that keeps a Secret Service session open and reads secrets for the
// short-lived ones over a unix socket.
//
// Why it exists: a hit that talks to the Secret Service itself is a new bus
// client every time, and a new client costs the connection, the bus's
// authentication and Hello, gnome-keyring's setup of the client on its first
// call (about 0.8 ms here, a PKCS#11 session among it) and OpenSession, before
// the one call a hit needs, GetSecret; and even GetSecret alone, from a
// client already set up, is four process hand-offs through the bus
// (docs/benchmark.md). The agent pays the set-up once, and a hit it has
// served before costs one local round trip to it.
//
// What it never changes: a hit never serves what the Secret Service no
// longer holds. The agent keeps the secrets it read only until the Secret
// Service signals any change at all (agentSecrets), or for a minute; a hit
// still serves only a secret tagged with its own key (secretTag), and the
// client checks it again; any failure of the agent (absent, slow, gone
// mid-answer, a refusal) costs only the direct path this client would have
// taken without it.
//
// Who may talk to it: its socket is in $XDG_RUNTIME_DIR (the user's own 0700
// directory) inside a 0700 directory of ours, and both sides check that the
// other end runs under their own uid (SO_PEERCRED). A process of the same
// user can read the keyring over the bus anyway; the agent gives it nothing
// more, and only our own items: a secret that is not tagged with the key
// asked for is never sent. It cannot be attached to or dumped
// (PR_SET_DUMPABLE), as ssh-agent.
//
// Its life: started detached by a kcc-cache that found no agent (new
// session, no stdio, no inherited descriptor, so kubectl never waits for
// it), one per bus (a lock held for its whole life), gone after
// KUBE_CREDENTIAL_CACHE_AGENT_IDLE without a request, when the bus goes
// away (the session ended), or at the first failure it cannot explain.

// agentProtocol starts every request, so that an agent of another release
// refuses a request it would misread rather than guess.
const agentProtocol = "kcc-agent-1"

// agentSocket is the agent's socket for the bus at addr, "" when the agent
// cannot run (no runtime directory, or a path too long for a socket).
func agentSocket(addr string) string {
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
	if tagged, blob := untagSecret(secret); tagged == key {
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

// The starter hands the agent the lock it took, on this descriptor, and says
// so in this variable: taking the lock and starting the agent is then one
// step, so that of many kcc-cache finding no agent at once one starts it,
// and no agent can lose its lock to a starter's check.
const (
	agentLockFd  = 3
	agentLockEnv = "KCC_AGENT_LOCK_FD"
)

// agentFailedFor is how long a failed start keeps starters from trying
// again: without it, an agent that cannot run would be started by every
// read.
const agentFailedFor = time.Minute

// spawnAgent starts command as the agent for the bus at addr, detached: a
// session of its own (no terminal's signals), /dev/null for stdio and no
// other descriptor but its lock (kubectl reads the plugin's stdout to its
// end: an agent holding it would make kubectl wait for the agent's exit),
// the root as its directory, and only the environment it needs, not the
// plugin's. It starts nothing when an agent runs or is being started (the
// lock is taken), when the runtime directory is not the user's private one,
// or within agentFailedFor of a failed start. Failing to start one costs
// nothing but the speed it would have brought. It reports whether it
// started one.
func spawnAgent(command []string, sock, addr string) bool {
	if len(command) == 0 || sock == "" || recentlyFailed(sock) {
		return false
	}
	if privateRuntimeDir(filepath.Dir(sock)) != nil {
		return false
	}
	lock, err := os.OpenFile(sock+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return false
	}
	defer lock.Close() // the agent keeps its own copy, and the lock with it
	if unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		return false
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		return false
	}
	defer null.Close()
	env := []string{"DBUS_SESSION_BUS_ADDRESS=" + addr, agentLockEnv + "=" + strconv.Itoa(agentLockFd)}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "KUBE_CREDENTIAL_CACHE_") || strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") || strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	closeInheritedOnExec()
	p, err := os.StartProcess(command[0], command, &os.ProcAttr{
		Dir:   "/",
		Env:   env,
		Files: []*os.File{null, null, null, lock}, // the lock is fd 3: agentLockFd
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}

// recentlyFailed reports whether an agent for sock failed to start within
// agentFailedFor (it leaves sock.failed behind).
func recentlyFailed(sock string) bool {
	fi, err := os.Stat(sock + ".failed")
	return err == nil && time.Since(fi.ModTime()) < agentFailedFor
}

// closeInheritedOnExec marks every descriptor above stdio close-on-exec.
// Go opens its own so; one this process inherited without the flag (a
// script's pipe, say) would otherwise pass to the agent and outlive us.
func closeInheritedOnExec() {
	if unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC) == nil {
		return
	}
	// Before Linux 5.11: one by one.
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range ents {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			syscall.CloseOnExec(fd)
		}
	}
}

// AgentStatus says, for --info, whether the agent of the current session bus
// runs, and where.
func AgentStatus() string {
	addr, err := sessionBusAddress()
	if err != nil {
		return "none: " + err.Error()
	}
	sock := agentSocket(addr)
	switch {
	case sock == "":
		return "none: XDG_RUNTIME_DIR is not set (or too long for a socket)"
	case agentRunning(sock):
		return "running at " + sock
	case recentlyFailed(sock):
		return "not running: it failed to start less than " + agentFailedFor.String() + " ago (run kcc-cache --secret-service-agent to see why)"
	}
	return "not running (the next Secret Service read or store starts it at " + sock + ")"
}

// AgentOptions are the agent's settings.
type AgentOptions struct {
	// Timeout bounds each call to the Secret Service, as the client's
	// KUBE_CREDENTIAL_CACHE_KEYRING_TIMEOUT does.
	Timeout time.Duration
	// Idle is how long the agent waits for a request before it exits.
	Idle time.Duration
	// stop, when set, ends the agent once it becomes readable (its writer
	// closed): how a test ends an agent it runs in its own process.
	stop *os.File
}

// ErrAgentRunning is what ServeAgent returns when another agent already
// serves this bus: nothing to do.
var ErrAgentRunning = errors.New("another agent serves this session bus")

// ServeAgent runs the Secret Service agent for this session bus until it has
// been idle for opts.Idle, the bus goes away, or the Secret Service fails in
// a way it cannot explain; the error says which, nil for the first.
func ServeAgent(opts AgentOptions) error {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	addr, err := sessionBusAddress()
	if err != nil {
		return err
	}
	sock := agentSocket(addr)
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

// serveLocked is ServeAgent once the agent holds its lock.
func serveLocked(sock string, opts AgentOptions) error {
	// Secrets in memory: no core dump, and no other process of the user may
	// attach to read them (as ssh-agent does).
	_ = unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
	v, err := openVault(opts.Timeout, false, "", nil)
	if err != nil {
		return err
	}
	ss := v.(*secretService)
	defer ss.close()
	if err := ss.start(); err != nil {
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

// takeAgentLock returns the agent's lock, held: the one its starter took
// and handed on (agentLockEnv), or else one it takes itself, for an agent
// run by hand. ErrAgentRunning when another agent holds it.
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
			return -1, ErrAgentRunning
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

// errAgentFailed ends the agent: its session can no longer be trusted to
// answer (the connection broke, a call timed out, the service forgot the
// session). Clients go direct until the next agent starts.
var errAgentFailed = errors.New("the Secret Service failed")

// agentMemory bounds how long the agent serves a secret it read without
// reading it again. Any change in the Secret Service forgets every secret
// before that (see agentSecrets); this only bounds the damage of a change
// that sent no signal, which the API says cannot happen.
const agentMemory = time.Minute

// agentSecrets are the secrets the agent read, by key, with the item each
// came from. It holds them as gnome-keyring's own memory does, and forgets
// all of them whenever the Secret Service signals anything at all (an item
// created, changed or deleted, by us or anyone; a collection locked or
// unlocked; the service itself replaced): then the next hit reads again.
// The signal of a change reaches the agent before the change's caller gets
// its answer, and the agent reads what has arrived before it answers from
// memory, so a hit never serves what a finished deletion, replacement or
// lock took away.
type agentSecrets struct {
	seen    uint64 // the connection's signal count when last checked
	entries map[string]agentSecret
	now     func() time.Duration // agentClock; tests fix it
}

type agentSecret struct {
	item   dbus.ObjectPath
	secret []byte        // tagged, as stored
	read   time.Duration // on mem.now's clock
}

func newAgentSecrets(seen uint64) *agentSecrets {
	return &agentSecrets{seen: seen, entries: map[string]agentSecret{}, now: agentClock}
}

// lookup returns key's secret when it was read from item less than
// agentMemory ago.
func (m *agentSecrets) lookup(key string, item dbus.ObjectPath) ([]byte, bool) {
	e, ok := m.entries[key]
	if !ok || e.item != item || m.now()-e.read >= agentMemory {
		return nil, false
	}
	return e.secret, true
}

// keep remembers secret as key's, read from item now.
func (m *agentSecrets) keep(key string, item dbus.ObjectPath, secret []byte) {
	if old, ok := m.entries[key]; ok {
		clear(old.secret)
	}
	if len(m.entries) >= maxAgentSecrets {
		m.forget()
	}
	m.entries[key] = agentSecret{item: item, secret: secret, read: m.now()}
}

// agentClock is the clock of the agent's ages and waits (its memory, its
// idle time, a client's deadline): CLOCK_BOOTTIME, which never steps back
// as the wall clock does when it is set (which kept secrets in memory for
// as long as it was set back), and counts a suspend, which Go's monotonic
// clock does not (a night's sleep is idle time, and age).
func agentClock() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts) != nil {
		_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts) // before Linux 2.6.39
	}
	return time.Duration(ts.Nano())
}

// forget drops every secret, overwriting its bytes first.
func (m *agentSecrets) forget() {
	for k, e := range m.entries {
		clear(e.secret)
		delete(m.entries, k)
	}
}

// agentSignals are the signals after which the agent forgets what it read:
// all of the Secret Service's, and the change of its owner (a restart).
var agentSignals = []string{
	"type='signal',sender='" + ssBus + "'",
	"type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" + ssBus + "'",
}

func serveAgent(ss *secretService, lfd int, opts AgentOptions) error {
	for _, rule := range agentSignals {
		ctx, cancel := context.WithTimeout(context.Background(), opts.Timeout)
		_, err := ss.conn.Call(ctx, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.AddMatch", "s", rule)
		cancel()
		if err != nil {
			return fmt.Errorf("agent: could not subscribe to the Secret Service's signals: %w", err)
		}
	}
	own, err := readNamespaces("self")
	if err != nil {
		return fmt.Errorf("agent: could not read its own namespaces: %w", err)
	}
	mem := newAgentSecrets(ss.conn.Signals())
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
	busFd := ss.conn.Fd()
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
			if err := ss.readSignals(mem, opts.Timeout); err != nil {
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
	if len(f) != 4 || f[0] != agentProtocol || f[1] != "get" || !validKey(f[2]) ||
		!strings.HasPrefix(f[3], hintPathPrefix) || !dbus.ValidPath(f[3]) {
		return "", "", requestBad
	}
	return f[2], dbus.ObjectPath(f[3]), requestDone
}

// readSignals reads what the bus sent and forgets every secret if a signal
// came. An error means the bus went away: the session ended.
func (s *secretService) readSignals(mem *agentSecrets, bound time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	if err := s.conn.ReadPending(ctx); err != nil {
		return fmt.Errorf("agent: the session bus went away: %w", err)
	}
	if n := s.conn.Signals(); n != mem.seen {
		mem.seen = n
		mem.forget()
	}
	return nil
}

// serveOne answers a request: "ok\n" and the tagged secret, or "miss\n".
// Only an error of the Secret Service or the bus ends the agent.
func serveOne(ss *secretService, mem *agentSecrets, fd int, key string, item dbus.ObjectPath, bound time.Duration) error {
	secret, err := ss.agentRead(mem, key, item, bound)
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
func (s *secretService) agentRead(mem *agentSecrets, key string, item dbus.ObjectPath, bound time.Duration) ([]byte, error) {
	if err := s.readSignals(mem, bound); err != nil {
		return nil, err
	}
	if secret, ok := mem.lookup(key, item); ok {
		return secret, nil
	}
	out, err := s.call(item, ssItem+".GetSecret", "o", s.session)
	if err != nil {
		if vanished(err) || isDBusError(err, "org.freedesktop.Secret.Error.IsLocked") {
			return nil, nil // the client's own search says what became of it
		}
		return nil, fmt.Errorf("%w: %w", errAgentFailed, err)
	}
	secret, ok := secretValue(firstValue(out))
	if !ok {
		return nil, nil
	}
	if tagged, _ := untagSecret(secret); tagged != key {
		return nil, nil
	}
	// Kept even when a signal came during the call (the secret read may be
	// the one a change replaced): the signal is counted, and the next
	// request's readSignals forgets it before anything is served from
	// memory. It is served now, as a direct read at this moment would be.
	mem.keep(key, item, secret)
	return secret, nil
}

// maxAgentSecrets bounds the agent's memory: far above the identities one
// user has, and cheap to refill.
const maxAgentSecrets = 4096

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
