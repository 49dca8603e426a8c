package secretservice

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
)

// BusName is the Secret Service's name on the bus.
const BusName = ssBus

const (
	ssBus        = "org.freedesktop.secrets"
	ssPath       = dbus.ObjectPath("/org/freedesktop/secrets")
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	ssProps      = "org.freedesktop.DBus.Properties"
	// The user's default collection ("login" on GNOME), by its alias. We
	// never create a collection: that asks for a new keyring password on a
	// desktop and fails headless.
	ssDefaultAlias = "default"
	ssAliasPath    = dbus.ObjectPath("/org/freedesktop/secrets/aliases/default")
	noPrompt       = dbus.ObjectPath("/")

	// attrService is the attribute every item of ours carries, so that
	// `secret-tool search service kube-credential-cache` finds them and
	// List and Delete never see other programs' items.
	attrService = "kube-credential-cache"
)

// Client is a connection to the Secret Service of one session bus, reading
// and writing this program's items: blobs by key, each tagged with its key
// (Tag), found through item hints when a hint is there.
type Client struct {
	addr string     // the session bus's address
	conn *dbus.Conn // dialled at Open, or by start with Options.DialLater
	// busBound bounds the wait for the bus's own answer (Hello), startBound
	// the wait for the Secret Service's first (OpenSession): short for auto,
	// which must never make kubectl wait on a store that hangs.
	busBound, startBound time.Duration
	timeout              time.Duration // each later call
	started              bool
	startErr             error
	session              dbus.ObjectPath
	collection           dbus.ObjectPath // the default collection, once looked up
	hints                itemHints
}

// Options say how to open a Client.
type Options struct {
	// Address is the bus; "" finds the session bus (SessionBusAddress).
	Address string
	// Bound bounds the bus's answer; with Quick (auto) also the session's
	// start, which otherwise gets the longer bound of every call (CallBound).
	Bound time.Duration
	Quick bool
	// HintDir holds the item hints; "" for none (the agent, which reads
	// only by given paths).
	HintDir string
	// DialLater connects on the first call rather than at Open (the agent's
	// client, which may never need the bus).
	DialLater bool
}

// CallBound bounds each call to the store once its bus has answered. The
// short probe bound is for a bus that never answers (docs/design.md §3); a
// store that is alive but busy is another case: gnome-keyring serves one
// request at a time and rewrites its file on every write, so when dozens of
// kubectl processes start at once the last one waits seconds (docs/design.md
// §14). Giving up then would cost a plugin run, or a file fallback that
// other processes do not read. A hung store still ends, which is what
// matters to kubectl.
func CallBound(probe time.Duration) time.Duration {
	return max(10*probe, 5*time.Second)
}

// Route says where the last read came from, for debug output.
func (s *Client) Route() string { return "from the Secret Service" }

// Open connects to the session bus, unless o.DialLater. Nothing waits yet:
// a bus that is not there fails at once, one that does not answer is
// bounded by the first call.
func Open(o Options) (*Client, error) {
	addr := o.Address
	if addr == "" {
		var err error
		if addr, err = SessionBusAddress(); err != nil {
			return nil, err
		}
	}
	s := &Client{addr: addr, busBound: o.Bound, timeout: CallBound(o.Bound)}
	s.hints.dir = o.HintDir
	s.startBound = s.timeout
	if o.Quick {
		s.startBound = o.Bound
	}
	if o.DialLater {
		return s, nil
	}
	var err error
	if s.conn, err = dbus.Dial(addr); err != nil {
		return nil, fmt.Errorf("could not connect to the D-Bus session bus: %w", err)
	}
	return s, nil
}

// ErrNoBus is reported when there is no session bus to talk to; we never
// start one (dbus-launch leaks a daemon per call).
var ErrNoBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")

// SessionBusAddress finds the session bus as libdbus does, minus autolaunch.
func SessionBusAddress() (string, error) {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return a, nil
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		p := filepath.Join(dir, "bus")
		if fi, err := os.Stat(p); err == nil && fi.Mode()&fs.ModeSocket != 0 {
			return "unix:path=" + p, nil
		}
	}
	return "", ErrNoBus
}

// Start connects (with Options.DialLater) and opens the session: the agent
// does so once, before its first request.
func (s *Client) Start() error { return s.start() }

// Conn is the connection, once started: the agent subscribes to the
// service's signals on it and waits on its socket.
func (s *Client) Conn() *dbus.Conn { return s.conn }

