package eks

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestProfileNames(t *testing.T) {
	tests := []struct {
		name        string
		text        string
		credentials bool
		want        []string
	}{
		{"config file", "[default]\nregion=x\n[profile dev]\n[profile  spaced ]\n[sso-session corp]\n[services s]\n[plain]\n", false, []string{"default", "dev", "spaced"}},
		{"credentials file", "[dev]\naws_access_key_id=A\n[profile ignored]\n[ prod ] ; note\n", true, []string{"dev", "prod"}},
		{"comments and CRLF", "# [commented]\r\n; [also]\r\n[profile a]\r\n[profile b] # trailing\r\n", false, []string{"a", "b"}},
		{"not headers", "[\n[]\n[profile]\nkey = [x]\n", false, nil},
		{"DEFAULT any case", "[Default]\n", false, []string{"Default"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := profileNames(tt.text, tt.credentials); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("profileNames = %q, want %q", got, tt.want)
			}
		})
	}
}

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

// FuzzProfileNames: any file gives names without panicking, and every name
// is one the file spells inside brackets.
func FuzzProfileNames(f *testing.F) {
	f.Add("[default]\n[profile a b]\n[x] ; c\n", false)
	f.Add("[ a ]\r\n#[b]\n", true)
	f.Fuzz(func(t *testing.T, text string, credentials bool) {
		for _, n := range profileNames(text, credentials) {
			if n == "" {
				t.Fatalf("empty profile name from %q", text)
			}
		}
	})
}
