package main

import (
	"os"
	"slices"
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

// The agent is started only where it can serve: the Secret Service backends,
// switched on, allowed to wait for a request.
func TestAgentCommand(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"default", nil, []string{exe, agentFlag}},
		{"explicit keyring", map[string]string{"BACKEND": "keyring"}, []string{exe, agentFlag}},
		{"file backend", map[string]string{"BACKEND": "file"}, nil},
		{"switched off", map[string]string{"AGENT": "false"}, nil},
		{"no idle time", map[string]string{"AGENT_IDLE": "0"}, nil},
	} {
		lookup := func(name string) (string, bool) {
			v, ok := tc.env[strings.TrimPrefix(name, envPrefix+"_")]
			if name == envPrefix+"_FILE" {
				return "/tmp/kcc/cache.json", true
			}
			return v, ok
		}
		cfg, err := loadConfigFrom(lookup)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := agentCommand(cfg); !slices.Equal(got, tc.want) {
			t.Errorf("%s: agent command %q, want %q", tc.name, got, tc.want)
		}
	}
}
