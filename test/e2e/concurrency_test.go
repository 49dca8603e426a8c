//go:build unix

package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestShellLoop: one parent (a shell loop) legitimately calls kcc-cache 30
// times. The 401 detection may take one of those for a retry, no more: the
// plugin runs at most twice.
func TestShellLoop(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		loop := `for i in $(seq 30); do "$@" || exit $?; done`
		args := append([]string{"-c", loop, "sh", kccBin}, h.pluginArgs()...)
		// Debug output only explains a failure; nothing asserts on it here.
		r := h.run(h.env(execInfo("v1beta1", ""), "KUBE_CREDENTIAL_CACHE_DEBUG=1"), "", "/bin/sh", args...)
		if r.code != 0 {
			t.Fatalf("shell loop failed:\n%v", r)
		}
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		n := 0
		for {
			var raw json.RawMessage
			err := dec.Decode(&raw)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("credential %d: %v", n+1, err)
			}
			if _, err := decodeCredential(raw, "v1beta1"); err != nil {
				t.Fatalf("credential %d: %v", n+1, err)
			}
			n++
		}
		if n != 30 {
			t.Fatalf("the loop printed %d credentials, want 30", n)
		}
		if got := h.runs(); got < 1 || got > 2 {
			t.Fatalf("30 calls from one shell loop ran the plugin %d times, want 1 or 2; stderr:\n%s", got, stderrSummary([]parallelResult{{result: r}}))
		}
	})
}

// TestConcurrentColdKubectl starts 32 kubectl processes at once on a cold
// cache; the plugin takes a second, so they all wait for the same entry. One
// plugin run (one MFA prompt), not 32.
func TestConcurrentColdKubectl(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		kubectl := requireTool(t, "kubectl")
		h.srv.acceptTokenPrefix("tok-" + h.id + "-")
		kc := h.kubeconfig(execUser{})
		// Debug output only explains a failure; nothing asserts on it here.
		env := h.env(envSleep+"=1s", "KUBE_CREDENTIAL_CACHE_DEBUG=1")
		results := parallel(32, func(int) (result, error) {
			return runCmd(env, h.dir, "", kubectl, "--kubeconfig="+kc, "get", "pods")
		})
		for i, r := range results {
			if r.err != nil {
				t.Fatalf("kubectl %d: %v", i, r.err)
			}
			if r.code != 0 || !strings.Contains(r.stdout, podName) {
				t.Errorf("kubectl %d failed:\n%v", i, r.result)
			}
		}
		if got := h.runs(); got != 1 {
			t.Fatalf("32 concurrent cold kubectl processes ran the plugin %d times, want 1; their stderr:\n%s", got, stderrSummary(results))
		}
	})
}

// TestConcurrentWritersDistinctKeys: 64 kcc-cache processes at once, each for
// its own identity (KUBE_CREDENTIAL_CACHE_USER). No write may lose another:
// 64 entries, and each identity gets its own credential back on a hit.
func TestConcurrentWritersDistinctKeys(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		const writers = 64
		user := func(i int) string { return fmt.Sprintf("writer-%s-%02d", h.id, i) }
		call := func(i int) (result, error) {
			env := h.env(execInfo("v1beta1", ""), "KUBE_CREDENTIAL_CACHE_USER="+user(i), "KUBE_CREDENTIAL_CACHE_DEBUG=1")
			return runCmd(env, h.dir, "", "/bin/sh", append([]string{"-c", `"$@"; exit $?`, "sh", kccBin}, h.pluginArgs()...)...)
		}
		var stderrs []parallelResult
		tokens := func(pass string) []string {
			t.Helper()
			out := make([]string, writers)
			results := parallel(writers, call)
			stderrs = append(stderrs, results...)
			for i, r := range results {
				if r.err != nil {
					t.Fatalf("%s, writer %d: %v", pass, i, r.err)
				}
				if r.code != 0 {
					t.Fatalf("%s, writer %d failed:\n%v", pass, i, r.result)
				}
				cred, err := decodeCredential([]byte(r.stdout), "v1beta1")
				if err != nil {
					t.Fatalf("%s, writer %d: %v", pass, i, err)
				}
				out[i] = cred.Status.Token
			}
			return out
		}
		first := tokens("cold")
		h.wantRuns(writers, "64 cold writers")

		entries, r := h.list()
		mine := len(h.own(entries))
		if mine != writers || (h.backend == "file" && len(entries) != writers) {
			t.Fatalf("--list has %d entries of this test (of %d), want %d:\n%s\nthe writers' stderr:\n%s", mine, len(entries), writers, r.stdout, stderrSummary(stderrs))
		}

		second := tokens("warm")
		if got := h.runs(); got != writers {
			t.Fatalf("64 warm readers: the plugin ran %d times in all, want %d; stderr:\n%s", got, writers, stderrSummary(stderrs))
		}
		for i := range writers {
			if first[i] != second[i] {
				t.Errorf("%s: got %q on the hit, want its own %q", user(i), second[i], first[i])
			}
		}
	})
}

type parallelResult struct {
	result
	err error
}

// parallel runs f(0..n-1) at once and returns the results in order.
func parallel(n int, f func(i int) (result, error)) []parallelResult {
	out := make([]parallelResult, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Go(func() {
			start.Wait()
			r, err := f(i)
			out[i] = parallelResult{r, err}
		})
	}
	start.Done()
	done.Wait()
	return out
}

// stderrSummary counts the distinct stderr lines of many processes, with
// numbers and hex digests masked so that lines differing only in times or
// keys group together.
func stderrSummary(results []parallelResult) string {
	counts := map[string]int{}
	for _, r := range results {
		for _, l := range stderrLines(r.stderr) {
			counts[digits.ReplaceAllString(l, "#")]++
		}
	}
	lines := make([]string, 0, len(counts))
	for l, n := range counts {
		lines = append(lines, fmt.Sprintf("%4d× %s", n, l))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

var digits = regexp.MustCompile(`[0-9a-f]{6,}|[0-9]+`)
