// Package samlidp runs a real SAML 2.0 identity provider for tests: testidp,
// crewjam/saml v0.6.3's samlidp (its own login form, sessions, signed
// assertions, IdP-initiated login) with the AWS attributes per user, built
// from this directory's testidp module (a module of its own, so kcc does not
// depend on crewjam/saml; the build needs the module proxy or a warm module
// cache) and started on a free port of 127.0.0.1, one child process per
// call, stopped at t.Cleanup.
package samlidp

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/localserver"
)

// User is one account of the IdP.
type User struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	// Roles are the values of the AWS Role attribute ("role,provider" or
	// "provider,role"); none leaves the attribute out.
	Roles []string `json:"roles,omitempty"`
	// SessionDuration, in seconds, is the SessionDuration attribute (0: none).
	SessionDuration int `json:"session_duration,omitempty"`
}

// IdP is a running testidp.
type IdP struct {
	// URL is "http://127.0.0.1:PORT".
	URL string
	out *localserver.Output
}

// StartURL is the IdP-initiated login URL of the AWS application.
func (p *IdP) StartURL() string { return p.URL + "/login/aws" }

// Output is what the IdP logged so far, for failure messages.
func (p *IdP) Output() string { return p.out.String() }

// startTimeout bounds one start; the tests judge correctness, not this.
const startTimeout = 60 * time.Second

// binary builds testidp into a directory of the test (the build cache
// makes all but the first build a link).
func binary(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		t.Fatalf("go env GOMOD: %v (%q)", err, gomod)
	}
	bin := filepath.Join(t.TempDir(), "testidp")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join(filepath.Dir(gomod), "internal", "samlidp", "testidp")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build testidp: %v\n%s", err, out)
	}
	return bin
}

// Start builds testidp and starts it with users.
func Start(t testing.TB, users ...User) *IdP {
	t.Helper()
	bin := binary(t)
	cfg, err := json.Marshal(map[string]any{"users": users})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(file, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		var port int
		if port, err = localserver.FreePort(); err != nil {
			continue
		}
		p := &IdP{URL: "http://127.0.0.1:" + strconv.Itoa(port), out: &localserver.Output{}}
		cmd := exec.Command(bin, "-listen", "127.0.0.1:"+strconv.Itoa(port), "-config", file)
		cmd.Stdout, cmd.Stderr = p.out, p.out
		if err = cmd.Start(); err != nil {
			break
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		stop := func() { _ = cmd.Process.Kill(); <-exited }
		if err = localserver.WaitReady("testidp", p.URL+"/metadata", exited, startTimeout); err != nil {
			stop()
			err = fmt.Errorf("%w\ntestidp output:\n%s", err, p.out.String())
			continue
		}
		t.Cleanup(stop)
		return p
	}
	t.Fatalf("testidp did not start: %v", err)
	return nil
}
