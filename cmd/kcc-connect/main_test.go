package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// runMainEnv makes the test binary run kcc-connect's main instead of the
// tests, so the end-to-end tests start real kcc-connect processes (with an
// environment of their own) without a separate build.
const runMainEnv = "KCC_CONNECT_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// kccConnect runs kcc-connect as its own process with env (and nothing
// else of the test's environment but PATH).
func kccConnect(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := kccConnectCmd(t, env, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("kcc-connect %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return result{code, out.String(), errb.String()}
}

func kccConnectCmd(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append([]string{runMainEnv + "=1", "PATH=" + os.Getenv("PATH")}, env...)
	return cmd
}

// requireTool finds a program the test needs: a missing one fails the test
// under CI and skips it elsewhere.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required on PATH for this test: %v", name, err)
		}
		t.Skipf("%s not on PATH (set CI=1 to make this a failure): %v", name, err)
	}
	return p
}
