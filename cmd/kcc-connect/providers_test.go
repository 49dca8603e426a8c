package main

import (
	"io"
	"os"
	"path/filepath"
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
