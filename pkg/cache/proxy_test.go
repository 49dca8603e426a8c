package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"

	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// memStore is an in-memory Store; its errors can be set to exercise the
// proxy's "never break kubectl because of the cache" paths.
type memStore struct {
	mu     sync.Mutex
	recs   map[string]record.Record
	getErr error
	putErr error
}

func newMemStore() *memStore { return &memStore{recs: map[string]record.Record{}} }

func (s *memStore) Get(key string) (record.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.getErr != nil {
		return record.Record{}, s.getErr
	}
	r, ok := s.recs[key]
	if !ok {
		return record.Record{}, fs.ErrNotExist
	}
	return r, nil
}

func (s *memStore) Put(r record.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.putErr != nil {
		return s.putErr
	}
	s.recs[r.Key] = r
	return nil
}

func (s *memStore) Delete(keys ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		delete(s.recs, k)
	}
	return nil
}

func (s *memStore) List() ([]record.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []record.Record
	for _, r := range s.recs {
		out = append(out, r)
	}
	return out, nil
}

// harness runs Proxy.Serve the way kcc-cache does, against the test binary
// as plugin, with a fake clock shared by all calls.
type harness struct {
	t       *testing.T
	store   Store
	dir     string
	counter string
	env     []string
	now     time.Time
	policy  Policy
	id      Identity
	// lockTimeout is the Proxy's LockTimeout (10s unless a test sets it).
	lockTimeout time.Duration
	// sweepOnHit, when set, replaces the odds of a hit sweeping the markers.
	sweepOnHit func() bool
	// fingerprint is what the Proxy's Fingerprint returns ("": none).
	fingerprint string
}

func newHarness(t *testing.T, pluginEnv ...string) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{
		t:       t,
		store:   newMemStore(),
		dir:     dir,
		counter: filepath.Join(dir, "runs"),
		now:     time.Now(),
		policy:  Policy{RefreshMargin: 30 * time.Second, DefaultTTL: time.Hour, NoExpiryThreshold: 24 * time.Hour, HealCooldown: 5 * time.Minute},
		id:      Identity{Argv: []string{os.Args[0], "--password=s3cret-arg"}, APIVersion: execcred.APIVersionV1beta1},

		lockTimeout: 10 * time.Second,
	}
	h.env = append(os.Environ(), "KCC_TEST_PLUGIN=1", "KCC_TEST_COUNTER="+h.counter, "KCC_TEST_EXPIRES_IN=15m")
	h.env = append(h.env, pluginEnv...)
	return h
}

type result struct {
	stdout, stderr string
	err            error
}

func (h *harness) serve(parent string) result {
	return h.serveWith(parent, nil, false)
}

func (h *harness) serveWith(parent string, stdin *strings.Reader, debug bool) result {
	var out, errb bytes.Buffer
	p := &Proxy{
		Store:       h.store,
		Policy:      h.policy,
		StateDir:    h.dir,
		LockTimeout: h.lockTimeout,
		Stdout:      &out,
		Stderr:      &errb,
		Env:         h.env,
		Now:         func() time.Time { return h.now },
		Parent:      func() string { return parent },
		Debug:       debug,
		sweepOnHit:  h.sweepOnHit,
	}
	if fp := h.fingerprint; fp != "" {
		p.Fingerprint = func() string { return fp }
	}
	if stdin != nil {
		p.Stdin = stdin
	}
	err := p.Serve(context.Background(), h.id)
	return result{out.String(), errb.String(), err}
}

func (h *harness) runs() int { return pluginRuns(h.counter) }

func tokenOf(t *testing.T, out string) string {
	t.Helper()
	c, err := ParseCredential([]byte(out))
	if err != nil {
		t.Fatalf("output is not a credential: %v\n%s", err, out)
	}
	var st credentialStatus
	if err := json.Unmarshal(c.Status, &st); err != nil {
		t.Fatal(err)
	}
	return st.Token
}

func TestServeMissThenHit(t *testing.T) {
	h := newHarness(t)
	first := h.serve("kubectl-1")
	if first.err != nil || tokenOf(t, first.stdout) != "tok-1" {
		t.Fatalf("first call: %+v", first)
	}
	for i := 2; i <= 5; i++ {
		r := h.serve(fmt.Sprintf("kubectl-%d", i))
		if r.err != nil || tokenOf(t, r.stdout) != "tok-1" {
			t.Fatalf("call %d: %+v", i, r)
		}
		if r.stderr != "" {
			t.Errorf("a hit printed on stderr: %q", r.stderr)
		}
	}
	if n := h.runs(); n != 1 {
		t.Errorf("plugin ran %d times, want 1", n)
	}
}

