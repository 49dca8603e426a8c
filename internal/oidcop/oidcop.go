// Package oidcop runs a real OpenID provider for tests: the zitadel/oidc
// example server (go install github.com/zitadel/oidc/v3/example/server@v3.52.0,
// as scripts/test.sh does), or testop, the same provider built from this
// directory's module with a device-code client, a chosen id_token lifetime
// and request counts. One child process per call, stopped at t.Cleanup.
//
// Under CI (env CI set) a missing example server fails the test with one
// clear line instead of skipping it.
package oidcop

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/localserver"
)

// The example provider's fixed identities.
const (
	User         = "test-user@localhost"
	User2        = "test-user2"
	UserPassword = "verysecure"
	// ServiceUser and ServiceSecret are its client-credentials client.
	ServiceUser   = "sid1"
	ServiceSecret = "verysecret"
	// ClientSecret is the secret of the "web", "api" and "device" clients.
	ClientSecret = "secret"
)

// ExampleVersion is the zitadel/oidc release whose example server the tests
// run; testop/go.mod pins the same.
const ExampleVersion = "v3.52.0"

// startTimeout bounds one start; the tests judge correctness, not this.
const startTimeout = 60 * time.Second

// OP is a running provider.
type OP struct {
	// Issuer is "http://localhost:PORT/".
	Issuer string
	// counts is testop's request count endpoint; "" for the example server.
	counts string
	out    *localserver.Output
}

// Output is what the provider printed so far, for failure messages.
func (op *OP) Output() string { return op.out.String() }

// ExampleBinary returns the installed example server: $KCC_OIDC_EXAMPLE_OP,
// else "server" in GOBIN or GOPATH/bin (where go install puts it).
func ExampleBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("KCC_OIDC_EXAMPLE_OP"); p != "" {
		return p
	}
	var dirs []string
	if gobin := goEnv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	if gopath := goEnv("GOPATH"); gopath != "" {
		dirs = append(dirs, filepath.Join(strings.Split(gopath, string(os.PathListSeparator))[0], "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "server")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	msg := "the zitadel/oidc example OP is not installed (CGO_ENABLED=0 go install github.com/zitadel/oidc/v3/example/server@" + ExampleVersion + ", or set KCC_OIDC_EXAMPLE_OP)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg + "; set CI=1 to make this a failure")
	return ""
}

func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// StartExample starts the installed example server on a free port with the
// given redirect URIs (for every client), and waits until it answers.
func StartExample(t testing.TB, redirectURIs ...string) *OP {
	t.Helper()
	bin := ExampleBinary(t)
	return startRetrying(t, func(port int) (*exec.Cmd, *OP) {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "REDIRECT_URI="+strings.Join(redirectURIs, ","))
		return cmd, &OP{Issuer: issuer(port)}
	})
}

// TestOptions configure testop.
type TestOptions struct {
	RedirectURIs    []string
	IDTokenLifetime time.Duration // 0: an hour
	WebSecret       string        // the "web" client's secret; "": ClientSecret
}

// testopBinary builds testop into a directory of the test (the build cache
// makes all but the first build a link).
func testopBinary(t testing.TB) string {
	t.Helper()
	gomod := goEnv("GOMOD")
	if gomod == "" || gomod == os.DevNull {
		t.Fatal("go env GOMOD: not inside this module")
	}
	bin := filepath.Join(t.TempDir(), "testop")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join(filepath.Dir(gomod), "internal", "oidcop", "testop")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build testop: %v\n%s", err, out)
	}
	return bin
}

// StartTest builds and starts testop on a free port.
func StartTest(t testing.TB, o TestOptions) *OP {
	t.Helper()
	bin := testopBinary(t)
	return startRetrying(t, func(port int) (*exec.Cmd, *OP) {
		cmd := exec.Command(bin)
		env := []string{
			"ISSUER=" + issuer(port),
			"LISTEN=127.0.0.1:" + strconv.Itoa(port),
			"REDIRECT_URI=" + strings.Join(o.RedirectURIs, ","),
		}
		if o.WebSecret != "" {
			env = append(env, "WEB_SECRET="+o.WebSecret)
		}
		if o.IDTokenLifetime > 0 {
			env = append(env, "ID_TOKEN_LIFETIME="+o.IDTokenLifetime.String())
		}
		cmd.Env = append(os.Environ(), env...)
		return cmd, &OP{Issuer: issuer(port), counts: "http://127.0.0.1:" + strconv.Itoa(port) + "/_test/counts"}
	})
}

func issuer(port int) string { return "http://localhost:" + strconv.Itoa(port) + "/" }

// Counts returns how many requests testop answered per path.
func (op *OP) Counts(t testing.TB) map[string]int {
	t.Helper()
	if op.counts == "" {
		t.Fatal("request counts are only kept by testop (StartTest)")
	}
	resp, err := http.Get(op.counts)
	if err != nil {
		t.Fatalf("read the OP's counts: %v", err)
	}
	defer resp.Body.Close()
	var n map[string]int
	if err := json.NewDecoder(resp.Body).Decode(&n); err != nil {
		t.Fatalf("read the OP's counts: %v", err)
	}
	return n
}

// TokenRequests is how many token endpoint requests testop answered.
func (op *OP) TokenRequests(t testing.TB) int { return op.Counts(t)["/oauth/token"] }

// startRetrying starts a provider on a free port, again on another port when
// the first was taken between looking and binding.
func startRetrying(t testing.TB, prepare func(port int) (*exec.Cmd, *OP)) *OP {
	t.Helper()
	var err error
	for range 3 {
		var port int
		if port, err = localserver.FreePort(); err != nil {
			continue
		}
		cmd, op := prepare(port)
		op.out = &localserver.Output{}
		cmd.Stdout, cmd.Stderr = op.out, op.out
		if err = cmd.Start(); err != nil {
			break
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		stop := func() { _ = cmd.Process.Kill(); <-exited }
		if err = localserver.WaitReady("the OP", op.Issuer+".well-known/openid-configuration", exited, startTimeout); err != nil {
			stop()
			err = fmt.Errorf("%w\nOP output:\n%s", err, op.out.String())
			continue
		}
		t.Cleanup(stop)
		return op
	}
	t.Fatalf("the OIDC provider did not start: %v", err)
	return nil
}

// FreePort is a port of 127.0.0.1 free when asked, for a redirect listener
// that must be registered before it listens.
func FreePort(t testing.TB) int {
	t.Helper()
	p, err := localserver.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
