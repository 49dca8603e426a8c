package backend

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

// A small client of the freedesktop Secret Service API (GNOME Keyring,
// KWallet, KeePassXC) over the D-Bus session bus. It is written here rather
// than taken from 99designs/keyring because that package dials D-Bus in
// init() in every process that links it and can hang forever on a silent bus
// (docs/design.md §3); this one connects only when Open asks for it, and bounds
// every wait, the connection's included, by a deadline.
//
// A cache hit makes three round trips, each its own call: the
// authentication and Hello (in one write, to the bus), OpenSession, and
// GetSecret on the key's item, whose path the last store or search of that
// key left in a hint file (<state dir>/items/<key>). A hint only saves the
// search: every secret we write starts with its key (secretTag), and a
// secret read through a hint is served only when that key is the one asked
// for, since the service may give a deleted item's path to a new item of
// another key. Without a hint, or when it points elsewhere, the hit searches
// by attributes (four round trips) and writes the hint. Whether the store
// can take new items (is the collection unlocked?) is asked only when the
// hit did not happen (usable), since a secret read proves it for a hit.
//
// Fewer round trips were tried and measured, and dropped: gnome-keyring 46
// crashes when a new client's calls come close together. OpenSession
// queued behind the Hello in the first write killed it 4 times in ~6 500
// hits here, OpenSession and SearchItems back to back 4 times in ~19 000;
// each time with "gkd_secret_service_get_pkcs11_session: assertion 'client'
// failed", then GLib-ERROR "g_variant_new: expected GVariant of type 'v' but
// received value has type '(null)'" (it registers a new client from an idle
// callback and sometimes runs the client's first call before that). One
// call at a time, as every other client makes them, it died twice in 20 000
// calls, and a crashed keyring daemon takes every desktop secret down with
// it (docs/benchmark.md).
//
// No call goes to an alias path (/org/freedesktop/secrets/aliases/default):
// gnome-keyring 46 sometimes resolves one to a collection named after stray
// memory ("Object does not exist at path .../collection/plain"), about once
// in a thousand calls under load, with godbus as with this client. Searches
// go to the service itself, and the default collection is looked up with
// ReadAlias, on a miss only.

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

type secretService struct {
	addr string     // the session bus's address
	conn *dbus.Conn // dialled by start when the agent did not serve
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

	// The agent (ssagent_linux.go): agentSock is its socket, agentTry says
	// that the socket was there when the vault opened (so the bus was not
	// dialled), agentSeen that an agent answered; agentCommand starts one
	// when none did.
	agentSock    string
	agentCommand []string
	agentTry     bool
	agentSeen    bool
	viaAgent     bool // the last read was the agent's
}

func (s *secretService) route() string {
	if s.viaAgent {
		return "through the agent at " + s.agentSock
	}
	return "from the Secret Service"
}

