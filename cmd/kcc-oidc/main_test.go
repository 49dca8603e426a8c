package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
)

func TestMain(m *testing.M) {
	if os.Getenv(oidcop.BrowserEnv) == "1" {
		os.Exit(oidcop.BrowserMain(os.Args[1:], os.Stderr))
	}
	os.Exit(m.Run())
}

// fixture is one test's kcc-oidc: its own store, a browser that signs in as
// user, and the clock.
type fixture struct {
	t        *testing.T
	dir      string
	env      map[string]string
	now      func() time.Time
	user     string
	password string
	deny     bool
	opens    atomic.Int32
	browser  sync.WaitGroup
	stdin    io.Reader
	// onStderr, when set, sees every write to stderr (authcode-keyboard).
	onStderr func(string)
	// openURL, when set, is the browser instead of the OP's login pages.
	openURL func(u string) error
}

func newFixture(t *testing.T) *fixture {
	dir := t.TempDir()
	return &fixture{
		t:   t,
		dir: dir,
		env: map[string]string{
			envBackend: "file",
			envFile:    filepath.Join(dir, "cache", "cache.json"),
			// A graphical session: the browser (fixture.open) can be opened.
			"DISPLAY": ":0",
		},
		now:      time.Now,
		user:     oidcop.User,
		password: oidcop.UserPassword,
		stdin:    strings.NewReader(""),
	}
}

// result is one run's output.
type result struct {
	code           int
	stdout, stderr string
}

// open is the browser: it signs in at an authorization URL, or approves
// (or denies) a device verification URL, as BrowserMain does.
func (f *fixture) open(ctx context.Context, u string) error {
	f.opens.Add(1)
	f.browser.Add(1)
	go func() {
		defer f.browser.Done()
		b := oidcop.NewBrowser()
		var err error
		if f.openURL != nil {
			err = f.openURL(u)
		} else if i := strings.Index(u, "/device?user_code="); i >= 0 {
			code := u[i+len("/device?user_code="):]
			err = b.Device(context.Background(), u[:i]+"/device", code, f.user, f.password, !f.deny)
		} else {
			err = b.Login(context.Background(), u, f.user, f.password)
		}
		if err != nil {
			f.t.Logf("browser: %v", err)
		}
	}()
	return nil
}

type stderrTap struct {
	mu  sync.Mutex
	buf bytes.Buffer
	fn  func(string)
}

func (s *stderrTap) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.buf.Write(p)
	s.mu.Unlock()
	if s.fn != nil {
		s.fn(string(p))
	}
	return len(p), nil
}

func (s *stderrTap) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func (f *fixture) run(args ...string) result {
	f.t.Helper()
	var stdout bytes.Buffer
	stderr := &stderrTap{fn: f.onStderr}
	w := world{
		now:    f.now,
		getenv: func(k string) string { return f.env[k] },
		stdin:  f.stdin,
		stdout: &stdout,
		stderr: stderr,
		open:   f.open,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := w.run(ctx, args)
	f.browser.Wait()
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// credential decodes an ExecCredential; it fails the test on anything else.
func credential(t *testing.T, r result) (apiVersion, token string, exp time.Time) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	var c struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Status     struct {
			Token string    `json:"token"`
			Exp   time.Time `json:"expirationTimestamp"`
		} `json:"status"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil || c.Kind != "ExecCredential" || c.Status.Token == "" {
		t.Fatalf("stdout is not an ExecCredential with a token (%v):\n%s", err, r.stdout)
	}
	return c.APIVersion, c.Status.Token, c.Status.Exp
}

// claims decodes a JWT's payload (its signature is kcc-oidc's business and
// the API server's; here only the content matters).
func claims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// storedEntries is how many entry files the file store holds.
func (f *fixture) storedEntries() int {
	f.t.Helper()
	entries, err := os.ReadDir(filepath.Join(f.env[envFile]+".d", "entries"))
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		f.t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			n++
		}
	}
	return n
}

// storedRefreshToken reads the refresh token of the store's one entry (a
// file "kcc1 <expiry>\n<label>\n<value>", see pkg/backend/blob.go).
func (f *fixture) storedRefreshToken() string {
	f.t.Helper()
	dir := filepath.Join(f.env[envFile]+".d", "entries")
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		parts := strings.SplitN(string(b), "\n", 3)
		var v struct {
			RefreshToken string `json:"refresh_token"`
		}
		if len(parts) == 3 && json.Unmarshal([]byte(parts[2]), &v) == nil && v.RefreshToken != "" {
			return v.RefreshToken
		}
	}
	f.t.Fatal("no stored refresh token")
	return ""
}
