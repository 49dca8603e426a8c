package main

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
)

// TestStoredTokenNeedsNoNetwork: with a valid stored id_token, get-token
// sends no request at all to the provider, not even discovery.
func TestStoredTokenNeedsNoNetwork(t *testing.T) {
	t.Parallel()
	op := oidcop.StartTest(t, oidcop.TestOptions{RedirectURIs: []string{"http://localhost"}})
	f := newFixture(t)
	args := []string{"get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "native", "--listen-address", "127.0.0.1:0"}
	_, tok, _ := credential(t, f.run(args...))
	before := op.Counts(t)
	for range 3 {
		if _, again, _ := credential(t, f.run(args...)); again != tok {
			t.Fatal("a later run printed another token; want the stored one")
		}
	}
	if after := op.Counts(t); !equalCounts(before, after) {
		t.Errorf("requests at the OP went from %v to %v; want none for a stored token", before, after)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestRefresh: a stored id_token about to expire is refreshed with one
// token request and no browser; --force-refresh refreshes a valid one.
func TestRefresh(t *testing.T) {
	t.Parallel()
	op := oidcop.StartTest(t, oidcop.TestOptions{RedirectURIs: []string{"http://localhost"}})
	f := newFixture(t)
	args := []string{"get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "native",
		"--oidc-extra-scope", "offline_access", "--listen-address", "127.0.0.1:0"}
	_, tok, exp := credential(t, f.run(args...))
	tokens := op.TokenRequests(t)

	// 20 s before the id_token expires: within the 30 s it must have left.
	f.now = func() time.Time { return exp.Add(-20 * time.Second) }
	_, refreshed, _ := credential(t, f.run(args...))
	if refreshed == tok {
		t.Error("the id_token near its expiry was served; want a refreshed one")
	}
	if n := op.TokenRequests(t) - tokens; n != 1 {
		t.Errorf("%d token requests for a refresh, want 1", n)
	}
	if f.opens.Load() != 1 {
		t.Errorf("the browser opened %d times, want only the first login", f.opens.Load())
	}

	f.now = time.Now
	tokens = op.TokenRequests(t)
	_, forced, _ := credential(t, f.run(append(args, "--force-refresh")...))
	if forced == refreshed || op.TokenRequests(t)-tokens != 1 {
		t.Errorf("--force-refresh: new token %v, %d token requests; want a new token from one request", forced != refreshed, op.TokenRequests(t)-tokens)
	}
}

// TestDeviceCode logs in with the device grant: the code and URL on
// stderr, approved in the browser, polled at the server's interval.
func TestDeviceCode(t *testing.T) {
	t.Parallel()
	op := oidcop.StartTest(t, oidcop.TestOptions{})
	f := newFixture(t)
	r := f.run("get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "device",
		"--oidc-client-secret", oidcop.ClientSecret, "--grant-type", "device-code")
	_, tok, _ := credential(t, r)
	if c := claims(t, tok); c["aud"] == nil || c["sub"] == nil {
		t.Errorf("claims %v", c)
	}
	if !strings.Contains(r.stderr, "/device") || !strings.Contains(r.stderr, "enter the code") {
		t.Errorf("stderr does not show the verification URI and code:\n%s", r.stderr)
	}
	if n := op.Counts(t)["/device_authorization"]; n != 1 {
		t.Errorf("%d device authorizations, want 1 (counts %v)", n, op.Counts(t))
	}
}

// TestAuthCodeKeyboard: the user opens the URL, the provider shows the code
// (an out-of-band redirect), the user types it on stdin.
func TestAuthCodeKeyboard(t *testing.T) {
	t.Parallel()
	op := oidcop.StartExample(t, "urn:ietf:params:oauth:2.0:oob")
	f := newFixture(t)
	stdin, typed := io.Pipe()
	f.stdin = stdin
	f.onStderr = func(s string) {
		i := strings.Index(s, "open ")
		if i < 0 {
			return
		}
		u := strings.Fields(s[i+len("open "):])[0]
		go func() {
			b := oidcop.NewBrowser()
			err := b.Login(t.Context(), u, oidcop.User, oidcop.UserPassword)
			code, cerr := b.OutOfBandCode()
			if err != nil || cerr != nil {
				t.Errorf("browser: %v %v", err, cerr)
				typed.Close()
				return
			}
			_, _ = io.WriteString(typed, code+"\n")
		}()
	}
	r := f.run("get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "native", "--grant-type", "authcode-keyboard")
	credential(t, r)
}

// TestConfidentialClient logs in with the client "web" and its secret; a
// wrong secret is refused at the code exchange, with one line.
func TestConfidentialClient(t *testing.T) {
	t.Parallel()
	port := oidcop.FreePort(t)
	redirect := "http://localhost:" + itoa(port)
	op := oidcop.StartExample(t, redirect)
	listen := "127.0.0.1:" + itoa(port)

	f := newFixture(t)
	credential(t, f.run("get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "web",
		"--oidc-client-secret", oidcop.ClientSecret, "--listen-address", listen))

	bad := newFixture(t)
	r := bad.run("get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "web",
		"--oidc-client-secret", "not-the-secret", "--listen-address", listen)
	wantOneLine(t, r, 1, "could not exchange the authorization code: the provider answered invalid_client")
	if bad.storedEntries() != 0 {
		t.Error("a failed login stored something")
	}
}

// TestKubeconfigUsersLogInApart: two kubeconfig users (KUBE_CREDENTIAL_CACHE_USER)
// with the same flags are two logins, each served its own token after.
func TestKubeconfigUsersLogInApart(t *testing.T) {
	t.Parallel()
	op := oidcop.StartExample(t, "http://localhost")
	f := newFixture(t)
	args := []string{"get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "native", "--listen-address", "127.0.0.1:0"}
	tokens := map[string]string{}
	for _, u := range []struct{ kubeUser, login string }{{"admin", oidcop.User}, {"dev", oidcop.User2}} {
		f.env["KUBE_CREDENTIAL_CACHE_USER"] = u.kubeUser
		f.user = u.login
		_, tok, _ := credential(t, f.run(args...))
		tokens[u.kubeUser] = tok
	}
	if f.opens.Load() != 2 || claims(t, tokens["admin"])["sub"] == claims(t, tokens["dev"])["sub"] {
		t.Fatalf("%d logins, subjects %v and %v; want two logins of two users", f.opens.Load(), claims(t, tokens["admin"])["sub"], claims(t, tokens["dev"])["sub"])
	}
	for kubeUser, want := range tokens {
		f.env["KUBE_CREDENTIAL_CACHE_USER"] = kubeUser
		if _, tok, _ := credential(t, f.run(args...)); tok != want {
			t.Errorf("kubeconfig user %s was served another user's token", kubeUser)
		}
	}
	if f.opens.Load() != 2 {
		t.Errorf("%d logins in all, want 2", f.opens.Load())
	}
}

// TestConcurrentRunsLogInOnce: runs for one identity at once (kubectl for
// two clusters of one provider: kcc-cache locks per cluster) make one device
// login; the others wait for it and serve its token.
func TestConcurrentRunsLogInOnce(t *testing.T) {
	t.Parallel()
	op := oidcop.StartTest(t, oidcop.TestOptions{})
	shared := newFixture(t).env[envFile]
	runs := make([]*fixture, 4)
	results := make([]result, len(runs))
	var wg sync.WaitGroup
	for i := range runs {
		runs[i] = newFixture(t)
		runs[i].env[envFile] = shared
		wg.Go(func() {
			results[i] = runs[i].run("get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "device",
				"--oidc-client-secret", oidcop.ClientSecret, "--grant-type", "device-code")
		})
	}
	wg.Wait()
	var first string
	for i, r := range results {
		_, tok, _ := credential(t, r)
		if i == 0 {
			first = tok
		} else if tok != first {
			t.Errorf("run %d printed another token", i)
		}
	}
	if n := op.Counts(t)["/device_authorization"]; n != 1 {
		t.Errorf("%d device logins for %d concurrent runs, want 1", n, len(runs))
	}
}

// TestDebugOutput: KUBE_CREDENTIAL_CACHE_DEBUG=1 says what each run
// decided, with key digests and expiries, never a token.
func TestDebugOutput(t *testing.T) {
	t.Parallel()
	op := oidcop.StartExample(t, "http://localhost")
	f := newFixture(t)
	f.env["KUBE_CREDENTIAL_CACHE_DEBUG"] = "1"
	args := []string{"get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "native", "--listen-address", "127.0.0.1:0"}
	first := f.run(args...)
	_, tok, _ := credential(t, first)
	second := f.run(args...)
	for _, want := range []string{"kcc-oidc: debug: store file (", "nothing stored", "logging in with the authcode grant"} {
		if !strings.Contains(first.stderr, want) {
			t.Errorf("first run's stderr lacks %q:\n%s", want, first.stderr)
		}
	}
	if !strings.Contains(second.stderr, "served without a request") {
		t.Errorf("second run's stderr:\n%s", second.stderr)
	}
	if strings.Contains(first.stderr+second.stderr, tok) || strings.Contains(first.stderr+second.stderr, strings.Split(tok, ".")[2]) {
		t.Error("the debug output holds the id_token")
	}
}
