//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// stderrLines are the non-empty lines of a stderr.
func stderrLines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// wantOneWarning fails unless stderr is exactly one line from kcc-cache.
func wantOneWarning(t *testing.T, what string, r result) {
	t.Helper()
	lines := stderrLines(r.stderr)
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "kcc-cache: ") {
		t.Fatalf("%s: want exactly one stderr line \"kcc-cache: ...\", got %d:\n%v", what, len(lines), r)
	}
}

// TestCorruptCacheFile: garbage in a cache entry, or in a cache file of the
// earlier single-file layout, is reported in one stderr line and replaced;
// kubectl still gets its credential (kubectl for one kind of garbage,
// kcc-cache directly for the others, to save time).
func TestCorruptCacheFile(t *testing.T) {
	t.Parallel()
	garbage := map[string][]byte{
		"truncated":             []byte("kcc1 2099-01-01T00:00:00Z\ne2e\n{\"gen\":\"1\",\"expires\":\"20"),
		"binary":                {0x00, 0xff, 0xfe, 0x7b, 0x22, 0x00, 0x13, 0x37, 0x0a},
		"JSON of another shape": []byte(`[1,2,3]`),
	}
	for name, data := range garbage {
		for _, where := range []string{"entry", "old cache file"} {
			t.Run(name+" in the "+where, func(t *testing.T) {
				t.Parallel()
				forFileBackend(t, func(t *testing.T, h *harness) {
					testCorrupt(t, h, name == "truncated" && where == "entry", where, data)
				})
			})
		}
	}
}

