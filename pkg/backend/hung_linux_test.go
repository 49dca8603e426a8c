package backend

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	dbus "github.com/godbus/dbus/v5"
)

// stuckHandler accepts method calls and never answers them: a Secret
// Service that owns its name but hangs (a frozen KeePassXC, a prompt nobody
// answers).
type stuckHandler struct{ release chan struct{} }

func (h stuckHandler) LookupObject(dbus.ObjectPath) (dbus.ServerObject, bool) {
	<-h.release
	return nil, false
}

func TestOpenAutoDoesNotWaitOnHungService(t *testing.T) {
	addr := keyringtest.PrivateBus(t)
	release := make(chan struct{})
	conn, err := dbus.Connect(addr, dbus.WithHandler(stuckHandler{release}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { close(release); conn.Close() })
	if reply, err := conn.RequestName(ssBus, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s: %v %v", ssBus, reply, err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	file := filepath.Join(t.TempDir(), "cache.json")

	start := time.Now()
	c, err := openGuarded(t, Options{Kind: "auto", File: file, Timeout: 250 * time.Millisecond})
	first := time.Since(start)
	if err != nil || c.Name != "file" || !strings.Contains(c.Reason, "did not answer") {
		t.Fatalf("auto on a hung service: %+v, %v", c, err)
	}

	start = time.Now()
	c, err = openGuarded(t, Options{Kind: "auto", File: file, Timeout: 250 * time.Millisecond})
	second := time.Since(start)
	if err != nil || c.Name != "file" || !strings.Contains(c.Reason, "remembered") {
		t.Fatalf("second auto: %+v, %v; want the remembered verdict", c, err)
	}
	t.Logf("first %v, second %v: %s", first, second, c.Reason)
}
