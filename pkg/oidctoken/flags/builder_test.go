package flags

import (
	"reflect"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// TestCommandRoundTrip: contract.OIDC's command line, which the injector
// and kcc-connect write, parses back to the same options (password aside),
// for defaults and for every flag set.
func TestCommandRoundTrip(t *testing.T) {
	for _, args := range [][]string{
		{"--oidc-issuer-url", "https://i.example/", "--oidc-client-id", "kube"},
		{"--oidc-issuer-url", "https://i.example/", "--oidc-client-id", "kube", "--username", "alice"},
		{"--oidc-issuer-url", "https://i.example/", "--oidc-client-id", "kube", "--oidc-client-secret", "-starts-with-dash",
			"--oidc-extra-scope", "email,groups", "--oidc-use-pkce", "--oidc-auth-request-extra-params", "prompt=consent,audience=k8s",
			"--grant-type", "device-code", "--username", "alice", "--listen-address", "127.0.0.1:0", "--skip-open-browser",
			"--browser-command", "firefox --new-window", "--authentication-timeout-sec", "60",
			"--certificate-authority", "/ca.pem", "--certificate-authority-data", "QUJD", "--insecure-skip-tls-verify"},
	} {
		orig, err := Parse(args)
		if err != nil {
			t.Fatal(err)
		}
		cmd := orig.Command()
		if cmd.Command() != contract.OIDCCommand || cmd.Args()[0] != contract.OIDCGetToken {
			t.Fatalf("command line %q", cmd.Args())
		}
		got, err := Parse(cmd.Args()[1:])
		if err != nil {
			t.Fatalf("%q: %v", cmd.Args(), err)
		}
		if !reflect.DeepEqual(got, orig) {
			t.Errorf("%q parses to\n%+v\nwant\n%+v", cmd.Args(), got, orig)
		}
	}
}