func TestServeRefreshesNearExpiry(t *testing.T) {
	h := newHarness(t)
	h.serve("a")
	h.now = h.now.Add(15*time.Minute - 29*time.Second) // inside the 30s margin
	r := h.serve("b")
	if tokenOf(t, r.stdout) != "tok-2" || h.runs() != 2 {
		t.Fatalf("did not refresh inside the margin: %+v, runs %d", r, h.runs())
	}
}

func TestServeWithoutExpiryUsesDefaultTTL(t *testing.T) {
	h := newHarness(t, "KCC_TEST_EXPIRES_IN=none")
	h.serve("a")
	h.now = h.now.Add(59 * time.Minute)
	if r := h.serve("b"); tokenOf(t, r.stdout) != "tok-1" {
		t.Fatalf("credential without expiry not cached for the default TTL: %+v", r)
	}
	h.now = h.now.Add(2 * time.Minute)
	if r := h.serve("c"); tokenOf(t, r.stdout) != "tok-2" {
		t.Fatalf("credential without expiry served past the default TTL: %+v", r)
	}
}

func TestServeSelfHealsAfterRejection(t *testing.T) {
	h := newHarness(t)
	steps := []struct {
		parent string
		want   string
		runs   int
		why    string
	}{
		{"kubectl-A", "tok-1", 1, "miss"},
		{"kubectl-B", "tok-1", 1, "another process: hit"},
		{"kubectl-B", "tok-2", 2, "B asks again for what it got (a 401 retry): refresh"},
		{"kubectl-C", "tok-2", 2, "a new process gets the refreshed one"},
		{"kubectl-B", "tok-2", 2, "B asks a third time within the cool-down: hit, no loop"},
		{"kubectl-A", "tok-2", 2, "A never had tok-2: hit"},
		{"kubectl-A", "tok-3", 3, "A asks again for tok-2: refresh"},
	}
	for i, s := range steps {
		r := h.serve(s.parent)
		if r.err != nil {
			t.Fatalf("step %d (%s): %v", i, s.why, r.err)
		}
		if got := tokenOf(t, r.stdout); got != s.want || h.runs() != s.runs {
			t.Fatalf("step %d (%s): token %s runs %d, want %s runs %d", i, s.why, got, h.runs(), s.want, s.runs)
		}
	}
	h.now = h.now.Add(6 * time.Minute) // past B's cool-down
	if r := h.serve("kubectl-B"); tokenOf(t, r.stdout) != "tok-3" {
		t.Fatalf("B had not been served tok-3, yet it was refreshed: %+v", r)
	}
	if r := h.serve("kubectl-B"); tokenOf(t, r.stdout) != "tok-4" {
		t.Fatalf("B's retry after the cool-down did not refresh: %+v", r)
	}
}

func TestServeLoopFromOneParentRunsPluginAtMostTwice(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 30; i++ {
		if r := h.serve("shell"); r.err != nil {
			t.Fatal(r.err)
		}
	}
	if n := h.runs(); n > 2 {
		t.Errorf("30 calls from one parent ran the plugin %d times, want at most 2", n)
	}
}

func TestServeUnknownParentNeverHeals(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 5; i++ {
		h.serve("")
	}
	if n := h.runs(); n != 1 {
		t.Errorf("plugin ran %d times, want 1", n)
	}
}

func TestServeConcurrentMissesRunPluginOnce(t *testing.T) {
	h := newHarness(t, "KCC_TEST_SLEEP=300ms")
	const callers = 16
	var wg sync.WaitGroup
	results := make([]result, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = h.serve(fmt.Sprintf("kubectl-%d", i))
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.err != nil || tokenOf(t, r.stdout) != "tok-1" {
			t.Errorf("caller %d: %+v", i, r)
		}
	}
	if n := h.runs(); n != 1 {
		t.Errorf("%d concurrent callers ran the plugin %d times, want 1", callers, n)
	}
}

