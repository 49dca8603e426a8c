//go:build unix

package e2e

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cmdTimeout bounds every process a test starts, so that no test hangs. It
// is generous because a loaded 2-core CI machine running 32 kubectl
// processes at once is slow, and a slow call is not what these tests judge.
const cmdTimeout = 90 * time.Second

// backends lists the kcc-cache backends to test: KCC_E2E_BACKENDS
// (comma-separated), default "file".
func backends() []string {
	v := os.Getenv("KCC_E2E_BACKENDS")
	if v == "" {
		return []string{"file"}
	}
	var out []string
	for b := range strings.SplitSeq(v, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

// forEachBackend runs fn as one parallel subtest per backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, h *harness)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			fn(t, newHarness(t, b))
		})
	}
}

// forFileBackend runs fn for the file backend only, for the tests about the
// cache file itself (its JSON, its directory); the keyring has none.
func forFileBackend(t *testing.T, fn func(t *testing.T, h *harness)) {
	t.Helper()
	t.Run("file", func(t *testing.T) {
		t.Parallel()
		fn(t, newHarness(t, "file"))
	})
}

// harness is one test's world: a temp HOME, a cache file, a plugin run
// counter, an API server and the environment of every process it starts.
type harness struct {
	t         *testing.T
	backend   string
	dir       string
	home      string
	cacheFile string
	runsFile  string
	// id goes into the plugin's argv, so that tests sharing one keyring never
	// share a cache key.
	id  string
	srv *apiServer
}

func newHarness(t *testing.T, backend string) *harness {
	t.Helper()
	requireKCC(t)
	dir := t.TempDir()
	var id [6]byte
	_, _ = rand.Read(id[:])
	h := &harness{
		t:         t,
		backend:   backend,
		dir:       dir,
		home:      filepath.Join(dir, "home"),
		cacheFile: filepath.Join(dir, "cache", "cache.json"),
		runsFile:  filepath.Join(dir, "plugin-runs"),
		id:        hex.EncodeToString(id[:]),
		srv:       newAPIServer(t),
	}
	if err := os.MkdirAll(h.home, 0o700); err != nil {
		t.Fatal(err)
	}
	if backend != "file" {
		t.Cleanup(h.clearOwnEntries)
	}
	return h
}

// env is the environment of a kubectl or kcc-cache started by the test:
// a clean HOME, the backend under test, and the test plugin's defaults (a
// token valid for an hour). extra entries ("K=V") override.
func (h *harness) env(extra ...string) []string {
	env := []string{
		"HOME=" + h.home,
		"KUBECACHEDIR=" + filepath.Join(h.home, "kube-cache"),
		"KUBE_CREDENTIAL_CACHE_BACKEND=" + h.backend,
		"KUBE_CREDENTIAL_CACHE_FILE=" + h.cacheFile,
		// Every entry of this harness carries its id as its user, so that
		// tests sharing one keyring can find (and clean up) their own.
		"KUBE_CREDENTIAL_CACHE_USER=e2e-" + h.id,
		envPlugin + "=1",
		envRuns + "=" + h.runsFile,
		envToken + "=tok-" + h.id,
		envExpiresIn + "=1h",
		// gnome-keyring serves one request at a time; with 64 writers and
		// the other parallel tests on two cores, the last answer can take
		// longer than a desktop ever sees. The default bound is for users;
		// here the test asserts correctness, not speed.
		"KUBE_CREDENTIAL_CACHE_KEYRING_TIMEOUT=2s",
	}
	// What the programs need to run at all (PATH, the pyenv shim of aws) and
	// to reach the keyring (the session bus, and the run's own runtime
	// directory for the agent).
	env = append(env, "XDG_RUNTIME_DIR="+runtimeDir)
	for _, k := range []string{"PATH", "PYENV_ROOT", "PYENV_VERSION", "DBUS_SESSION_BUS_ADDRESS", "TMPDIR", "LANG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return mergeEnv(env, extra)
}

// mergeEnv returns base with the entries of extra replacing those of the
// same name; an entry "K=" with an empty value removes K.
func mergeEnv(base, extra []string) []string {
	out := slices.Clone(base)
	for _, e := range extra {
		name, value, _ := strings.Cut(e, "=")
		out = slices.DeleteFunc(out, func(o string) bool { return strings.HasPrefix(o, name+"=") })
		if value != "" {
			out = append(out, e)
		}
	}
	return out
}

// token is the token the test plugin hands out on its n-th run.
func (h *harness) token(n int) string { return "tok-" + h.id + "-" + itoa(n) }

// runs is how many times the test plugin has run so far.
func (h *harness) runs() int {
	h.t.Helper()
	b, err := os.ReadFile(h.runsFile)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}

// wantRuns fails the test unless the plugin ran exactly want times.
func (h *harness) wantRuns(want int, when string) {
	h.t.Helper()
	if got := h.runs(); got != want {
		h.t.Fatalf("%s: the plugin ran %d times, want %d", when, got, want)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
