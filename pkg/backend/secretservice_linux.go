package backend

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/godbus/dbus/v5"
)

// A small client of the freedesktop Secret Service API (GNOME Keyring,
// KWallet, KeePassXC) over the D-Bus session bus. It is written here rather
// than taken from 99designs/keyring because that package dials D-Bus in
// init() in every process that links it and can hang forever on a silent bus
// (docs/design.md §3); this one connects only when Open asks for it, and bounds
// every step, the connection included, by a deadline.

const (
	ssBus        = "org.freedesktop.secrets"
	ssPath       = dbus.ObjectPath("/org/freedesktop/secrets")
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	// The user's default collection ("login" on GNOME). We never create a
	// collection: that asks for a new keyring password on a desktop and fails
	// headless.
	ssDefault = dbus.ObjectPath("/org/freedesktop/secrets/aliases/default")
	noPrompt  = dbus.ObjectPath("/")

	// attrService is the attribute every item of ours carries, so that
	// `secret-tool search service kube-credential-cache` finds them and
	// List and Delete never see other programs' items.
	attrService = "kube-credential-cache"
)

// ssSecret is the Secret struct of the API, signature (oayays).
type ssSecret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

type secretService struct {
	conn    *dbus.Conn
	cancel  context.CancelFunc // ends the connection's context
	session dbus.ObjectPath
	timeout time.Duration // bound of each call after the connection is made
}

// openVault connects to the session bus within timeout, then checks (within
// the longer callTimeout) that an unlocked default collection can hold our
// items. Each error
// says in a few words why the store cannot be used.
func openVault(timeout time.Duration, quick bool) (vault, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, connCancel, err := dialSessionBus(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("D-Bus session bus did not answer within %v", timeout)
		}
		return nil, err
	}
	// The bus answered: from here on a slow answer usually means a busy store,
	// not a dead one, so item calls get the longer bound (see callTimeout).
	// The start itself (session, lock state) keeps the short bound when the
	// caller wants a quick verdict: auto must never make kubectl wait on a
	// store that hangs (a frozen KeePassXC, a prompt that nobody answers).
	s := &secretService{conn: conn, cancel: connCancel, timeout: callTimeout(timeout)}
	startBound := s.timeout
	if quick {
		startBound = timeout
	}
	startCtx, cancelStart := context.WithTimeout(context.Background(), startBound)
	defer cancelStart()
	if err := s.start(startCtx); err != nil {
		_ = s.close()
		if startCtx.Err() != nil {
			return nil, fmt.Errorf("the Secret Service did not answer within %v", startBound)
		}
		return nil, err
	}
	return s, nil
}

// vaultAddress is the session bus address, by which auto remembers a verdict:
// a desktop session and an SSH session of the same user share the cache
// directory but not the bus. Empty when there is no bus.
func vaultAddress() string {
	addr, err := sessionBusAddress()
	if err != nil {
		return ""
	}
	return addr
}

// errNoBus is reported when there is no session bus to talk to; we never
// start one (dbus-launch leaks a daemon per call).
var errNoBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")

// sessionBusAddress finds the session bus as libdbus does, minus autolaunch.
func sessionBusAddress() (string, error) {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return a, nil
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		p := filepath.Join(dir, "bus")
		if fi, err := os.Stat(p); err == nil && fi.Mode()&fs.ModeSocket != 0 {
			return "unix:path=" + p, nil
		}
	}
	return "", errNoBus
}