// start waits for the bus's answer to the Hello that Dial queued, then opens
// a session, and keeps the first failure: the connection cannot be used
// after one.
func (s *Client) start() error {
	if s.started {
		return s.startErr
	}
	s.started = true
	if s.conn == nil {
		conn, err := dbus.Dial(s.addr)
		if err != nil {
			s.startErr = fmt.Errorf("could not connect to the D-Bus session bus: %w", err)
			return s.startErr
		}
		s.conn = conn
	}
	s.startErr = s.waitStart()
	return s.startErr
}

func (s *Client) waitStart() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.busBound)
	defer cancel()
	if err := s.conn.Hello(ctx); err != nil {
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("D-Bus session bus did not answer within %v", s.busBound)
		}
		return fmt.Errorf("could not connect to the D-Bus session bus: %w", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), s.startBound)
	defer cancel()
	// A "plain" session: the secret travels over the local bus, as with
	// secret-tool. Sent only once the bus has answered the Hello: queued
	// behind it, in the same write, it crashed gnome-keyring 46 (docs/design.md
	// §12).
	out, err := s.conn.Call(ctx, ssBus, ssPath, ssService+".OpenSession", "sv", "plain", dbus.MakeVariant(""))
	if err != nil {
		if isDBusError(err, "org.freedesktop.DBus.Error.ServiceUnknown") {
			return errors.New("no Secret Service on the session bus (is gnome-keyring, KWallet or KeePassXC running?)")
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("the Secret Service did not answer within %v", s.startBound)
		}
		return fmt.Errorf("could not open a Secret Service session: %w", err)
	}
	if len(out) != 2 {
		return errors.New("could not open a Secret Service session: unexpected reply")
	}
	path, ok := out[1].(dbus.ObjectPath)
	if !ok {
		return errors.New("could not open a Secret Service session: unexpected reply")
	}
	s.session = path
	return nil
}

// Usable reports why the store cannot hold our items, or nil: the session
// started and the default collection exists and is unlocked. A locked
// collection is reported, not unlocked: unlocking prompts the user, and a
// credential helper must never pop up a dialog behind kubectl.
func (s *Client) Usable() error {
	if err := s.start(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.startBound)
	defer cancel()
	coll, err := s.defaultCollection(ctx)
	if err != nil {
		return err
	}
	out, err := s.conn.Call(ctx, ssBus, coll, ssProps+".Get", "ss", ssCollection, "Locked")
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("the Secret Service did not answer within %v", s.startBound)
		}
		return fmt.Errorf("no default Secret Service collection: %w", err)
	}
	if v, ok := variantValue(out).(bool); ok && v {
		return errors.New("the default Secret Service collection is locked")
	}
	return nil
}

// defaultCollection looks the default collection's path up, once. When
// ReadAlias gives no answer ("/"), which gnome-keyring does now and then
// while many clients write at once, the alias path itself stands in: it is
// what clients used before ReadAlias, and it fails in its own, rarer way.
func (s *Client) defaultCollection(ctx context.Context) (dbus.ObjectPath, error) {
	if s.collection != "" {
		return s.collection, nil
	}
	out, err := s.conn.Call(ctx, ssBus, ssPath, ssService+".ReadAlias", "s", ssDefaultAlias)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return "", fmt.Errorf("the Secret Service did not answer within %v", s.startBound)
		}
		return "", fmt.Errorf("no default Secret Service collection: %w", err)
	}
	coll, ok := firstValue(out).(dbus.ObjectPath)
	if !ok || coll == noPrompt {
		coll = ssAliasPath
	}
	s.collection = coll
	return coll, nil
}

func isDBusError(err error, name string) bool {
	var e *dbus.Error
	return errors.As(err, &e) && e.Name == name
}

// call makes one method call within the call bound, after the start.
func (s *Client) call(path dbus.ObjectPath, member, sig string, args ...any) ([]any, error) {
	if err := s.start(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	return s.conn.Call(ctx, ssBus, path, member, sig, args...)
}

// MaxBlob is 0: the service takes a blob of any size.
func (s *Client) MaxBlob() int { return 0 }

// Name names the store, for --info.
func (s *Client) Name() string { return "Secret Service" }

// Close drops the connection; the service closes our session with it, so no
// call (and no wait on a possibly unresponsive service) is needed.
func (s *Client) Close() error {
	if s.conn == nil {
		return nil
	}
	return s.conn.Close()
}
