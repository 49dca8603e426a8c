package secrets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/tokenstore"
)

type creds struct {
	AccessKeyID string `json:"a"`
	Secret      string `json:"s"`
}

// TestFileStoreRoundTrip opens the store as kcc-connect does with the file
// backend: a saved value loads back, another kind or key does not see it, an
// expired one is not found, Delete removes it, and the file is 0600.
func TestFileStoreRoundTrip(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cache.json")
	t.Setenv(contract.BackendEnv, "file")
	t.Setenv(fileEnv, file)
	var notes []string
	s, err := Open(func(f string, a ...any) { notes = append(notes, f) })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(notes) == 0 {
		t.Error("Open said nothing to debugf about the store it chose")
	}
	now := time.Now()
	want := creds{"AKIAEXAMPLE", "s3cr3t"}
	if err := s.Save("saml", "kcc-saml-a", want, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Save("saml", "kcc-saml-old", want, now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kind, key string
		ok        bool
	}{
		{"saml", "kcc-saml-a", true},
		{"rancher", "kcc-saml-a", false},
		{"saml", "kcc-saml-b", false},
		{"saml", "kcc-saml-old", false}, // expired
	}
	for _, tt := range tests {
		var got creds
		ok, err := s.Load(tt.kind, tt.key, &got)
		if err != nil || ok != tt.ok {
			t.Errorf("Load(%q, %q) = %v, %v; want %v", tt.kind, tt.key, ok, err, tt.ok)
		}
		if ok && got != want {
			t.Errorf("Load(%q, %q) = %+v, want %+v", tt.kind, tt.key, got, want)
		}
	}
	entries, err := os.ReadDir(filestore.EntriesDir(file))
	if err != nil || len(entries) == 0 {
		t.Fatalf("no entry files: %v", err)
	}
	for _, e := range entries {
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
	if err := s.Delete("saml", "kcc-saml-a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("saml", "kcc-saml-a"); err != nil {
		t.Errorf("deleting an absent secret: %v", err)
	}
	var got creds
	if ok, _ := s.Load("saml", "kcc-saml-a", &got); ok {
		t.Error("found after Delete")
	}
}

// TestKeyNamespace: a key of kcc-connect never equals kcc-oidc's for the
// same strings, and differs by kind and by key.
func TestKeyNamespace(t *testing.T) {
	oidc := tokenstore.Identity{IssuerURL: "saml", ClientID: "x"}.Key()
	keys := map[string]bool{oidc: true}
	for _, k := range []string{Key("saml", "x"), Key("rancher", "x"), Key("saml", "y"), Key("sa", "mlx")} {
		if keys[k] {
			t.Errorf("key %s repeats", k)
		}
		keys[k] = true
		if len(k) != 64 || strings.Trim(k, "0123456789abcdef") != "" {
			t.Errorf("key %q is not a hex sha256, as the stores expect", k)
		}
	}
}
