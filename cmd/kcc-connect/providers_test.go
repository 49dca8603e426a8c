package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChooseProvider pins the rule of providerHelp and docs/providers.md.
func TestChooseProvider(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    map[string]string
		config string
		args   []string
		want   string
	}{
		{"nothing given", nil, "", nil, "eks"},
		{"config url on the command line", nil, "", []string{"--config-url", "x"}, "oidc"},
		{"issuer url on the command line", nil, "", []string{"--issuer-url", "https://i", "--cluster-url", "https://c", "--cluster-id", "c"}, "oidc"},
		{"provider on the command line", nil, "", []string{"--provider", "oidc", "--config-url", "x"}, "oidc"},
		{"provider from the environment", map[string]string{"KCC_CONNECT_PROVIDER": "oidc", "KCC_CONNECT_CONFIG_URL": "x"}, "", nil, "oidc"},
		{"provider from the config", nil, "provider: oidc\nconfig-url: x\n", nil, "oidc"},
		{"config url from the config", nil, "config-url: x\n", nil, "oidc"},
		{"config url from the environment", map[string]string{"KCC_CONNECT_CONFIG_URL": "x"}, "", nil, "oidc"},
		{"eks on the command line over a config's config url", nil, "config-url: x\n", []string{"--provider", "eks"}, "eks"},
		{"eks from the environment over a config's config url", map[string]string{"KCC_CONNECT_PROVIDER": "eks"}, "config-url: x\n", nil, "eks"},
		{"config url on the command line over a config's provider", nil, "provider: eks\n", []string{"--config-url", "x"}, "oidc"},
		{"gke on the command line", nil, "", []string{"--provider", "gke", "--project", "p"}, "gke"},
		{"gke from the environment", map[string]string{"KCC_CONNECT_PROVIDER": "gke"}, "", nil, "gke"},
		{"gke from the config", nil, "provider: gke\n", nil, "gke"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newExtrasEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.config != "" {
				if err := os.MkdirAll(filepath.Dir(e.config), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(e.config, []byte(tc.config), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			a := newApp(nil, io.Discard, io.Discard)
			cmd, _, err := newRootCmd(a).Find([]string{"discover"})
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.ParseFlags(tc.args); err != nil {
				t.Fatal(err)
			}
			if err := a.Apply(cmd); err != nil {
				t.Fatal(err)
			}
			if err := a.chooseProvider(cmd); err != nil {
				t.Fatal(err)
			}
			if a.chosen != tc.want {
				t.Errorf("provider %q, want %q", a.chosen, tc.want)
			}
		})
	}
}

// TestGKEFlagsBelongToGKE: a gke flag with another provider, another
// provider's flag with gke, and both endpoint kinds are usage errors.
func TestGKEFlagsBelongToGKE(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"project with eks", []string{"--project", "p"}, "--project is for --provider gke, and the provider is eks"},
		{"internal ip with oidc", []string{"--config-url", "x", "--internal-ip"}, "--internal-ip is for --provider gke, and the provider is oidc"},
		{"region with gke", []string{"--provider", "gke", "--region", "eu-west-1"}, "--region is not a flag of --provider gke"},
		{"label with gke", []string{"--provider", "gke", "--label", "a=b"}, "--label is not a flag of --provider gke"},
		{"both endpoints", []string{"--provider", "gke", "--internal-ip", "--dns-endpoint"}, "--internal-ip and --dns-endpoint both choose the endpoint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			newExtrasEnv(t)
			a := newApp(nil, io.Discard, io.Discard)
			cmd, _, err := newRootCmd(a).Find([]string{"discover"})
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.ParseFlags(tc.args); err != nil {
				t.Fatal(err)
			}
			if err := a.Apply(cmd); err != nil {
				t.Fatal(err)
			}
			err = a.chooseProvider(cmd)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