func TestServePluginFailure(t *testing.T) {
	h := newHarness(t, "KCC_TEST_MODE=fail")
	r := h.serve("a")
	var perr *PluginError
	if !errors.As(r.err, &perr) || perr.Code != 7 {
		t.Fatalf("err = %v, want a PluginError with code 7", r.err)
	}
	if !strings.Contains(r.stderr, "plugin: access denied") || r.stdout != "" {
		t.Errorf("plugin stderr not passed through or stdout not empty: %+v", r)
	}
	if strings.Contains(perr.Error(), "s3cret") {
		t.Errorf("error shows an argument: %v", perr)
	}
	if recs, _ := h.store.List(); len(recs) != 0 {
		t.Errorf("a failed run was cached: %d entries", len(recs))
	}
}

func TestServePluginNotFound(t *testing.T) {
	for _, argv0 := range []string{"kcc-no-such-plugin-xyz", "./bin/kcc-no-such-plugin-xyz", "/nonexistent/plugin"} {
		h := newHarness(t)
		h.id.Argv = []string{argv0}
		r := h.serve("a")
		var perr *PluginError
		if !errors.As(r.err, &perr) || perr.Code != 127 {
			t.Errorf("%s: err = %v, want a PluginError with code 127", argv0, r.err)
		}
	}
}

func TestServeInvalidOutputPassesThroughUncached(t *testing.T) {
	h := newHarness(t, "KCC_TEST_MODE=invalid")
	r := h.serve("a")
	if r.err != nil || r.stdout != "this is not a credential\n" {
		t.Fatalf("output not passed through unchanged: %+v", r)
	}
	if lines := strings.Count(r.stderr, "\n"); lines != 1 || !strings.HasPrefix(r.stderr, "kcc-cache: ") {
		t.Errorf("want one warning line, got %q", r.stderr)
	}
	if recs, _ := h.store.List(); len(recs) != 0 {
		t.Errorf("invalid output was cached")
	}
}

func TestServeSurvivesBrokenStore(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*memStore)
	}{
		{"unreadable", func(s *memStore) { s.getErr = errors.New("cache file is corrupt") }},
		{"unwritable", func(s *memStore) { s.putErr = errors.New("read-only file system") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			store := newMemStore()
			tt.setup(store)
			h.store = store
			r := h.serve("a")
			if r.err != nil || tokenOf(t, r.stdout) != "tok-1" {
				t.Fatalf("credential not passed through: %+v", r)
			}
			if lines := strings.Count(r.stderr, "\n"); lines != 1 {
				t.Errorf("want one warning line, got %q", r.stderr)
			}
		})
	}
}

func TestServeReadsStdin(t *testing.T) {
	h := newHarness(t, "KCC_TEST_MODE=stdin")
	r := h.serveWith("a", strings.NewReader("typed-by-user\n"), false)
	if r.err != nil || tokenOf(t, r.stdout) != "typed-by-user" {
		t.Fatalf("stdin not passed to the plugin: %+v", r)
	}
}

func TestServeAnswersInRequestedVersion(t *testing.T) {
	h := newHarness(t)
	h.id.APIVersion = execcred.APIVersionV1 // the fake plugin always answers v1beta1
	r := h.serve("a")
	if !strings.Contains(r.stdout, `"apiVersion":"client.authentication.k8s.io/v1"`) {
		t.Fatalf("output not in the requested version: %s", r.stdout)
	}
}

func TestDebugOutputHasNoSecrets(t *testing.T) {
	h := newHarness(t, "KCC_TEST_EXPIRES_IN=10s", "AWS_SECRET_ACCESS_KEY=env-secret-value")
	h.id.Env = []EnvVar{{Name: "AWS_PROFILE", Value: "env-secret-value", Set: true}}
	var stderr strings.Builder
	for _, parent := range []string{"a", "a", "a", "b"} {
		r := h.serveWith(parent, nil, true)
		stderr.WriteString(r.stderr)
	}
	for _, secret := range []string{"tok-1", "tok-2", "s3cret-arg", "env-secret-value"} {
		if strings.Contains(stderr.String(), secret) {
			t.Errorf("debug output shows %q:\n%s", secret, stderr.String())
		}
	}
	if !strings.Contains(stderr.String(), "kcc-cache: debug: miss") {
		t.Errorf("debug output lacks the decisions:\n%s", stderr.String())
	}
}
