package main

import (
	"os"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend"
)

// The probe bound has one default: the variable's and the backend's own
// must not drift apart again (they once were 500ms and 250ms).
func TestKeyringTimeoutDefaultIsTheBackends(t *testing.T) {
	t.Setenv("KUBE_CREDENTIAL_CACHE_KEYRING_TIMEOUT", "") // restored after the test
	os.Unsetenv("KUBE_CREDENTIAL_CACHE_KEYRING_TIMEOUT")
	t.Setenv("KUBE_CREDENTIAL_CACHE_FILE", t.TempDir()+"/cache.json")
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.KeyringTimeout != backend.DefaultTimeout {
		t.Fatalf("KEYRING_TIMEOUT default %s, backend.DefaultTimeout %s", cfg.KeyringTimeout, backend.DefaultTimeout)
	}
}
