//go:build unix

package dbus

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Conn is a connection to a message bus. It is not safe for concurrent use:
// kcc-cache makes its calls one after another.
type Conn struct {
	fd      int
	r       *sockBuffer // reads fd
	msg     []byte      // the message being read (readMessageInto)
	out     []byte      // queued, not yet written
	serial  uint32
	hello   uint32 // serial of the Hello
	authed  bool
	replies map[uint32]*message
	signals uint64 // signals read so far (see Signals)
	err     error  // once the connection broke, every call fails with it
}

const (
	busName  = "org.freedesktop.DBus"
	busPath  = ObjectPath("/org/freedesktop/DBus")
	helloSig = "" // Hello takes no arguments
)

// Dial connects to the first transport of addr that accepts a connection
// and queues the authentication and the Hello every bus client must send
// first. Nothing is written yet: the first Reply sends all of it together
// with the calls queued meanwhile, in one write, and then reads the answers
// as they come. Connecting never blocks: a socket nobody listens on fails
// at once, and a bus that accepts and stays silent is bounded by the
// deadline of the first Reply.
func Dial(addr string) (*Conn, error) {
	addrs, err := parseAddresses(addr)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, a := range addrs {
		fd, err := connect(a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c := &Conn{fd: fd, replies: map[uint32]*message{}}
		c.r = &sockBuffer{fd: fd, buf: make([]byte, 16<<10)}
		// EXTERNAL: the bus reads our uid from the socket; we say which uid we
		// claim, as the hex of its decimal digits. The nul byte first is the
		// protocol's "credentials" byte.
		uid := hex.EncodeToString([]byte(strconv.Itoa(os.Getuid())))
		c.out = append(c.out, "\x00AUTH EXTERNAL "+uid+"\r\nBEGIN\r\n"...)
		if c.hello, err = c.Send(busName, busPath, busName+".Hello", helloSig); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	}
	return nil, errors.Join(errs...)
}

func connect(a busAddress) (int, error) {
	if a.transport != "unix" {
		return -1, fmt.Errorf("dbus: unsupported transport %q (only unix sockets)", a.transport)
	}
	var sa syscall.SockaddrUnix
	switch {
	case a.params["path"] != "":
		sa.Name = a.params["path"]
	case a.params["abstract"] != "":
		sa.Name = "@" + a.params["abstract"] // the syscall package's spelling of an abstract name
	default:
		return -1, fmt.Errorf("dbus: unix address without path or abstract name")
	}
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		return -1, fmt.Errorf("dbus: socket: %w", err)
	}
	syscall.CloseOnExec(fd)
	// Non-blocking to connect: a listener whose backlog is full fails with
	// EAGAIN instead of making us wait. Blocking afterwards, with the
	// socket's own timeouts (see Reply): the calls are made one after
	// another by one goroutine, so waiting in the read itself costs fewer
	// system calls and no thread hand-offs, where the runtime's poller would
	// park the goroutine and wake it on another thread for every answer.
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return -1, fmt.Errorf("dbus: %w", err)
	}
	for {
		err = syscall.Connect(fd, &sa)
		if err != syscall.EINTR {
			break
		}
	}
	if err == nil {
		err = syscall.SetNonblock(fd, false)
	}
	if err != nil {
		syscall.Close(fd)
		return -1, fmt.Errorf("dbus: connect %s: %w", strings.TrimPrefix(sa.Name, "@"), err)
	}
	return fd, nil
}

// Send queues a method call of member ("interface.Method") on path at dest
// with args encoded by sig, and returns its serial for Reply.
func (c *Conn) Send(dest string, path ObjectPath, member, sig string, args ...any) (uint32, error) {
	if c.err != nil {
		return 0, c.err
	}
	dot := strings.LastIndexByte(member, '.')
	if dot <= 0 {
		return 0, fmt.Errorf("dbus: member %q has no interface", member)
	}
	c.serial++
	m := &message{
		typ: typeMethodCall, serial: c.serial, path: path,
		iface: member[:dot], member: member[dot+1:], destination: dest,
		signature: sig, body: args,
	}
	b, err := m.encode()
	if err != nil {
		return 0, err
	}
	c.out = append(c.out, b...)
	clear(b)
	return c.serial, nil
}

