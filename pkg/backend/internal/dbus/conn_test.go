//go:build unix

package dbus

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus/dbustest"
)

// privateBus starts a dbus-daemon of its own and returns its address; a
// missing dbus-daemon fails the test under CI and skips it elsewhere.
func privateBus(t *testing.T, listen string) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("dbus-daemon is required: %v", err)
		}
		t.Skipf("dbus-daemon not on PATH: %v", err)
	}
	return dbustest.Bus(t, listen)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// Calls to the bus itself, pipelined with the authentication and Hello, on
// a path socket and an abstract one.
func TestCallsToTheBus(t *testing.T) {
	for name, listen := range map[string]string{"path": "", "abstract": "unix:abstract=/tmp/kcc-dbus-test-" + strings.ReplaceAll(t.Name(), "/", "-")} {
		t.Run(name, func(t *testing.T) {
			addr := privateBus(t, listen)
			c, err := Dial(addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			// Three calls in one write, their replies awaited out of order.
			id, _ := c.Send(busName, busPath, busName+".GetId", "")
			names, _ := c.Send(busName, busPath, busName+".ListNames", "")
			has, _ := c.Send(busName, busPath, busName+".NameHasOwner", "s", busName)
			r, err := c.Reply(ctx(t), has)
			if err != nil || len(r) != 1 || r[0] != true {
				t.Fatalf("NameHasOwner = %v, %v", r, err)
			}
			r, err = c.Reply(ctx(t), names)
			if err != nil || len(r) != 1 || !contains(r[0].([]any), busName) {
				t.Fatalf("ListNames = %v, %v", r, err)
			}
			r, err = c.Reply(ctx(t), id)
			if err != nil || len(r) != 1 || len(r[0].(string)) != 32 {
				t.Fatalf("GetId = %v, %v", r, err)
			}
			// An error reply is an *Error with its name; the connection stays usable.
			_, err = c.Call(ctx(t), busName, busPath, busName+".NoSuchMethod", "")
			var de *Error
			if !errors.As(err, &de) || de.Name != "org.freedesktop.DBus.Error.UnknownMethod" {
				t.Fatalf("unknown method: %v", err)
			}
			if _, err := c.Call(ctx(t), busName, busPath, busName+".GetId", ""); err != nil {
				t.Fatalf("call after an error reply: %v", err)
			}
		})
	}
}

func contains(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// A bus that accepts and never answers: the call ends with its context.
func TestSilentBusEndsWithTheContext(t *testing.T) {
	path := filepath.Join(dbustest.ShortTempDir(t), "bus")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	c, err := Dial("unix:path=" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Call(cx, busName, busPath, busName+".GetId", ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("call on a silent bus: %v, want the deadline", err)
	}
}

func TestDialFailsAtOnceWithoutListener(t *testing.T) {
	for _, addr := range []string{
		"unix:path=" + filepath.Join(t.TempDir(), "none"),
		"tcp:host=127.0.0.1,port=1",
		"unix:guid=abc",
		"nonsense",
	} {
		if c, err := Dial(addr); err == nil {
			c.Close()
			t.Errorf("Dial(%q) succeeded", addr)
		}
	}
}

// What a read held is wiped once decoded: a reply's bytes (a secret, when
// it is GetSecret's) stay only in the value the caller got, not in the
// connection's read, message or write buffers, where they would outlive
// the value the caller clears. The bus's error reply to GetNameOwner
// repeats the name asked for, which stands in for the secret.
func TestBuffersWipedAfterRead(t *testing.T) {
	addr := privateBus(t, "")
	c, err := Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	secret := "org.example.kcc.SecretMarker0123456789"
	_, err = c.Call(ctx(t), busName, busPath, busName+".GetNameOwner", "s", secret)
	var de *Error
	if !errors.As(err, &de) || !strings.Contains(de.Message, secret) {
		t.Fatalf("GetNameOwner(%q) = %v, want an error reply naming it", secret, err)
	}
	for name, buf := range map[string][]byte{
		"read buffer":    c.r.buf,
		"message buffer": c.msg[:cap(c.msg)],
		"write buffer":   c.out[:cap(c.out)],
	} {
		if strings.Contains(string(buf), secret) {
			t.Errorf("the %s still holds the bytes read", name)
		}
	}
}
