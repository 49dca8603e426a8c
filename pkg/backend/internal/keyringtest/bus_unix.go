//go:build unix

package keyringtest

import (
	godbus "github.com/godbus/dbus/v5"

	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/localserver"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus/dbustest"
)

const (
	ssBus        = "org.freedesktop.secrets"
	ssPath       = "/org/freedesktop/secrets"
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
)

func LookPath(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		Require(t, "%s is not installed", name)
	}
}

// SecretTool runs secret-tool, the libsecret CLI, against the session's
// Secret Service, to check our items the way a user would see them.
func SecretTool(t testing.TB, stdin string, args ...string) string {
	t.Helper()
	LookPath(t, "secret-tool")
	cmd := exec.Command("secret-tool", args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil && !(args[0] == "lookup" && len(out) == 0) {
		t.Fatalf("secret-tool %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// SilentSocket listens on a unix socket that accepts connections and never
// says a word, like a wedged bus daemon.
func SilentSocket(t testing.TB) string {
	t.Helper()
	return localserver.Silent(t, "unix", filepath.Join(dbustest.ShortTempDir(t), "bus"))
}

// PrivateBus starts a dbus-daemon of our own with no service files, so that
// nothing gets activated on it, and returns its address.
func PrivateBus(t testing.TB) string {
	t.Helper()
	LookPath(t, "dbus-daemon")
	return dbustest.Bus(t, "")
}

// PrivateKeyring runs gnome-keyring-daemon on the bus at addr with a fresh
// home, its login keyring created and unlocked with a throwaway password,
// and waits until its Secret Service answers.
func PrivateKeyring(t testing.TB, addr string) {
	t.Helper()
	LookPath(t, "gnome-keyring-daemon")
	home := dbustest.ShortTempDir(t)
	run := filepath.Join(home, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	cmd.Env = append(os.Environ(),
		"DBUS_SESSION_BUS_ADDRESS="+addr, "HOME="+home,
		"XDG_DATA_HOME="+filepath.Join(home, "data"), "XDG_RUNTIME_DIR="+run)
	cmd.Stdin = strings.NewReader("test-password")
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting gnome-keyring-daemon: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	conn := BusConn(t, addr)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var v godbus.Variant
		err := conn.Object(ssBus, AliasDefault).Call("org.freedesktop.DBus.Properties.Get", 0, ssCollection, "Locked").Store(&v)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gnome-keyring-daemon's Secret Service did not come up: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// AliasDefault is the default collection by its alias, for the godbus calls
// that set a test's service up.
const AliasDefault = godbus.ObjectPath("/org/freedesktop/secrets/aliases/default")

// BusConn connects with godbus: the tests set the service's state up with
// an independent client, not with the one under test.
func BusConn(t testing.TB, addr string) *godbus.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	conn, err := godbus.Connect(addr, godbus.WithContext(ctx))
	if err != nil {
		t.Fatalf("connecting to %s: %v", addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// LockDefaultCollection locks the default collection with the Secret
// Service's own Lock method, as a screen locker or `Lock` in Seahorse does.
func LockDefaultCollection(t testing.TB, addr string) {
	t.Helper()
	var locked []godbus.ObjectPath
	var prompt godbus.ObjectPath
	err := BusConn(t, addr).Object(ssBus, godbus.ObjectPath(ssPath)).Call(ssService+".Lock", 0, []godbus.ObjectPath{AliasDefault}).Store(&locked, &prompt)
	if err != nil || len(locked) != 1 || prompt != godbus.ObjectPath("/") {
		t.Fatalf("Lock: locked %v, prompt %v, err %v", locked, prompt, err)
	}
}

// ItemOf is the path of key's one kcc-cache item in the Secret Service of
// the bus at addr, found by an independent client (godbus).
func ItemOf(t testing.TB, addr, key string) string {
	t.Helper()
	var unlocked, locked []godbus.ObjectPath
	attrs := map[string]string{"service": "kube-credential-cache", "key": key}
	err := BusConn(t, addr).Object(ssBus, godbus.ObjectPath(ssPath)).Call(ssService+".SearchItems", 0, attrs).Store(&unlocked, &locked)
	if err != nil || len(unlocked) != 1 {
		t.Fatalf("SearchItems for %.12s: %v (%v), want one unlocked item", key, unlocked, err)
	}
	return string(unlocked[0])
}
