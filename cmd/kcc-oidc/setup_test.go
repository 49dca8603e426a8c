package main

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestSetup: setup prints the users entry (golden), leaves a --password
// out, and its args parse back to the same options (builder → parser).
func TestSetup(t *testing.T) {
	args := []string{"--oidc-issuer-url", "https://issuer.example/realms/k8s", "--oidc-client-id", "kubernetes",
		"--oidc-client-secret", "s3cret value", "--oidc-extra-scope", "email", "--oidc-extra-scope", "groups",
		"--oidc-auth-request-extra-params", "prompt=consent", "--listen-address", "127.0.0.1:0",
		"--username", "alice", "--password", "hunter2", "--grant-type", "password"}
	f := newFixture(t)
	r := f.run(append([]string{"setup"}, args...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden := filepath.Join("testdata", "setup.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if r.stdout != string(want) {
		t.Errorf("setup printed:\n%s\nwant (%s, -update to rewrite):\n%s", r.stdout, golden, want)
	}
	if strings.Contains(r.stdout, "hunter2") || !strings.Contains(r.stderr, "--password is left out") {
		t.Errorf("the password is in the entry or its omission is not said:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}

	var doc struct {
		Users []struct {
			User struct {
				Exec struct {
					Command string   `yaml:"command"`
					Args    []string `yaml:"args"`
				} `yaml:"exec"`
			} `yaml:"user"`
		} `yaml:"users"`
	}
	if err := yaml.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("setup printed invalid YAML: %v", err)
	}
	exec := doc.Users[0].User.Exec
	if exec.Command != "kcc-cache" || len(exec.Args) < 2 || exec.Args[0] != "kcc-oidc" || exec.Args[1] != "get-token" {
		t.Fatalf("exec %+v, want kcc-cache kcc-oidc get-token …", exec)
	}
	got, err := flags.Parse(exec.Args[2:])
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := flags.Parse(args)
	orig.Password = ""
	if !reflect.DeepEqual(got, orig) {
		t.Errorf("the entry's args parse to\n%+v\nwant\n%+v", got, orig)
	}
}

// TestSuggestedCommandMasksSecrets: the line that says what to run shows
// the flags but not the values of the secret ones.
func TestSuggestedCommandMasksSecrets(t *testing.T) {
	f := newFixture(t)
	// kubectl without a terminal, and a grant that reads one.
	f.env["KUBERNETES_EXEC_INFO"] = `{"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`
	r := f.run("get-token", "--oidc-issuer-url", "https://issuer.example/", "--oidc-client-id", "kube",
		"--oidc-client-secret", "s3cret-value", "--grant-type", "authcode-keyboard")
	wantOneLine(t, r, 1, "run kcc-oidc get-token --oidc-issuer-url=https://issuer.example/ --oidc-client-id=kube --oidc-client-secret=*** --grant-type=authcode-keyboard in a terminal")
	if strings.Contains(r.stderr, "s3cret-value") {
		t.Error("the client secret was printed")
	}
}

// TestUsage: no command, an unknown command and a bad flag are usage
// errors (exit 2, one line); --help and --version succeed.
func TestUsage(t *testing.T) {
	f := newFixture(t)
	if r := f.run("frobnicate"); r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", r.code, r.stderr)
	}
	wantOneLine(t, f.run("get-token", "--oidc-client-id", "x"), 2, "--oidc-issuer-url is required")
	if r := f.run("get-token", "--help"); r.code != 0 || !strings.Contains(r.stdout, "--oidc-issuer-url") {
		t.Errorf("--help: exit %d, %q", r.code, r.stdout)
	}
	if r := f.run("--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "kcc-oidc ") {
		t.Errorf("--version: exit %d, %q", r.code, r.stdout)
	}
}

// TestNoBrowserNoTerminal: authcode and device-code without a browser to
// open (no --browser-command, no graphical session) nor a terminal to show
// the URL end with one line, before any request.
func TestNoBrowserNoTerminal(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("macOS and Windows always have a browser to open")
	}
	for _, grant := range []string{"authcode", "device-code"} {
		f := newFixture(t)
		delete(f.env, "DISPLAY")
		r := f.run("get-token", "--oidc-issuer-url", "https://issuer.example/", "--oidc-client-id", "kube", "--grant-type", grant)
		wantOneLine(t, r, 1, "there is neither a browser to open nor a terminal to show its URL; run kcc-oidc get-token")
	}
}
