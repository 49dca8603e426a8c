//go:build unix

// Package dbustest starts private message buses for the tests of the D-Bus
// client and of the Secret Service backend: a dbus-daemon of the test's own,
// with no service files, so that nothing is activated on it and the user's
// session bus is never touched.
package dbustest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Bus starts a dbus-daemon listening on listen (a unix socket in a fresh
// directory when empty) and returns its address; the daemon is killed when
// the test ends. The caller checks first that dbus-daemon is installed,
// since skipping or failing without it is the caller's policy.
func Bus(t testing.TB, listen string) string {
	t.Helper()
	addr, _ := StartBus(t, listen)
	return addr
}

// StartBus is Bus, and also returns a function that kills the daemon before
// the test ends, as the end of a login session does.
func StartBus(t testing.TB, listen string) (addr string, kill func()) {
	t.Helper()
	dir := ShortTempDir(t)
	if listen == "" {
		listen = "unix:path=" + filepath.Join(dir, "bus")
	}
	conf := filepath.Join(dir, "bus.conf")
	err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>`+listen+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	var once sync.Once
	kill = func() { once.Do(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }) }
	t.Cleanup(kill)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the address of dbus-daemon: %v", err)
	}
	return strings.TrimSpace(line), kill
}

// ShortTempDir is a temp dir with a short path: a unix socket path must fit
// in 108 bytes, which t.TempDir's, named after the test, may not.
func ShortTempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "kcc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
