package main

import (
	"os"
	"strings"
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

// Every variable that picks the AWS identity is in the default key list:
// without AWS_DEFAULT_PROFILE, two shells that chose different profiles that
// way would be served each other's token (the AWS CLI and kcc-eks both read
// it when AWS_PROFILE is unset).
func TestDefaultKeyListHasTheAWSIdentityVariables(t *testing.T) {
	list := "," + defaultKeyEnvList + ","
	for _, v := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_ROLE_ARN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		if !strings.Contains(list, ","+v+",") {
			t.Errorf("default cache-key list lacks %s", v)
		}
	}
}
