// Package testbin is what the commands' tests share to run programs: a tool
// they need from PATH (a failure under CI, a skip elsewhere), a command of
// this module built into a directory, and a process run to completion with
// its stdout, stderr and exit code.
package testbin

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Module is this repository's module path.
const Module = "github.com/IvMisticos/kube-credential-cache"

// Require returns the path of the program name on PATH. A missing one fails
// the test under CI (CI set), where every tool the tests need is installed,
// and skips it elsewhere: a skip must never pass for a test run.
func Require(t testing.TB, name string) string {
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

// Build builds the command cmd/NAME of this module into dir and returns the
// binary's path (NAME, or NAME.exe on Windows). ldflags, when given, are
// passed to the linker, e.g. "-X main.version=1.2.3".
func Build(t testing.TB, dir, name string, ldflags ...string) string {
	t.Helper()
	goTool := Require(t, "go")
	path := filepath.Join(dir, name)
	if runtime.GOOS == "windows" {
		path += ".exe"
	}
	args := []string{"build", "-o", path}
	if len(ldflags) > 0 {
		args = append(args, "-ldflags", strings.Join(ldflags, " "))
	}
	out, err := exec.Command(goTool, append(args, Module+"/cmd/"+name)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build %s: %v\n%s", name, err, out)
	}
	return path
}

// Result is what one process left.
type Result struct {
	Stdout, Stderr string
	Code           int
	Elapsed        time.Duration
}

// Run runs cmd to completion, capturing its stdout and stderr, and returns
// them with its exit code. A process that could not start fails the test;
// one killed (by its context, say) has exit code -1.
func Run(t testing.TB, cmd *exec.Cmd) Result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := Result{Stdout: stdout.String(), Stderr: stderr.String(), Elapsed: time.Since(start)}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		r.Code = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", strings.Join(cmd.Args, " "), err)
	}
	return r
}

// Self is a command that runs this test binary again with args and an
// environment of env alone, plus PATH and marker=1: the binary's TestMain
// sees marker and runs the program under test instead of the tests (see
// Main), so tests start it as a real process, in parallel, each with an
// environment of its own, without a separate build.
func Self(t testing.TB, marker string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	return SelfContext(context.Background(), t, marker, env, args...)
}

// SelfContext is Self with a context that kills the process when done.
func SelfContext(ctx context.Context, t testing.TB, marker string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Env = append([]string{marker + "=1", "PATH=" + os.Getenv("PATH")}, env...)
	return cmd
}

// Main is a TestMain for a binary's package: when Self started the process
// with marker, it is the binary (run with the process's arguments and
// stdio); otherwise the tests run.
func Main(m *testing.M, marker string, run func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int) {
	if os.Getenv(marker) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
