//go:build unix

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
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

// clearOwnEntries deletes this harness's entries from a shared store (the
// keyring), so that test runs do not leave credentials behind in it.
func (h *harness) clearOwnEntries() {
	r, err := runCmd(h.env(), h.dir, "", kccBin, "--list", "-o", "json")
	var entries []listEntry
	if err != nil || json.Unmarshal([]byte(r.stdout), &entries) != nil {
		return // the test itself reports a broken --list
	}
	for _, e := range entries {
		if strings.Contains(e.User, h.id) {
			if r, err := runCmd(h.env(), h.dir, "", kccBin, "--clear", e.Key); err != nil || r.code != 0 {
				h.t.Errorf("kcc-cache --clear %s: %v\n%v", e.Key, err, r)
			}
		}
	}
}

// own returns the entries of this harness.
func (h *harness) own(entries []listEntry) []listEntry {
	var out []listEntry
	for _, e := range entries {
		if strings.Contains(e.User, h.id) {
			out = append(out, e)
		}
	}
	return out
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
	}
	// What the programs need to run at all (PATH, the pyenv shim of aws) and
	// to reach the keyring (the session bus).
	for _, k := range []string{"PATH", "PYENV_ROOT", "PYENV_VERSION", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "TMPDIR", "LANG"} {
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

// result is what a finished process left.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return "exit " + itoa(r.code) + "\nstdout:\n" + r.stdout + "\nstderr:\n" + r.stderr
}

// runCmd runs a program with a bounded time and returns its outputs; err is
// set only when it could not be run or timed out. It is safe to call from
// any goroutine.
func runCmd(env []string, dir, stdin, name string, args ...string) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return r, fmt.Errorf("%s %s: timed out after %v\n%v", name, strings.Join(args, " "), cmdTimeout, r)
	case errors.As(err, &exitErr):
		r.code = exitErr.ExitCode()
	case err != nil:
		return r, fmt.Errorf("%s: %w", name, err)
	}
	return r, nil
}

// run is runCmd in the harness's directory; it fails the test when the
// program could not be run or timed out.
func (h *harness) run(env []string, stdin string, name string, args ...string) result {
	h.t.Helper()
	r, err := runCmd(env, h.dir, stdin, name, args...)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// kubectl runs the real kubectl with kubeconfig and the harness environment.
func (h *harness) kubectl(kubeconfig string, extraEnv []string, args ...string) result {
	h.t.Helper()
	kubectl := requireTool(h.t, "kubectl")
	return h.run(h.env(extraEnv...), "", kubectl, append([]string{"--kubeconfig=" + kubeconfig}, args...)...)
}

// mustGetPods runs `kubectl get pods` and fails unless it lists the pod.
func (h *harness) mustGetPods(kubeconfig string, extraEnv ...string) result {
	h.t.Helper()
	r := h.kubectl(kubeconfig, extraEnv, "get", "pods")
	if r.code != 0 || !strings.Contains(r.stdout, podName) {
		h.t.Fatalf("kubectl get pods failed:\n%v", r)
	}
	return r
}

// execInfo is the KUBERNETES_EXEC_INFO client-go would set for apiVersion
// ("v1" or "v1beta1").
func execInfo(apiVersion string, server string) string {
	spec := map[string]any{"interactive": false}
	if server != "" {
		spec["cluster"] = map[string]any{"server": server}
	}
	return envExecInfo + "=" + mustJSON(map[string]any{
		"kind": "ExecCredential", "apiVersion": groupVersion(apiVersion), "spec": spec,
	})
}

func groupVersion(v string) string { return "client.authentication.k8s.io/" + v }

// kcc runs kcc-cache directly, the way client-go would, with
// KUBERNETES_EXEC_INFO for apiVersion. It runs it from a fresh `sh` so that
// every call has a parent of its own, like every kubectl process has: two
// direct calls from this test process would look like a 401 retry.
func (h *harness) kcc(apiVersion, stdin string, extraEnv []string, args ...string) result {
	h.t.Helper()
	env := h.env(append([]string{execInfo(apiVersion, "")}, extraEnv...)...)
	// `; exit $?` keeps sh from exec'ing kcc-cache in its place.
	return h.run(env, stdin, "/bin/sh", append([]string{"-c", `"$@"; exit $?`, "sh", kccBin}, args...)...)
}

// pluginArgs is the plugin part of kcc-cache's argv: the test plugin, tagged
// with this harness's id, plus extra arguments.
func (h *harness) pluginArgs(extra ...string) []string {
	return append([]string{selfBin, "--e2e-id=" + h.id}, extra...)
}

// listEntry is one element of `kcc-cache --list -o json`.
type listEntry struct {
	Key     string `json:"key"`
	User    string `json:"user"`
	Server  string `json:"server"`
	Command string `json:"command"`
	Expires string `json:"expires"`
}

// list runs `kcc-cache --list -o json` and decodes it.
func (h *harness) list(extraEnv ...string) ([]listEntry, result) {
	h.t.Helper()
	r := h.run(h.env(extraEnv...), "", kccBin, "--list", "-o", "json")
	if r.code != 0 {
		h.t.Fatalf("kcc-cache --list -o json failed:\n%v", r)
	}
	var entries []listEntry
	if err := json.Unmarshal([]byte(r.stdout), &entries); err != nil {
		h.t.Fatalf("kcc-cache --list -o json printed no JSON array: %v\n%v", err, r)
	}
	return entries, r
}

func itoa(n int) string { return strconv.Itoa(n) }
