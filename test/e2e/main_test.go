//go:build unix

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var (
	// kccBin is the kcc-cache binary built by TestMain; buildErr says why not.
	kccBin   string
	buildErr error
	// selfBin is this test binary, run as the test plugin.
	selfBin string
	// runtimeDir is the XDG_RUNTIME_DIR of every process the tests start:
	// where kcc-cache's Secret Service agent has its socket, one for the
	// whole run (as one user's session has), never the user's own.
	runtimeDir string
)

func TestMain(m *testing.M) {
	if os.Getenv(envPlugin) == "1" {
		os.Exit(runPlugin())
	}
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "kcc-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if runtimeDir, err = os.MkdirTemp("", "kcc-rt-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(runtimeDir)
	if selfBin, err = os.Executable(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	kccBin, buildErr = buildKCC(filepath.Join(dir, "kcc-cache"))
	defer stopAgents()
	return m.Run()
}

// agentFlag is how kcc-cache starts its Secret Service agent.
const agentFlag = "--secret-service-agent"

// agents returns the pids of the Secret Service agents our kcc-cache started.
func agents() []int {
	var pids []int
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", p.Name(), "cmdline"))
		if err == nil && kccBin != "" && string(cmdline) == kccBin+"\x00"+agentFlag+"\x00" {
			pids = append(pids, pid)
		}
	}
	return pids
}

// stopAgents ends the agents the run started: they would end with the bus
// of the run, or when idle, but a run leaves nothing behind.
func stopAgents() {
	for _, pid := range agents() {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
}

// buildKCC builds ./cmd/kcc-cache of this module into out.
func buildKCC(out string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/kcc-cache")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/kcc-cache: %w\n%s", err, b)
	}
	return out, nil
}

// requireKCC fails the test when kcc-cache did not build.
func requireKCC(t *testing.T) {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("kcc-cache did not build: %v", buildErr)
	}
}

// requireTool returns the path of a program the test needs. A missing program
// fails the test under CI (CI set) and skips it elsewhere.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required on PATH for this end-to-end test: %v", name, err)
		}
		t.Skipf("%s not on PATH (set CI=1 to make this a failure): %v", name, err)
	}
	return p
}
