package flags

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

func TestParse(t *testing.T) {
	base := []string{"--oidc-issuer-url", "https://issuer.example/", "--oidc-client-id", "kube"}
	tests := []struct {
		name    string
		args    []string
		grant   string
		wantErr string
	}{
		{"auto without a username is authcode", base, contract.OIDCGrantAuthCode, ""},
		{"auto with a username is password", append(base, "--username", "u"), contract.OIDCGrantPassword, ""},
		{"explicit device code", append(base, "--grant-type", "device-code"), contract.OIDCGrantDeviceCode, ""},
		{"explicit keyboard", append(base, "--grant-type=authcode-keyboard"), contract.OIDCGrantAuthCodeKeyboard, ""},
		{"client credentials", append(base, "--grant-type", "client-credentials", "--oidc-client-secret", "s"), contract.OIDCGrantClientCredentials, ""},
		{"client credentials needs a secret", append(base, "--grant-type", "client-credentials"), "", "needs --oidc-client-secret"},
		{"password needs a username", append(base, "--grant-type", "password"), "", "needs --username"},
		{"unknown grant", append(base, "--grant-type", "implicit"), "", `--grant-type "implicit"`},
		{"no issuer", []string{"--oidc-client-id", "kube"}, "", "--oidc-issuer-url is required"},
		{"no client", []string{"--oidc-issuer-url", "https://issuer.example/"}, "", "--oidc-client-id is required"},
		{"http issuer off loopback", []string{"--oidc-issuer-url", "http://issuer.example/", "--oidc-client-id", "kube"}, "", "http is allowed only for a loopback host"},
		{"http issuer on localhost", []string{"--oidc-issuer-url", "http://localhost:9998/", "--oidc-client-id", "kube"}, contract.OIDCGrantAuthCode, ""},
		{"http issuer on ::1", []string{"--oidc-issuer-url", "http://[::1]:9998/", "--oidc-client-id", "kube"}, contract.OIDCGrantAuthCode, ""},
		{"no scheme", []string{"--oidc-issuer-url", "issuer.example", "--oidc-client-id", "kube"}, "", "is not an absolute URL"},
		{"listen off loopback", append(base, "--listen-address", "0.0.0.0:8000"), "", "must be on a loopback address"},
		{"listen on port 0", append(base, "--listen-address", "127.0.0.1:0"), contract.OIDCGrantAuthCode, ""},
		{"kubelogin flag kcc-oidc lacks", append(base, "--oidc-redirect-url", "http://x"), "", "the kubelogin flag --oidc-redirect-url is not supported by kcc-oidc"},
		{"unknown flag", append(base, "--nope"), "", "unknown flag: --nope"},
		{"stray argument", append(base, "extra"), "", `unexpected argument "extra"`},
		{"token cache storage accepted", append(base, "--token-cache-storage", "keyring"), contract.OIDCGrantAuthCode, ""},
		{"zero timeout", append(base, "--authentication-timeout-sec", "0"), "", "must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Parse(tt.args)
			if tt.wantErr != "" {
				var ue *cli.UsageError
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &ue) {
					t.Fatalf("error %v, want a usage error holding %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.GrantType != tt.grant {
				t.Errorf("grant %q, want %q", o.GrantType, tt.grant)
			}
		})
	}
}

func TestParseValues(t *testing.T) {
	o, err := Parse([]string{"--oidc-issuer-url=https://i.example/", "--oidc-client-id=kube",
		"--oidc-extra-scope", "email", "--oidc-extra-scope=groups,offline_access",
		"--oidc-auth-request-extra-params", "prompt=consent,audience=k8s",
		"--listen-address", "127.0.0.1:0", "--listen-address", "[::1]:8000",
		"--certificate-authority", "/a.pem", "--certificate-authority", "/b.pem",
		"--authentication-timeout-sec", "30"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"email", "groups", "offline_access"}; !slices.Equal(o.ExtraScopes, want) {
		t.Errorf("scopes %v, want %v", o.ExtraScopes, want)
	}
	if o.ExtraParams["prompt"] != "consent" || o.ExtraParams["audience"] != "k8s" {
		t.Errorf("extra params %v", o.ExtraParams)
	}
	if want := []string{"127.0.0.1:0", "[::1]:8000"}; !slices.Equal(o.ListenAddresses, want) {
		t.Errorf("listen addresses %v, want %v", o.ListenAddresses, want)
	}
	if len(o.CAFiles) != 2 || o.AuthTimeout != 30*time.Second {
		t.Errorf("CA files %v, timeout %s", o.CAFiles, o.AuthTimeout)
	}
	def, _ := Parse([]string{"--oidc-issuer-url=https://i.example/", "--oidc-client-id=kube"})
	if !slices.Equal(def.ListenAddresses, DefaultListenAddresses) || def.AuthTimeout != 180*time.Second {
		t.Errorf("defaults: listen %v, timeout %s; want kubelogin's", def.ListenAddresses, def.AuthTimeout)
	}
}
