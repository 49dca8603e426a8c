// Package motoserver runs moto_server, the AWS emulator, for tests: one
// child process per call on a free port of 127.0.0.1, stopped when the test
// ends. Point the SDK or the AWS CLI at it with AWS_ENDPOINT_URL.
//
// moto_server is part of the machines this project is tested on (it ships
// with their Python, it is not installable from the registries the suite may
// reach), so under CI (env CI set) a missing moto_server fails the test with
// one clear line instead of skipping it.
package motoserver

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/localserver"
)

// startTimeout bounds one start: moto_server needs ~0.7 s on an idle machine
// and much longer on a loaded 2-core CI runner; the tests judge correctness,
// not this.
const startTimeout = 90 * time.Second

// Start starts moto_server on a free port of 127.0.0.1, waits until it
// answers, stops it at t.Cleanup and returns its endpoint
// ("http://127.0.0.1:PORT").
func Start(t testing.TB) string {
	t.Helper()
	return startWith(t, nil)
}

// samlPatch is the sitecustomize module StartSAML puts on moto_server's
// PYTHONPATH.
//
//go:embed samlpatch/sitecustomize.py
var samlPatch []byte

// StartSAML is Start with STS AssumeRoleWithSAML made to act as AWS does
// with several roles in one assertion (samlpatch/sitecustomize.py): moto
// 5.2 answers HTTP 500 to a Role attribute with more than one value and
// takes the account of the first value whatever RoleArn asks. The
// replacement picks the value naming RoleArn and PrincipalArn, in either
// order, and refuses a role the assertion does not carry (AccessDenied).
func StartSAML(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sitecustomize.py"), samlPatch, 0o600); err != nil {
		t.Fatal(err)
	}
	return startWith(t, []string{"PYTHONPATH=" + dir})
}

func startWith(t testing.TB, env []string) string {
	t.Helper()
	bin := lookPath(t)
	var err error
	// The free port is only free when we looked: another process may take it
	// before moto_server binds it, so a start that fails is tried again.
	for range 3 {
		var endpoint string
		if endpoint, err = start(t, bin, env); err == nil {
			return endpoint
		}
	}
	t.Fatalf("moto_server did not start: %v", err)
	return ""
}

// lookPath finds moto_server: a missing one is a failure under CI and a skip
// elsewhere.
func lookPath(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err == nil {
		return bin
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("moto_server (the AWS emulator of these machines' Python) is required on PATH: %v", err)
	}
	t.Skipf("moto_server not on PATH (set CI=1 to make this a failure): %v", err)
	return ""
}

func start(t testing.TB, bin string, env []string) (string, error) {
	port, err := localserver.FreePort()
	if err != nil {
		return "", err
	}
	endpoint := "http://127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	// moto_server reads no AWS settings of ours, but keep the test's
	// credentials out of its environment anyway.
	cmd.Env = append(scrubbedEnv(), env...)
	out := &localserver.Output{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start %s: %w", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	if err := localserver.WaitReady("moto_server", endpoint+"/moto-api/data.json", exited, startTimeout); err != nil {
		stop()
		return "", fmt.Errorf("%w\nmoto_server output:\n%s", err, out.String())
	}
	t.Cleanup(stop)
	return endpoint, nil
}

// scrubbedEnv is the environment without AWS_* variables.
func scrubbedEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		if len(e) < 4 || e[:4] != "AWS_" {
			env = append(env, e)
		}
	}
	return env
}
