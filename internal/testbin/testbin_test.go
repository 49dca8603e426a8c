package testbin

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

const marker = "TESTBIN_TEST_AS_PROGRAM"

func TestMain(m *testing.M) {
	Main(m, marker, func(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
		fmt.Fprint(stdout, strings.Join(args, " "))
		fmt.Fprint(stderr, os.Getenv("GREETING"))
		return 7
	})
}

// TestSelfRun: the test binary started as the program, with its own
// environment, gives back its stdout, stderr and exit code.
func TestSelfRun(t *testing.T) {
	t.Setenv("LEAKED", "from-the-test")
	r := Run(t, Self(t, marker, []string{"GREETING=hello"}, "a", "b"))
	if r.Stdout != "a b" || r.Stderr != "hello" || r.Code != 7 {
		t.Errorf("got %+v, want stdout %q, stderr %q, exit 7", r, "a b", "hello")
	}
	cmd := Self(t, marker, nil)
	for _, kv := range cmd.Env {
		if strings.HasPrefix(kv, "LEAKED=") {
			t.Errorf("Self passes on the test's environment: %v", cmd.Env)
		}
	}
}

func TestRequire(t *testing.T) {
	if p := Require(t, "go"); p == "" {
		t.Error("no path for go")
	}
}