func testCorrupt(t *testing.T, h *harness, viaKubectl bool, where string, data []byte) {
	h.srv.acceptTokenPrefix("tok-" + h.id + "-")
	kc := h.kubeconfig(execUser{})
	call := func() result {
		if !viaKubectl { // kubectl once is enough
			r := h.kcc("v1beta1", "", nil, h.pluginArgs()...)
			if _, err := decodeCredential([]byte(r.stdout), "v1beta1"); r.code != 0 || err != nil {
				t.Fatalf("kcc-cache: %v\n%v", err, r)
			}
			return r
		}
		return h.mustGetPods(kc)
	}
	runs := 0
	if where == "entry" {
		call() // the entry to spoil
		runs = 1
		files := h.entryFiles()
		if len(files) != 1 {
			t.Fatalf("want one entry file, have %v", files)
		}
		if err := os.WriteFile(files[0], data, 0o600); err != nil {
			t.Fatal(err)
		}
	} else {
		if err := os.MkdirAll(filepath.Dir(h.cacheFile), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(h.cacheFile, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	wantOneWarning(t, "a call on corrupt cache data", call())
	for _, f := range h.entryFiles() {
		if b, err := os.ReadFile(f); err != nil || !wholeEntry(b) {
			t.Fatalf("the corrupt entry was not replaced: %v", err)
		}
	}
	if _, err := os.Stat(h.cacheFile); !os.IsNotExist(err) {
		t.Errorf("the corrupt old cache file is still there: %v", err)
	}
	if r := call(); r.stderr != "" {
		t.Fatalf("second call, on the replaced data, printed to stderr:\n%v", r)
	}
	h.wantRuns(runs+1, "calls after the damage")
}

// TestUnwritableCache: the cache cannot be written (for the file backend, its
// directory cannot be created: its parent is a regular file, which fails for
// root too; for the keyring, the session bus is not there). kcc-cache warns
// once per call and passes the plugin's credential through.
func TestUnwritableCache(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		afile := filepath.Join(h.dir, "afile")
		if err := os.WriteFile(afile, []byte("not a directory\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		env := []string{"KUBE_CREDENTIAL_CACHE_FILE=" + filepath.Join(afile, "cache.json")}
		if h.backend == "keyring" {
			// Only the store fails; its locks stay in a usable directory.
			env = []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(h.dir, "no-bus")}
		}
		h.srv.acceptTokenPrefix("tok-" + h.id + "-")
		kc := h.kubeconfig(execUser{})
		wantOneWarning(t, "first kubectl call", h.mustGetPods(kc, env...))
		wantOneWarning(t, "second kubectl call", h.mustGetPods(kc, env...))
		h.wantRuns(2, "two kubectl calls with nothing cached")

		r := h.kcc("v1", "", env, h.pluginArgs()...)
		if r.code != 0 {
			t.Fatalf("kcc-cache with an unwritable cache:\n%v", r)
		}
		wantOneWarning(t, "kcc-cache with an unwritable cache", r)
		if _, err := decodeCredential([]byte(r.stdout), "v1"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestFailingPlugin: kcc-cache exits with the plugin's own exit code, the
// plugin's stderr reaches the user (through kubectl too), and nothing is
// cached.
func TestFailingPlugin(t *testing.T) {
	t.Parallel()
	for _, code := range []int{1, 7, 42} {
		t.Run("exit "+strconv.Itoa(code), func(t *testing.T) {
			t.Parallel()
			forEachBackend(t, func(t *testing.T, h *harness) {
				msg := "e2e-plugin: the identity provider said no (" + h.id + ")"
				fail := []string{envExit + "=" + strconv.Itoa(code), envStderr + "=" + msg}
				r := h.kcc("v1beta1", "", fail, h.pluginArgs()...)
				if r.code != code {
					t.Errorf("kcc-cache exited %d, want the plugin's %d:\n%v", r.code, code, r)
				}
				if !strings.Contains(r.stderr, msg) {
					t.Errorf("the plugin's stderr is not shown:\n%v", r)
				}
				if r.stdout != "" {
					t.Errorf("stdout of a failed run is not empty:\n%v", r)
				}
				h.wantRuns(1, "one failing call")

				n := 1
				if code == 7 { // kubectl is slow to give up: once is enough
					kc := h.kubeconfig(execUser{})
					k := h.kubectl(kc, fail, "get", "pods")
					if k.code == 0 || !strings.Contains(k.stderr, msg) {
						t.Errorf("kubectl does not fail with the plugin's message:\n%v", k)
					}
					// client-go runs a failing plugin again for each request.
					if n = h.runs(); n < 2 {
						t.Fatalf("kubectl did not run the failing plugin: %d runs in all", n)
					}
				}

				// Nothing was cached: the next call runs the plugin again.
				ok := h.kcc("v1beta1", "", nil, h.pluginArgs()...)
				cred, err := decodeCredential([]byte(ok.stdout), "v1beta1")
				if ok.code != 0 || err != nil {
					t.Fatalf("kcc-cache with the plugin fixed: %v\n%v", err, ok)
				}
				if cred.Status.Token != h.token(n+1) {
					t.Errorf("got token %q, want the fresh %q", cred.Status.Token, h.token(n+1))
				}
				h.wantRuns(n+1, "after the plugin was fixed")
			})
		})
	}
}

// TestInvalidPluginOutput: stdout that is not a usable ExecCredential is
// passed through unchanged, with one warning, and not cached.
func TestInvalidPluginOutput(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		want := mustJSON(map[string]any{"kind": "ExecCredential", "apiVersion": groupVersion("v1beta1"), "spec": map[string]any{}}) + "\n"
		for i := 1; i <= 2; i++ {
			r := h.kcc("v1beta1", "", []string{envInvalid + "=1"}, h.pluginArgs()...)
			if r.stdout != want {
				t.Errorf("call %d: stdout %q, want the plugin's %q unchanged", i, r.stdout, want)
			}
			wantOneWarning(t, "invalid plugin output", r)
			h.wantRuns(i, "invalid output is never cached")
		}
	})
}

// TestMissingPluginAndBadConfig: a plugin that does not exist and a bad
// setting are both reported on stderr, with a non-zero exit.
func TestMissingPluginAndBadConfig(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		missing := filepath.Join(h.dir, "no-such-plugin")
		r := h.kcc("v1beta1", "", nil, missing, "get-token")
		if r.code == 0 || r.stdout != "" || !strings.Contains(r.stderr, "no-such-plugin") {
			t.Errorf("missing plugin: want a non-zero exit and its name on stderr:\n%v", r)
		}

		r = h.kcc("v1beta1", "", []string{"KUBE_CREDENTIAL_CACHE_REFRESH_MARGIN=abc"}, h.pluginArgs()...)
		lines := stderrLines(r.stderr)
		if r.code != 2 || len(lines) != 1 || !strings.Contains(lines[0], "KUBE_CREDENTIAL_CACHE_REFRESH_MARGIN") {
			t.Errorf("bad setting: want exit 2 and one line naming the variable:\n%v", r)
		}
		h.wantRuns(0, "neither call may run the plugin")
	})
}
