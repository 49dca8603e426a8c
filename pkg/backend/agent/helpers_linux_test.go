package agent

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

// argHelpers are the other roles of the test binary, by its first argument
// (the agent's, which a kcc-cache-like client starts by its command line).
var argHelpers = map[string]func() int{}

func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		if helper, ok := argHelpers[os.Args[1]]; ok {
			os.Exit(helper())
		}
	}
	os.Exit(m.Run())
}

// store uses a Vault or a Client as the Keyring does.
type store = keyringtest.Records

// hintedKeyring opens the Secret Service of the session bus without the
// agent, its item hints in a directory of the test's own, and returns the
// store, its client and that directory.
func hintedKeyring(t *testing.T) (store, *secretservice.Client, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kube-credential-cache", "cache.json.d", "items")
	c, err := secretservice.Open(secretservice.Options{Bound: 2 * time.Second, HintDir: dir})
	if err != nil {
		keyringtest.Require(t, "no session bus: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Usable(); err != nil {
		keyringtest.Require(t, "no usable Secret Service: %v", err)
	}
	return store{Blobs: c}, c, dir
}

// agentKeyring opens the Secret Service as the proxy does, with the agent
// in front and the hints in dir: a new client, as each kcc-cache process is.
func agentKeyring(t *testing.T, dir string, command []string) (store, *Vault) {
	t.Helper()
	v, err := OpenVault(secretservice.Options{Bound: 2 * time.Second, HintDir: dir}, command)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = v.Close() })
	return store{Blobs: v}, v
}

// itemOf is the path of key's item, as the hint its Put wrote says.
func itemOf(t *testing.T, ss *secretservice.Client, key string) dbus.ObjectPath {
	t.Helper()
	item, ok := ss.Hint(key)
	if !ok {
		t.Fatalf("no hint for %.12s", key)
	}
	return item
}

func writeHint(t *testing.T, dir, key, content string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, key), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// storeRaw stores secret as key's item exactly as given, as an older
// version of kcc-cache (untagged) or a confused writer would, with
// secret-tool, and writes no hint.
func storeRaw(t *testing.T, key string, secret []byte) {
	t.Helper()
	keyringtest.SecretTool(t, string(secret), "store", "--label=kube-credential-cache: raw", "service", "kube-credential-cache", "key", key)
}

// deleteBehindTheHint deletes key's item without telling its hint.
func deleteBehindTheHint(t *testing.T, key string) {
	t.Helper()
	keyringtest.SecretTool(t, "", "clear", "service", "kube-credential-cache", "key", key)
}

// searchItem is the path of key's one item, found by the search.
func searchItem(t *testing.T, key string) string {
	t.Helper()
	addr, err := secretservice.SessionBusAddress()
	if err != nil {
		t.Fatal(err)
	}
	return keyringtest.ItemOf(t, addr, key)
}
