package eks

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestSharedProfilesReadsBothFiles(t *testing.T) {
	dir := t.TempDir()
	cfg, cred := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	if err := os.WriteFile(cfg, []byte("[profile b]\n[default]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cred, []byte("[a]\n[b]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", cred)
	got, err := SharedProfiles()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "default"}; !reflect.DeepEqual(got, want) {
		t.Errorf("SharedProfiles = %q, want %q", got, want)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "missing"))
	if got, err := SharedProfiles(); err != nil || !reflect.DeepEqual(got, []string{"b", "default"}) {
		t.Errorf("with a missing credentials file: %q, %v", got, err)
	}
}
