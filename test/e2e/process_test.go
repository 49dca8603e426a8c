//go:build unix

package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

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
