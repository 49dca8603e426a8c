package main

import (
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// runMainEnv makes the test binary run kcc-connect's main instead of the
// tests, so the end-to-end tests start real kcc-connect processes (with an
// environment of their own) without a separate build.
const runMainEnv = "KCC_CONNECT_TEST_RUN_MAIN"

func TestMain(m *testing.M) { testbin.Main(m, runMainEnv, run) }

// kccConnect runs kcc-connect as its own process with env (and nothing
// else of the test's environment but PATH).
func kccConnect(t *testing.T, env []string, args ...string) result {
	t.Helper()
	r := testbin.Run(t, testbin.Self(t, runMainEnv, env, args...))
	return result{r.Code, r.Stdout, r.Stderr}
}