// Reply writes what is queued and waits for the reply to serial: its body,
// or an *Error for an error reply. It gives up when ctx ends; the
// connection is then unusable.
func (c *Conn) Reply(ctx context.Context, serial uint32) ([]any, error) {
	if c.err != nil {
		return nil, c.err
	}
	if err := c.setTimeout(ctx); err != nil {
		c.err = err
		return nil, err
	}
	m, err := c.wait(serial)
	if err != nil {
		// The socket's timeout is the context's deadline, and may fire first.
		if cerr := ctx.Err(); cerr != nil {
			err = fmt.Errorf("dbus: no answer: %w", cerr)
		} else if errors.Is(err, syscall.EAGAIN) {
			err = fmt.Errorf("dbus: no answer: %w", context.DeadlineExceeded)
		}
		c.err = err
		return nil, err
	}
	if m.typ == typeError {
		return nil, replyError(m)
	}
	return m.body, nil
}

// Hello writes what is queued and waits for the bus's answer to the Hello
// that Dial queued: the bus is there and has taken us in.
func (c *Conn) Hello(ctx context.Context) error {
	_, err := c.Reply(ctx, c.hello)
	return err
}

// Call is Send and Reply.
func (c *Conn) Call(ctx context.Context, dest string, path ObjectPath, member, sig string, args ...any) ([]any, error) {
	serial, err := c.Send(dest, path, member, sig, args...)
	if err != nil {
		return nil, err
	}
	return c.Reply(ctx, serial)
}

// setTimeout makes every read and write of the socket give up at ctx's
// deadline (EAGAIN). A context without one waits as long as it takes;
// kcc-cache never makes such a call.
func (c *Conn) setTimeout(ctx context.Context) error {
	var tv syscall.Timeval
	if d, ok := ctx.Deadline(); ok {
		left := time.Until(d)
		if left <= 0 {
			return fmt.Errorf("dbus: no answer: %w", context.DeadlineExceeded)
		}
		// SO_RCVTIMEO of zero means "no timeout": round up to a microsecond.
		tv = syscall.NsecToTimeval(max(int64(left), int64(time.Microsecond)))
	}
	for _, opt := range []int{syscall.SO_RCVTIMEO, syscall.SO_SNDTIMEO} {
		if err := syscall.SetsockoptTimeval(c.fd, syscall.SOL_SOCKET, opt, &tv); err != nil {
			return fmt.Errorf("dbus: %w", err)
		}
	}
	return nil
}

func (c *Conn) wait(serial uint32) (*message, error) {
	sent := c.out
	for len(c.out) > 0 {
		n, err := syscall.Write(c.fd, c.out)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("dbus: write: %w", err)
		}
		c.out = c.out[n:]
	}
	// What was written may hold a secret (CreateItem's): wiped, not left
	// for the next call's append or the garbage collector.
	clear(sent[:cap(sent)])
	c.out = sent[:0]
	if !c.authed {
		line, err := c.r.readLine()
		if err != nil {
			return nil, fmt.Errorf("dbus: authentication: %w", readErr(err))
		}
		if !strings.HasPrefix(line, "OK ") {
			return nil, fmt.Errorf("dbus: authentication refused: %s", strings.TrimSpace(line))
		}
		c.authed = true
	}
	for {
		if m, ok := c.replies[serial]; ok {
			delete(c.replies, serial)
			return m, nil
		}
		m, err := c.read()
		if err != nil {
			return nil, fmt.Errorf("dbus: read: %w", readErr(err))
		}
		c.keep(m)
	}
}

// read reads the next message, and wipes the bytes it came in once they
// are decoded: the values decoded are copies, and a secret (GetSecret's
// reply) then lives only in the value the caller got and clears.
func (c *Conn) read() (*message, error) {
	m, err := readMessageInto(c.r, &c.msg)
	clear(c.msg) // its length is the last message's
	c.r.wipe()
	return m, err
}

