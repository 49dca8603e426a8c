package agent

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// The starter hands the agent the lock it took, on this descriptor, and says
// so in this variable: taking the lock and starting the agent is then one
// step, so that of many kcc-cache finding no agent at once one starts it,
// and no agent can lose its lock to a starter's check.
const (
	agentLockFd  = 3
	agentLockEnv = "KCC_AGENT_LOCK_FD"
)

// agentFailedFor is how long a failed start keeps starters from trying
// again: without it, an agent that cannot run would be started by every
// read.
const agentFailedFor = time.Minute

// spawnAgent starts command as the agent for the bus at addr, detached: a
// session of its own (no terminal's signals), /dev/null for stdio and no
// other descriptor but its lock (kubectl reads the plugin's stdout to its
// end: an agent holding it would make kubectl wait for the agent's exit),
// the root as its directory, and only the environment it needs, not the
// plugin's. It starts nothing when an agent runs or is being started (the
// lock is taken), when the runtime directory is not the user's private one,
// or within agentFailedFor of a failed start. Failing to start one costs
// nothing but the speed it would have brought. It reports whether it
// started one.
func spawnAgent(command []string, sock, addr string) bool {
	if len(command) == 0 || sock == "" || recentlyFailed(sock) {
		return false
	}
	if privateRuntimeDir(filepath.Dir(sock)) != nil {
		return false
	}
	lock, err := os.OpenFile(sock+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return false
	}
	defer lock.Close() // the agent keeps its own copy, and the lock with it
	if unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		return false
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		return false
	}
	defer null.Close()
	env := []string{"DBUS_SESSION_BUS_ADDRESS=" + addr, agentLockEnv + "=" + strconv.Itoa(agentLockFd)}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, contract.EnvPrefix+"_") || strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") || strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	closeInheritedOnExec()
	p, err := os.StartProcess(command[0], command, &os.ProcAttr{
		Dir:   "/",
		Env:   env,
		Files: []*os.File{null, null, null, lock}, // the lock is fd 3: agentLockFd
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}

// recentlyFailed reports whether an agent for sock failed to start within
// agentFailedFor (it leaves sock.failed behind).
func recentlyFailed(sock string) bool {
	fi, err := os.Stat(sock + ".failed")
	return err == nil && time.Since(fi.ModTime()) < agentFailedFor
}

// closeInheritedOnExec marks every descriptor above stdio close-on-exec.
// Go opens its own so; one this process inherited without the flag (a
// script's pipe, say) would otherwise pass to the agent and outlive us.
func closeInheritedOnExec() {
	if unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC) == nil {
		return
	}
	// Before Linux 5.11: one by one.
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range ents {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			syscall.CloseOnExec(fd)
		}
	}
}