// dialSessionBus connects, authenticates and says Hello within ctx.
// godbus reads the authentication reply without a deadline, so a socket that
// accepts and stays silent would block it forever. The connection therefore
// gets its own context, cancelled when ctx ends first: godbus closes the
// socket on cancel, which unblocks the read, and we stop waiting at once.
func dialSessionBus(ctx context.Context) (*dbus.Conn, context.CancelFunc, error) {
	addr, err := sessionBusAddress()
	if err != nil {
		return nil, nil, err
	}
	connCtx, cancel := context.WithCancel(context.Background())
	type result struct {
		conn *dbus.Conn
		err  error
	}
	done := make(chan result, 1)
	go func() {
		conn, err := dbus.Connect(addr, dbus.WithContext(connCtx))
		done <- result{conn, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			cancel()
			return nil, nil, fmt.Errorf("could not connect to the D-Bus session bus: %w", r.err)
		}
		return r.conn, cancel, nil
	case <-ctx.Done():
		cancel()
		return nil, nil, fmt.Errorf("D-Bus session bus did not answer in time: %w", ctx.Err())
	}
}

// start opens a "plain" session (the secret travels over the local bus, as
// with secret-tool) and checks the default collection exists and is unlocked.
// A locked collection is reported, not unlocked: unlocking prompts the user,
// and a credential helper must never pop up a dialog behind kubectl.
func (s *secretService) start(ctx context.Context) error {
	var out dbus.Variant
	err := s.conn.Object(ssBus, ssPath).CallWithContext(ctx, ssService+".OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &s.session)
	if err != nil {
		if isDBusError(err, "org.freedesktop.DBus.Error.ServiceUnknown") {
			return errors.New("no Secret Service on the session bus (is gnome-keyring, KWallet or KeePassXC running?)")
		}
		return fmt.Errorf("could not open a Secret Service session: %w", err)
	}
	var v dbus.Variant
	err = s.conn.Object(ssBus, ssDefault).CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0, ssCollection, "Locked").Store(&v)
	if err != nil {
		return fmt.Errorf("no default Secret Service collection: %w", err)
	}
	if locked, _ := v.Value().(bool); locked {
		return errors.New("the default Secret Service collection is locked")
	}
	return nil
}

func isDBusError(err error, name string) bool {
	var e dbus.Error
	return errors.As(err, &e) && e.Name == name
}

func (s *secretService) call(path dbus.ObjectPath, method string, args ...any) *dbus.Call {
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	return s.conn.Object(ssBus, path).CallWithContext(ctx, method, 0, args...)
}

// search returns our items, those of one key when key is not empty.
func (s *secretService) search(key string) ([]dbus.ObjectPath, error) {
	attrs := map[string]string{"service": attrService}
	if key != "" {
		attrs["key"] = key
	}
	var items []dbus.ObjectPath
	if err := s.call(ssDefault, ssCollection+".SearchItems", attrs).Store(&items); err != nil {
		return nil, fmt.Errorf("could not search the Secret Service: %w", err)
	}
	return items, nil
}