// openVault connects to the session bus, unless agentCommand is set and the
// agent's socket is there: then the first get asks the agent, and the bus is
// dialled only if the agent does not serve (see start). Nothing waits yet. A
// bus that is not there fails at once; the agent ends with its bus.
// busBound bounds the bus's answer; with quick (auto) it also bounds the
// session's start, otherwise that gets the longer call bound.
func openVault(busBound time.Duration, quick bool, stateDir string, agentCommand []string) (vault, error) {
	addr, err := sessionBusAddress()
	if err != nil {
		return nil, err
	}
	s := &secretService{addr: addr, busBound: busBound, timeout: callTimeout(busBound)}
	if stateDir != "" { // none for the agent, which only reads by given paths
		s.hints.dir = filepath.Join(stateDir, "items")
	}
	s.startBound = s.timeout
	if quick {
		s.startBound = busBound
	}
	if len(agentCommand) > 0 {
		s.agentCommand = agentCommand
		s.agentSock = agentSocket(addr)
		if fi, err := os.Stat(s.agentSock); s.agentSock != "" && err == nil && fi.Mode()&fs.ModeSocket != 0 {
			s.agentTry = true
			return s, nil
		}
	}
	if s.conn, err = dbus.Dial(addr); err != nil {
		return nil, fmt.Errorf("could not connect to the D-Bus session bus: %w", err)
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

// start waits for the bus's answer to the Hello that Dial queued, then opens
// a session, and keeps the first failure: the connection cannot be used
// after one.
func (s *secretService) start() error {
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

func (s *secretService) waitStart() error {
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
	// behind it, in the same write, it crashed gnome-keyring 46 (see the top
	// of the file).
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

// usable reports why the store cannot hold our items, or nil: the session
// started and the default collection exists and is unlocked. A locked
// collection is reported, not unlocked: unlocking prompts the user, and a
// credential helper must never pop up a dialog behind kubectl.
func (s *secretService) usable() error {
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
func (s *secretService) defaultCollection(ctx context.Context) (dbus.ObjectPath, error) {
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
func (s *secretService) call(path dbus.ObjectPath, member, sig string, args ...any) ([]any, error) {
	if err := s.start(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	return s.conn.Call(ctx, ssBus, path, member, sig, args...)
}

// searchArgs is the attribute match for our items, those of one key when
// key is not empty.
func searchArgs(key string) map[string]string {
	attrs := map[string]string{"service": attrService}
	if key != "" {
		attrs["key"] = key
	}
	return attrs
}

// search returns our items, those of one key when key is not empty: the
// unlocked ones, whose secrets can be read, and the locked ones.
func (s *secretService) search(key string) (unlocked, locked []dbus.ObjectPath, err error) {
	out, err := s.call(ssPath, ssService+".SearchItems", "a{ss}", searchArgs(key))
	if err != nil {
		return nil, nil, fmt.Errorf("could not search the Secret Service: %w", err)
	}
	return searchResult(out)
}

func (s *secretService) get(key string) ([]byte, error) {
	blob, err := s.getDirect(key)
	if err == nil && !s.agentSeen {
		// Read without an agent: start one for the hits to come.
		spawnAgent(s.agentCommand, s.agentSock, s.addr)
	}
	return blob, err
}

func (s *secretService) getDirect(key string) ([]byte, error) {
	item, hinted := s.hints.read(key)
	if s.agentTry && hinted {
		// Connected only now, and the request written at once: the agent
		// wakes once for both.
		s.agentTry = false
		if agent := dialAgent(s.agentSock, s.busBound); agent != nil {
			s.agentSeen = true
			if blob := agent.get(key, item); blob != nil {
				s.viaAgent = true
				return blob, nil
			}
		}
	}
	if hinted {
		if blob, err := s.getHinted(key, item); blob != nil || err != nil {
			return blob, err
		}
	}
	items, locked, err := s.search(key)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		if len(locked) > 0 {
			return nil, fmt.Errorf("keyring item %.12s is locked: %w", key, fs.ErrNotExist)
		}
		s.hints.remove(key)
		return nil, fmt.Errorf("no keyring item %.12s: %w", key, fs.ErrNotExist)
	}
	out, err := s.call(items[0], ssItem+".GetSecret", "o", s.session)
	if err != nil {
		if vanished(err) {
			return nil, fmt.Errorf("keyring item %.12s was just deleted: %w", key, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("could not read keyring item %.12s: %w", key, err)
	}
	value, ok := secretValue(firstValue(out))
	if !ok {
		return nil, fmt.Errorf("could not read keyring item %.12s: unexpected reply", key)
	}
	tagged, blob := untagSecret(value)
	switch {
	case tagged == key:
		s.hints.write(key, items[0])
	case tagged != "":
		// Found by its attributes, yet written for another key: not ours to
		// serve. Missing, so that the caller's Put replaces it.
		return nil, fmt.Errorf("keyring item %.12s holds another key's secret: %w", key, fs.ErrNotExist)
	}
	return blob, nil
}

// getHinted reads the secret of the item a hint names. It returns the blob
// when that item holds key's secret, an error when the connection failed,
// and neither when the hint is of no use (the item is gone, locked, another
// key's or written before secrets were tagged): the caller then searches.
func (s *secretService) getHinted(key string, item dbus.ObjectPath) ([]byte, error) {
	// Started first: the call's arguments name the session.
	if err := s.start(); err != nil {
		return nil, err
	}
	out, err := s.call(item, ssItem+".GetSecret", "o", s.session)
	if err != nil {
		var reply *dbus.Error
		if errors.As(err, &reply) {
			return nil, nil // the service answered: no such item, locked, ...
		}
		return nil, fmt.Errorf("could not read keyring item %.12s: %w", key, err)
	}
	value, ok := secretValue(firstValue(out))
	if !ok {
		return nil, nil
	}
	if tagged, blob := untagSecret(value); tagged == key {
		return blob, nil
	}
	return nil, nil
}
func (s *secretService) set(key, label string, blob []byte) error {
	if err := s.start(); err != nil {
		return err
	}
	props := map[string]dbus.Variant{
		ssItem + ".Label": dbus.MakeVariant(itemLabelPrefix + label),
		ssItem + ".Attributes": dbus.MakeVariant(map[string]string{
			"service": attrService,
			"key":     key,
		}),
	}
	secret := []any{s.session, []byte{}, tagSecret(key, blob), "text/plain"}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	coll, err := s.defaultCollection(ctx)
	if err != nil {
		return fmt.Errorf("could not store keyring item %.12s: %w", key, err)
	}
	// replace=true: an item with the same attributes is updated in place, so
	// a refresh never leaves two items for one key.
	out, err := s.call(coll, ssCollection+".CreateItem", "a{sv}(oayays)b", props, secret, true)
	if err != nil {
		return fmt.Errorf("could not store keyring item %.12s: %w", key, err)
	}
	if len(out) != 2 || out[1] != noPrompt {
		return fmt.Errorf("could not store keyring item %.12s: the Secret Service wants to prompt the user", key)
	}
	if item, ok := out[0].(dbus.ObjectPath); ok {
		s.hints.write(key, item)
	}
	if !s.agentSeen {
		spawnAgent(s.agentCommand, s.agentSock, s.addr)
	}
	return nil
}

func (s *secretService) remove(keys ...string) error {
	for _, key := range keys {
		unlocked, locked, err := s.search(key)
		if err != nil {
			return err
		}
		if err := s.deleteItems(append(unlocked, locked...)); err != nil {
			return fmt.Errorf("could not delete keyring item %.12s: %w", key, err)
		}
		s.hints.remove(key)
	}
	return nil
}

// deleteItems deletes items, one call at a time (see the top of the file).
func (s *secretService) deleteItems(items []dbus.ObjectPath) error {
	for _, item := range items {
		out, err := s.call(item, ssItem+".Delete", "")
		if err != nil {
			if vanished(err) {
				continue // someone else deleted it first: the goal is met
			}
			return err
		}
		if len(out) != 1 || out[0] != noPrompt {
			return errors.New("the Secret Service wants to prompt the user")
		}
	}
	return nil
}

// prune deletes our expired items in a search, one GetSecrets and the
// deletions; the generic list-then-remove would read every item's key
// attribute first, which makes many concurrent writers quadratic.
func (s *secretService) prune(expired func(blob []byte) bool) (int, error) {
	s.hints.sweep(time.Now())
	items, _, err := s.search("")
	if err != nil {
		return 0, err
	}
	if len(items) == 0 {
		return 0, nil
	}
	out, err := s.call(ssPath, ssService+".GetSecrets", "aoo", items, s.session)
	if err != nil {
		return 0, fmt.Errorf("could not read keyring items: %w", err)
	}
	secrets, _ := firstValue(out).(map[string]any)
	var stale []dbus.ObjectPath
	var staleKeys []string
	for item, sec := range secrets {
		value, ok := secretValue(sec)
		if !ok {
			continue
		}
		key, blob := untagSecret(value)
		if expired(blob) {
			stale = append(stale, dbus.ObjectPath(item))
			if key != "" {
				staleKeys = append(staleKeys, key)
			}
		}
	}
	if err := s.deleteItems(stale); err != nil {
		return 0, fmt.Errorf("could not delete expired keyring items: %w", err)
	}
	for _, key := range staleKeys {
		s.hints.remove(key)
	}
	return len(stale), nil
}

// list reads each item on its own rather than with one GetSecrets: another
// kcc-cache may delete an item between our search and our read (a prune, a
// --clear), and one vanished item must not fail the whole --list or --clear.
func (s *secretService) list() (map[string][]byte, error) {
	items, _, err := s.search("")
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(items))
	for _, item := range items {
		attrsOut, err := s.call(item, ssProps+".Get", "ss", ssItem, "Attributes")
		if err == nil {
			var secretOut []any
			if secretOut, err = s.call(item, ssItem+".GetSecret", "o", s.session); err == nil {
				attrs, _ := variantValue(attrsOut).(map[string]any)
				key, _ := attrs["key"].(string)
				if value, ok := secretValue(firstValue(secretOut)); key != "" && ok {
					if tagged, blob := untagSecret(value); tagged == "" || tagged == key {
						out[key] = blob
					}
				}
				continue
			}
		}
		if !vanished(err) {
			return nil, fmt.Errorf("could not read keyring items: %w", err)
		}
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
	if s.conn == nil {
		return nil
	}
	return s.conn.Close()
}

// The reply shapes of the API, checked rather than assumed.

func firstValue(out []any) any {
	if len(out) != 1 {
		return nil
	}
	return out[0]
}

func variantValue(out []any) any {
	v, _ := firstValue(out).(dbus.Variant)
	return v.Value
}

// searchResult reads Service.SearchItems' reply, (ao ao).
func searchResult(out []any) (unlocked, locked []dbus.ObjectPath, err error) {
	if len(out) != 2 {
		return nil, nil, errors.New("could not search the Secret Service: unexpected reply")
	}
	if unlocked, err = paths(out[0]); err != nil {
		return nil, nil, err
	}
	if locked, err = paths(out[1]); err != nil {
		return nil, nil, err
	}
	return unlocked, locked, nil
}

func paths(v any) ([]dbus.ObjectPath, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, errors.New("could not search the Secret Service: unexpected reply")
	}
	items := make([]dbus.ObjectPath, 0, len(list))
	for _, v := range list {
		p, ok := v.(dbus.ObjectPath)
		if !ok {
			return nil, errors.New("could not search the Secret Service: unexpected reply")
		}
		items = append(items, p)
	}
	return items, nil
}

// secretValue takes the value out of a Secret struct, (oayays).
func secretValue(v any) ([]byte, bool) {
	fields, ok := v.([]any)
	if !ok || len(fields) != 4 {
		return nil, false
	}
	value, ok := fields[2].([]byte)
	return value, ok
}
