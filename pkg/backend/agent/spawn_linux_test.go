package agent

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus/dbustest"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

// A kcc-cache that reads or stores without an agent starts one, detached:
// a session of its own, and none of the client's descriptors. kubectl reads
// the plugin's stdout to its end, so a client whose stdout, or any other
// descriptor it was given without close-on-exec, reached the agent would
// keep its caller waiting for the agent's exit. The client here is a child
// process with a pipe for stdout and another pipe inherited as fd 3; both
// must reach their end when the client exits. Then the next client is
// served by that agent.
func TestAgentStartedDetached(t *testing.T) {
	k, _, opts := hintedKeyring(t)
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	t.Setenv("XDG_RUNTIME_DIR", dbustest.ShortTempDir(t))
	t.Setenv("KUBE_CREDENTIAL_CACHE_AGENT_IDLE", "1m")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	inheritedR, inheritedW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer inheritedR.Close()
	client := exec.Command(exe, spawnHelperArg)
	client.Env = append(os.Environ(), "KCC_HELPER_DIR="+opts, "KCC_HELPER_KEY="+key)
	client.ExtraFiles = []*os.File{inheritedW} // fd 3, without close-on-exec
	var out strings.Builder
	client.Stdout, client.Stderr = &out, &out
	// Run returns once the client exited and its stdout pipe reached its
	// end; WaitDelay turns a pipe held by anyone else into an error.
	client.WaitDelay = 10 * time.Second
	err = client.Run()
	inheritedW.Close()
	if err != nil {
		t.Fatalf("client: %v\n%s", err, out.String())
	}
	eof := make(chan error, 1)
	go func() { _, err := io.ReadAll(inheritedR); eof <- err }()
	select {
	case <-eof:
	case <-time.After(10 * time.Second):
		t.Fatal("a descriptor the client inherited is still open after it exited: the agent holds it")
	}

	addr, _ := secretservice.SessionBusAddress()
	sock := Socket(addr)
	deadline := time.Now().Add(keyringtest.HangGuard)
	var a *agentClient
	for a = dialAgent(sock, time.Second); a == nil; a = dialAgent(sock, time.Second) {
		if time.Now().After(deadline) {
			t.Fatalf("no agent started; the client said:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cred, err := unix.GetsockoptUcred(a.fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
	a.close()
	if err != nil {
		t.Fatal(err)
	}
	pid := int(cred.Pid)
	t.Cleanup(func() { _ = unix.Kill(pid, unix.SIGKILL) })
	if sid, err := unix.Getsid(pid); err != nil || sid != pid {
		t.Errorf("agent's session %d (%v), want its own (%d)", sid, err, pid)
	}
	if _, err := getThroughAgent(t, opts, key); err != nil {
		t.Fatal(err)
	}
}

// spawnHelperArg makes the test binary a kcc-cache-like client that stores
// one record with the agent enabled, which starts the agent.
const spawnHelperArg = "--test-store-with-agent"

func runSpawnHelper() int {
	exe, err := os.Executable()
	if err != nil {
		return 1
	}
	v, err := OpenVault(secretservice.Options{Bound: 2 * time.Second, HintDir: os.Getenv("KCC_HELPER_DIR")}, []string{exe, agentHelperArg})
	if err != nil {
		return 1
	}
	defer v.Close()
	if err := (store{Blobs: v}).Put(keyringtest.NewRecord(os.Getenv("KCC_HELPER_KEY"), "u @ s", 10)); err != nil {
		return 1
	}
	return 0
}

// agentHelperArg makes the test binary run the agent (TestMain), as
// kcc-cache does with its own flag.
const agentHelperArg = "--test-secret-service-agent"

func init() {
	argHelpers[agentHelperArg] = runAgentHelper
	argHelpers[spawnHelperArg] = runSpawnHelper
	argHelpers[getHelperArg] = runGetHelper
	argHelpers[connectHelperArg] = runConnectHelper
}

func runAgentHelper() int {
	idle, err := time.ParseDuration(os.Getenv("KUBE_CREDENTIAL_CACHE_AGENT_IDLE"))
	if err != nil {
		idle = time.Minute
	}
	if err := Serve(Options{Timeout: 2 * time.Second, Idle: idle}); err != nil && !errors.Is(err, ErrRunning) {
		return 1
	}
	return 0
}

// A starter takes the agent's lock and hands it to the agent it starts, so
// that of many kcc-cache finding no agent at once one starts it; none starts
// one where the runtime directory is not private, or soon after a failed
// start.
func TestSpawnAgentHandsTheLockOn(t *testing.T) {
	rt := dbustest.ShortTempDir(t)
	t.Setenv("XDG_RUNTIME_DIR", rt)
	sock := Socket("unix:path=/kcc-test-bus")
	pidFile := filepath.Join(rt, "pid")
	// A stand-in agent: it records its pid and holds what it inherited.
	command := []string{"/bin/sh", "-c", "echo $$ >" + pidFile + "; exec sleep 60"}
	if !spawnAgent(command, sock, "unix:path=/kcc-test-bus") {
		t.Fatal("no agent started with the lock free")
	}
	var pid int
	deadline := time.Now().Add(keyringtest.HangGuard)
	for {
		b, _ := os.ReadFile(pidFile)
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			pid = n
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the stand-in agent did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Cleanup(func() { _ = unix.Kill(pid, unix.SIGKILL) })
	if spawnAgent(command, sock, "unix:path=/kcc-test-bus") {
		t.Error("a second agent started while the first holds the lock")
	}
	fd, err := unix.Open(sock+".lock", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB) == nil {
		t.Error("the started agent does not hold the lock")
	}

	// A failed start holds starters off for a while.
	other := Socket("unix:path=/kcc-test-bus-2")
	if err := os.WriteFile(other+".failed", []byte("no bus\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if spawnAgent([]string{"/bin/true"}, other, "unix:path=/kcc-test-bus-2") {
		t.Error("an agent started right after a failed start")
	}
	old := time.Now().Add(-2 * agentFailedFor)
	if err := os.Chtimes(other+".failed", old, old); err != nil {
		t.Fatal(err)
	}
	if !spawnAgent([]string{"/bin/true"}, other, "unix:path=/kcc-test-bus-2") {
		t.Error("no agent started long after a failed start")
	}

	// Nor in a runtime directory others may enter.
	if err := os.Chmod(rt, 0o755); err != nil {
		t.Fatal(err)
	}
	if spawnAgent([]string{"/bin/true"}, Socket("unix:path=/kcc-test-bus-3"), "unix:path=/kcc-test-bus-3") {
		t.Error("an agent started in a runtime directory that is not private")
	}
}