func (s *secretService) get(key string) ([]byte, error) {
	items, err := s.search(key)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("no keyring item %.12s: %w", key, fs.ErrNotExist)
	}
	var sec ssSecret
	if err := s.call(items[0], ssItem+".GetSecret", s.session).Store(&sec); err != nil {
		if vanished(err) {
			return nil, fmt.Errorf("keyring item %.12s was just deleted: %w", key, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("could not read keyring item %.12s: %w", key, err)
	}
	return sec.Value, nil
}

func (s *secretService) set(key, label string, blob []byte) error {
	props := map[string]dbus.Variant{
		ssItem + ".Label": dbus.MakeVariant(itemLabelPrefix + label),
		ssItem + ".Attributes": dbus.MakeVariant(map[string]string{
			"service": attrService,
			"key":     key,
		}),
	}
	sec := ssSecret{Session: s.session, Value: blob, ContentType: "text/plain"}
	var item, prompt dbus.ObjectPath
	// replace=true: an item with the same attributes is updated in place, so
	// a refresh never leaves two items for one key.
	if err := s.call(ssDefault, ssCollection+".CreateItem", props, sec, true).Store(&item, &prompt); err != nil {
		return fmt.Errorf("could not store keyring item %.12s: %w", key, err)
	}
	if prompt != noPrompt {
		return fmt.Errorf("could not store keyring item %.12s: the Secret Service wants to prompt the user", key)
	}
	return nil
}

func (s *secretService) remove(keys ...string) error {
	for _, key := range keys {
		items, err := s.search(key)
		if err != nil {
			return err
		}
		if err := s.deleteItems(items); err != nil {
			return fmt.Errorf("could not delete keyring item %.12s: %w", key, err)
		}
	}
	return nil
}

func (s *secretService) deleteItems(items []dbus.ObjectPath) error {
	for _, item := range items {
		var prompt dbus.ObjectPath
		if err := s.call(item, ssItem+".Delete").Store(&prompt); err != nil {
			if vanished(err) {
				continue // someone else deleted it first: the goal is met
			}
			return err
		}
		if prompt != noPrompt {
			return errors.New("the Secret Service wants to prompt the user")
		}
	}
	return nil
}

// secrets reads the secrets of items in one call.
func (s *secretService) secrets(items []dbus.ObjectPath) (map[dbus.ObjectPath]ssSecret, error) {
	var secrets map[dbus.ObjectPath]ssSecret
	if len(items) == 0 {
		return secrets, nil
	}
	if err := s.call(ssPath, ssService+".GetSecrets", items, s.session).Store(&secrets); err != nil {
		return nil, fmt.Errorf("could not read keyring items: %w", err)
	}
	return secrets, nil
}

// prune deletes our expired items in three calls plus one per deletion; the
// generic list-then-remove would read every item's key attribute first,
// which makes many concurrent writers quadratic.
func (s *secretService) prune(expired func(blob []byte) bool) (int, error) {
	items, err := s.search("")
	if err != nil {
		return 0, err
	}
	secrets, err := s.secrets(items)
	if err != nil {
		return 0, err
	}
	var stale []dbus.ObjectPath
	for item, sec := range secrets {
		if expired(sec.Value) {
			stale = append(stale, item)
		}
	}
	if err := s.deleteItems(stale); err != nil {
		return 0, fmt.Errorf("could not delete expired keyring items: %w", err)
	}
	return len(stale), nil
}

// list reads each item on its own rather than with one GetSecrets: another
// kcc-cache may delete an item between our search and our read (a prune, a
// --clear), and one vanished item must not fail the whole --list or --clear.
func (s *secretService) list() (map[string][]byte, error) {
	items, err := s.search("")
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(items))
	for _, item := range items {
		var v dbus.Variant
		if err := s.call(item, "org.freedesktop.DBus.Properties.Get", ssItem, "Attributes").Store(&v); err != nil {
			if vanished(err) {
				continue
			}
			return nil, fmt.Errorf("could not read keyring item attributes: %w", err)
		}
		attrs, _ := v.Value().(map[string]string)
		key := attrs["key"]
		if key == "" {
			continue
		}
		var sec ssSecret
		if err := s.call(item, ssItem+".GetSecret", s.session).Store(&sec); err != nil {
			if vanished(err) {
				continue
			}
			return nil, fmt.Errorf("could not read keyring item %.12s: %w", key, err)
		}
		out[key] = sec.Value
	}
	return out, nil
}

// vanished tells an item deleted under our feet from a real failure. The
// API names NoSuchObject; gnome-keyring answers UnknownMethod ("Object does
// not exist at path"), which on a path its own search just returned can only
// mean the same.
func vanished(err error) bool {
	return isDBusError(err, "org.freedesktop.Secret.Error.NoSuchObject") ||
		isDBusError(err, "org.freedesktop.DBus.Error.UnknownObject") ||
		isDBusError(err, "org.freedesktop.DBus.Error.UnknownMethod")
}

func (s *secretService) maxBlob() int { return 0 }

func (s *secretService) name() string { return "Secret Service" }

// close drops the connection; the service closes our session with it, so no
// call (and no wait on a possibly unresponsive service) is needed.
func (s *secretService) close() error {
	s.cancel()
	return s.conn.Close()
}
