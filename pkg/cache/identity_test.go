package cache

import (
	"testing"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

func TestKeyChangesWithEveryInput(t *testing.T) {
	base := Identity{
		Argv:       []string{"aws", "eks", "get-token", "--cluster-name", "prod"},
		Env:        []EnvVar{{Name: "AWS_PROFILE", Value: "prod", Set: true}, {Name: "AWS_REGION"}},
		APIVersion: execcred.APIVersionV1beta1,
		Server:     "https://prod.example:443",
	}
	tests := []struct {
		name   string
		change func(*Identity)
	}{
		{"argument", func(id *Identity) { id.Argv[4] = "staging" }},
		{"command", func(id *Identity) { id.Argv[0] = "/usr/local/bin/aws" }},
		{"argument split differently", func(id *Identity) {
			id.Argv = []string{"aws eks", "get-token", "--cluster-name", "prod"}
		}},
		{"extra argument", func(id *Identity) { id.Argv = append(id.Argv, "--role-arn") }},
		{"env value", func(id *Identity) { id.Env[0].Value = "staging" }},
		{"env unset vs empty", func(id *Identity) { id.Env[1].Set = true }},
		{"env name", func(id *Identity) { id.Env[0].Name = "AWS_VAULT" }},
		{"apiVersion", func(id *Identity) { id.APIVersion = execcred.APIVersionV1 }},
		{"server", func(id *Identity) { id.Server = "https://staging.example:443" }},
		{"no server", func(id *Identity) { id.Server = "" }},
	}
	want := base.Key()
	if len(want) != 64 {
		t.Fatalf("key %q is not a hex sha256", want)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := base
			id.Argv = append([]string(nil), base.Argv...)
			id.Env = append([]EnvVar(nil), base.Env...)
			tt.change(&id)
			if got := id.Key(); got == want {
				t.Errorf("key did not change: %s", got)
			}
		})
	}
	if again := base.Key(); again != want {
		t.Errorf("key is not stable: %s then %s", want, again)
	}
}

func TestNewIdentity(t *testing.T) {
	env := map[string]string{"AWS_PROFILE": "prod", "KUBE_CREDENTIAL_CACHE_USER": "alice", "EMPTY": ""}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	info := ExecInfo{APIVersion: execcred.APIVersionV1, Server: "https://k8s.example"}
	argv := []string{"aws", "eks", "get-token"}

	a := NewIdentity(argv, lookup, []string{"AWS_PROFILE", "KUBE_CREDENTIAL_CACHE_USER", "EMPTY", "UNSET"}, info)
	b := NewIdentity(argv, lookup, []string{"UNSET", "EMPTY", "KUBE_CREDENTIAL_CACHE_USER", "AWS_PROFILE", "AWS_PROFILE", ""}, info)
	if a.Key() != b.Key() {
		t.Errorf("order or duplicates of the env list changed the key")
	}
	if got := a.User(); got != "alice" {
		t.Errorf("User() = %q, want alice", got)
	}
	if got := a.Label(); got != "alice @ https://k8s.example" {
		t.Errorf("Label() = %q", got)
	}

	// A custom list without KUBE_CREDENTIAL_CACHE_USER still keeps users apart.
	env["KUBE_CREDENTIAL_CACHE_USER"] = "bob"
	e := NewIdentity(argv, lookup, []string{"AWS_PROFILE"}, info)
	env["KUBE_CREDENTIAL_CACHE_USER"] = "alice"
	f := NewIdentity(argv, lookup, []string{"AWS_PROFILE"}, info)
	if e.Key() == f.Key() {
		t.Errorf("a list without %s merged two users", execcred.UserEnv)
	}

	// Two kubeconfig users that differ only in AWS_PROFILE never share an entry.
	env["AWS_PROFILE"] = "staging"
	c := NewIdentity(argv, lookup, []string{"AWS_PROFILE"}, info)
	env["AWS_PROFILE"] = "prod"
	d := NewIdentity(argv, lookup, []string{"AWS_PROFILE"}, info)
	if c.Key() == d.Key() {
		t.Errorf("users differing only in AWS_PROFILE share key %s", c.Key())
	}
}

func TestCommandHidesArguments(t *testing.T) {
	id := Identity{Argv: []string{"/opt/bin/oidc-login", "--password=s3cret"}}
	if got := id.Command(); got != "oidc-login" {
		t.Errorf("Command() = %q, want oidc-login", got)
	}
}