// keep files a reply for its caller and counts a signal. Signals (NameAcquired
// after Hello, those of an AddMatch) carry nothing a caller here reads, only
// that something happened; calls to us are not ours to answer: a client that
// serves nothing ignores them.
func (c *Conn) keep(m *message) {
	switch {
	case (m.typ == typeMethodReturn || m.typ == typeError) && m.replySerial != 0 && m.replySerial <= c.serial:
		c.replies[m.replySerial] = m
	case m.typ == typeSignal:
		c.signals++
	}
}

// Signals is the number of signals read so far, by calls or ReadPending: a
// caller that subscribed to some (AddMatch) learns that one came when it
// changes.
func (c *Conn) Signals() uint64 { return c.signals }

// ReadPending reads the messages that have already arrived, without waiting
// for more (only for the rest of one that has begun, within ctx), so that
// Signals counts them. It fails when the bus closed the connection.
func (c *Conn) ReadPending(ctx context.Context) error {
	if c.err != nil {
		return c.err
	}
	if err := c.setTimeout(ctx); err != nil {
		c.err = err
		return err
	}
	for c.authed {
		if c.r.Buffered() == 0 {
			fds := []unix.PollFd{{Fd: int32(c.fd), Events: unix.POLLIN}}
			n, err := unix.Poll(fds, 0)
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				c.err = fmt.Errorf("dbus: poll: %w", err)
				return c.err
			}
			if n == 0 {
				return nil
			}
		}
		m, err := c.read()
		if err != nil {
			c.err = fmt.Errorf("dbus: read: %w", readErr(err))
			return c.err
		}
		c.keep(m)
	}
	return nil
}

func readErr(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("the bus closed the connection")
	}
	return err
}

// Fd is the connection's socket, for a caller that waits on it with poll
// (the Secret Service agent, to notice the bus going away while idle); it
// must not read or write it.
func (c *Conn) Fd() int { return c.fd }

// Close closes the connection; the bus drops whatever was tied to it (the
// Secret Service closes our session).
func (c *Conn) Close() error {
	if c.err == errClosed {
		return nil
	}
	c.err = errClosed
	return syscall.Close(c.fd)
}

var errClosed = errors.New("dbus: connection closed")

// sockBuffer reads the socket with the system call, retrying interrupted
// reads (a timeout is EAGAIN), through a buffer of its own.
type sockBuffer struct {
	fd   int
	buf  []byte
	r, w int // buf[r:w] has been read from the socket and not yet consumed
}

func (b *sockBuffer) Read(p []byte) (int, error) {
	if b.r == b.w {
		b.r, b.w = 0, 0
		if len(p) >= len(b.buf) {
			return sockRead(b.fd, p)
		}
		n, err := sockRead(b.fd, b.buf)
		if err != nil {
			return 0, err
		}
		b.w = n
	}
	n := copy(p, b.buf[b.r:b.w])
	b.r += n
	return n, nil
}

// wipe zeroes the bytes already consumed.
func (b *sockBuffer) wipe() {
	clear(b.buf[:b.r])
	if b.r == b.w {
		b.r, b.w = 0, 0
	}
}

// Buffered is the number of bytes read from the socket and not yet consumed.
func (b *sockBuffer) Buffered() int { return b.w - b.r }

// readLine reads up to and including the next newline: the bus's answer to
// the authentication.
func (b *sockBuffer) readLine() (string, error) {
	for {
		if i := bytes.IndexByte(b.buf[b.r:b.w], '\n'); i >= 0 {
			line := string(b.buf[b.r : b.r+i+1])
			b.r += i + 1
			return line, nil
		}
		if b.w == len(b.buf) {
			if b.r == 0 {
				return "", errors.New("authentication line too long")
			}
			b.w = copy(b.buf, b.buf[b.r:b.w])
			b.r = 0
		}
		n, err := sockRead(b.fd, b.buf[b.w:])
		if err != nil {
			return "", err
		}
		b.w += n
	}
}

func sockRead(fd int, p []byte) (int, error) {
	for {
		n, err := syscall.Read(fd, p)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, io.EOF
		}
		return n, nil
	}
}
