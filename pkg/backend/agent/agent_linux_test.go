package agent

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus/dbustest"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// The Secret Service agent against the real Secret
// Service: it serves hits without the client touching the bus, never serves
// what a finished change took away or another key's secret, runs once per
// bus, and ends when idle or when the bus goes.

// noAgentCommand is an agent command for clients that must find a running
// agent: starting one would fail, and these tests start theirs themselves.
var noAgentCommand = []string{"/nonexistent/kcc-cache-agent"}

// agentRun is an agent this test runs in its own process.
type agentRun struct {
	sock string
	done chan struct{} // closed when ServeAgent returned
	err  error         // what it returned, once done
}

// wait waits for the agent to end and returns what it returned.
func (a *agentRun) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-a.done:
		return a.err
	case <-time.After(hangGuard):
		t.Fatal("the agent did not end")
		return nil
	}
}

// runAgent runs the agent in this process, for the bus the test uses and a
// runtime directory of the test's own, until the test ends, and returns once
// it takes connections.
func runAgent(t *testing.T, idle time.Duration) *agentRun {
	t.Helper()
	t.Setenv("XDG_RUNTIME_DIR", dbustest.ShortTempDir(t))
	addr, err := secretservice.SessionBusAddress()
	if err != nil {
		t.Fatal(err)
	}
	run := &agentRun{sock: Socket(addr), done: make(chan struct{})}
	stopR, stopW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(run.done)
		run.err = Serve(Options{Timeout: 2 * time.Second, Idle: idle, stop: stopR})
	}()
	t.Cleanup(func() {
		stopW.Close()
		run.wait(t)
		stopR.Close()
	})
	deadline := time.Now().Add(hangGuard)
	for {
		if a := dialAgent(run.sock, time.Second); a != nil {
			a.close()
			return run
		}
		select {
		case <-run.done:
			t.Fatalf("the agent ended before it served: %v", run.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the agent did not come up")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// getThroughAgent reads key with a new client and checks that the agent
// served it, without the client ever connecting to the bus.
func getThroughAgent(t *testing.T, opts string, key string) (record.Record, error) {
	t.Helper()
	k, ss := agentKeyring(t, opts, noAgentCommand)
	rec, err := k.Get(key)
	if !ss.seen {
		t.Fatal("the client did not reach the running agent")
	}
	if err == nil && (!ss.via || ss.Conn() != nil) {
		t.Fatalf("served %s, with a bus connection %v; want the agent's answer and no connection", ss.Route(), ss.Conn() != nil)
	}
	return rec, err
}

func TestAgentServesHitsWithoutTheBus(t *testing.T) {
	k, _, opts := hintedKeyring(t)
	key := newKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	want := newRecord(key, "u @ s", 1600)
	if err := k.Put(want); err != nil {
		t.Fatal(err)
	}
	runAgent(t, time.Minute)
	for i := range 3 { // read, then from the agent's memory
		got, err := getThroughAgent(t, opts, key)
		if err != nil {
			t.Fatalf("hit %d: %v", i, err)
		}
		sameRecord(t, got, want)
	}
}

// Every change made before a hit starts is seen by that hit: a replaced
// credential, a deleted item, a new one. Repeated, since the property is
// about the order in which the signal and the next request reach the agent.
func TestAgentSeesEveryFinishedChange(t *testing.T) {
	k, _, opts := hintedKeyring(t)
	key := newKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	runAgent(t, time.Minute)
	for i := range 20 {
		want := newRecord(key, "round "+strconv.Itoa(i), 100+i)
		if err := k.Put(want); err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second from memory
			got, err := getThroughAgent(t, opts, key)
			if err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
			sameRecord(t, got, want)
		}
		if i%4 == 3 {
			// Deleted behind the hint's back, so that the next hit still asks
			// the agent, which holds the secret in memory.
			deleteBehindTheHint(t, key)
			k2, ss2 := agentKeyring(t, opts, noAgentCommand)
			if got, err := k2.Get(key); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("round %d, after Delete: %.12s, %v; want it missing", i, got.Key, err)
			}
			if !ss2.seen {
				t.Fatalf("round %d: the read after the deletion did not ask the agent", i)
			}
		}
	}
}

// A locked collection stops the agent's hits at once, as it stops a direct
// read: the agent may have the secret in memory, the lock still wins.
func TestAgentAndALockedCollection(t *testing.T) {
	addr := privateBus(t)
	privateKeyring(t, addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	k, _, opts := hintedKeyring(t)
	key := newKey(t)
	want := newRecord(key, "u @ s", 10)
	if err := k.Put(want); err != nil {
		t.Fatal(err)
	}
	runAgent(t, time.Minute)
	got, err := getThroughAgent(t, opts, key)
	if err != nil {
		t.Fatal(err)
	}
	sameRecord(t, got, want)
	lockDefaultCollection(t, addr)
	k2, ss := agentKeyring(t, opts, noAgentCommand)
	if got, err := k2.Get(key); err == nil || ss.via {
		t.Fatalf("after the lock: %.12s (%s), %v; want no credential", got.Key, ss.Route(), err)
	}
}

// rawAgentRequest sends one request line as given and returns the reply.
func rawAgentRequest(t *testing.T, sock, line string) string {
	t.Helper()
	a := dialAgent(sock, 5*time.Second)
	if a == nil {
		t.Fatal("no agent")
	}
	defer a.close()
	if err := writeAll(a.fd, []byte(line)); err != nil {
		t.Fatal(err)
	}
	reply, err := readAll(a.fd, maxAgentReply)
	if errors.Is(err, unix.ECONNRESET) {
		return "" // closed on a request it did not read to its end
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(reply)
}

// The agent sends a secret only for the key it was written for, whatever
// item the request names, and a malformed request gets nothing.
func TestAgentServesOnlyTheKeyAsked(t *testing.T) {
	k, ss, _ := hintedKeyring(t)
	a, b := newKey(t), newKey(t)
	for _, key := range []string{a, b} {
		t.Cleanup(func() { _ = k.Delete(key) })
		if err := k.Put(newRecord(key, "u @ s", 10)); err != nil {
			t.Fatal(err)
		}
	}
	itemA, itemB := itemOf(t, ss, a), itemOf(t, ss, b)
	sock := runAgent(t, time.Minute).sock
	for _, tc := range []struct{ name, line, want string }{
		{"its own item", agentProtocol + " get " + a + " " + string(itemA) + "\n", "ok "},
		{"another key's item", agentProtocol + " get " + a + " " + string(itemB) + "\n", "miss\n"},
		{"no such item", agentProtocol + " get " + a + " " + string(itemA) + "99\n", "miss\n"},
		{"another protocol", "kcc-agent-0 get " + a + " " + string(itemA) + "\n", ""},
		{"not an item path", agentProtocol + " get " + a + " /org/freedesktop/DBus\n", ""},
		{"a bad key", agentProtocol + " get ../" + a + " " + string(itemA) + "\n", ""},
		{"too long", agentProtocol + " get " + strings.Repeat("a", 600) + "\n", ""},
		{"extra fields", agentProtocol + " get " + a + " " + string(itemA) + " x\n", ""},
	} {
		got := rawAgentRequest(t, sock, tc.line)
		if tc.want == "ok " {
			header, secret, _ := strings.Cut(got, "\n")
			if header != "ok "+strconv.Itoa(len(secret)) || !strings.HasPrefix(secret, "kcck "+a+"\n") {
				t.Errorf("%s: reply %.60q, want ok, its length and the secret tagged with the key", tc.name, got)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("%s: reply %.40q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestAgentRunsOncePerBus(t *testing.T) {
	runAgent(t, time.Minute)
	if err := Serve(Options{Timeout: time.Second, Idle: time.Minute}); !errors.Is(err, ErrRunning) {
		t.Fatalf("a second agent: %v, want ErrRunning", err)
	}
}

func TestAgentEndsWhenIdle(t *testing.T) {
	run := runAgent(t, 300*time.Millisecond)
	if err := run.wait(t); err != nil {
		t.Fatalf("idle agent ended with %v, want nil", err)
	}
	sock := run.sock
	if _, err := os.Lstat(sock); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("socket left after the agent ended: %v", err)
	}
	if a := dialAgent(sock, time.Second); a != nil {
		a.close()
		t.Error("something still answers at the socket")
	}
}

// The end of the session (its bus) ends the agent, even while idle.
func TestAgentEndsWithTheBus(t *testing.T) {
	lookPath(t, "dbus-daemon")
	addr, killBus := dbustest.StartBus(t, "")
	privateKeyring(t, addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	run := runAgent(t, time.Hour)
	killBus()
	if err := run.wait(t); err == nil || !strings.Contains(err.Error(), "bus went away") {
		t.Fatalf("agent ended with %v, want the bus's end", err)
	}
}

// A client whose agent answers nothing useful reads the item itself: an
// agent is a shortcut, never a new way to fail.
func TestAgentMissFallsBackToTheBus(t *testing.T) {
	k, _, opts := hintedKeyring(t)
	key := newKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	// An untagged item, as an older kcc-cache wrote it: the agent refuses
	// it, the client's own search serves it.
	storeRaw(t, key, blob.Encode(newRecord(key, "old", 10)))
	writeHint(t, opts, key, searchItem(t, key))
	runAgent(t, time.Minute)
	k2, ss2 := agentKeyring(t, opts, noAgentCommand)
	if _, err := k2.Get(key); err != nil || ss2.via {
		t.Fatalf("untagged item: %v via %s; want it read from the Secret Service", err, ss2.Route())
	}
}

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
	key := newKey(t)
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
	deadline := time.Now().Add(hangGuard)
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
	if err := (store{v}).Put(newRecord(os.Getenv("KCC_HELPER_KEY"), "u @ s", 10)); err != nil {
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

func TestPeerIsUs(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	if !peerIsUs(fds[0]) {
		t.Error("a socket pair of this process: not us")
	}
	pipe, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer pipe.Close()
	if peerIsUs(int(pipe.Fd())) {
		t.Error("a file has no peer, yet it is us")
	}
}

func TestAgentSocketPath(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "")
	if s := Socket("unix:path=/x"); s != "" {
		t.Errorf("without XDG_RUNTIME_DIR: %q, want none", s)
	}
	t.Setenv("XDG_RUNTIME_DIR", "relative/dir")
	if s := Socket("unix:path=/x"); s != "" {
		t.Errorf("with a relative XDG_RUNTIME_DIR: %q, want none", s)
	}
	t.Setenv("XDG_RUNTIME_DIR", "/"+strings.Repeat("d", 100))
	if s := Socket("unix:path=/x"); s != "" {
		t.Errorf("too long for a socket: %q, want none", s)
	}
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/1000")
	a, b := Socket("unix:path=/a"), Socket("unix:path=/b")
	if a == b || !strings.HasPrefix(a, "/run/user/1000/kube-credential-cache/agent-") {
		t.Errorf("sockets %q and %q: want one per bus, in the runtime dir", a, b)
	}
}

// readAll reads fd to its end, at most limit bytes.
func readAll(fd int, limit int) ([]byte, error) {
	buf := make([]byte, 0, 4096)
	for {
		if len(buf) == cap(buf) {
			if len(buf) >= limit {
				return nil, errors.New("agent reply too long")
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := unix.Read(fd, buf[len(buf):cap(buf)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}

// The client reads exactly the announced secret, and nothing it cannot
// parse: a short, overlong or malformed reply is no reply.
func TestReadAgentReply(t *testing.T) {
	for _, tc := range []struct {
		reply string
		want  string
		ok    bool
	}{
		{"ok 3\nabc", "abc", true},
		{"ok 0\n", "", true},
		{"ok 3\nab", "", false},               // cut short
		{"ok 3\nabcd", "", false},             // more than announced
		{"miss\n", "", false},                 // the agent's no
		{"ok -1\n", "", false},                // a negative length
		{"ok 9999999999\n", "", false},        // beyond any credential
		{"ok x\nabc", "", false},              // not a number
		{"ok 3", "", false},                   // no end of header
		{strings.Repeat("o", 100), "", false}, // a header that never ends
	} {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := writeAll(fds[1], []byte(tc.reply)); err != nil {
			t.Fatal(err)
		}
		unix.Close(fds[1])
		got, ok := readAgentReply(fds[0], time.Now().Add(hangGuard))
		unix.Close(fds[0])
		if ok != tc.ok || string(got) != tc.want {
			t.Errorf("reply %.30q: %q, %v; want %q, %v", tc.reply, got, ok, tc.want, tc.ok)
		}
	}
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
	deadline := time.Now().Add(hangGuard)
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

// fakeAgent listens at the agent's socket for the bus in use and answers
// each connection with respond, standing for an agent that misbehaves.
func fakeAgent(t *testing.T, respond func(fd int)) {
	t.Helper()
	t.Setenv("XDG_RUNTIME_DIR", dbustest.ShortTempDir(t))
	addr, err := secretservice.SessionBusAddress()
	if err != nil {
		t.Fatal(err)
	}
	sock := Socket(addr)
	if err := privateRuntimeDir(filepath.Dir(sock)); err != nil {
		t.Fatal(err)
	}
	lfd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Bind(lfd, &unix.SockaddrUnix{Name: sock}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(lfd, 16); err != nil {
		t.Fatal(err)
	}
	if respond == nil { // a dead agent's socket: nobody accepts
		unix.Close(lfd)
		return
	}
	t.Cleanup(func() { unix.Shutdown(lfd, unix.SHUT_RDWR); unix.Close(lfd) })
	go func() {
		for {
			fd, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC)
			if err != nil {
				return
			}
			go func() {
				defer unix.Close(fd)
				buf := make([]byte, 512)
				_, _ = unix.Read(fd, buf)
				respond(fd)
			}()
		}
	}()
}

// Whatever an agent does, a client gets its own credential: from the agent
// when it answers right, else from the Secret Service.
func TestMisbehavingAgent(t *testing.T) {
	for _, tc := range []struct {
		name    string
		respond func() func(fd int)
	}{
		{"another key's secret", func() func(int) {
			other := secretservice.Tag(strings.Repeat("0", 64), blob.Encode(newRecord(strings.Repeat("0", 64), "someone else", 10)))
			return func(fd int) { _ = writeAll(fd, append([]byte("ok "+strconv.Itoa(len(other))+"\n"), other...)) }
		}},
		// Reads on, past the request, until the client gives up and closes.
		{"silence", func() func(int) { return func(fd int) { _, _ = unix.Read(fd, make([]byte, 1)) } }},
		{"cut short", func() func(int) { return func(fd int) { _ = writeAll(fd, []byte("ok 900\nkcck ")) } }},
		{"nonsense", func() func(int) { return func(fd int) { _ = writeAll(fd, []byte("hello\n")) } }},
		{"a dead agent's socket", func() func(int) { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, _, opts := hintedKeyring(t)
			key := newKey(t)
			t.Cleanup(func() { _ = k.Delete(key) })
			want := newRecord(key, "u @ s", 10)
			if err := k.Put(want); err != nil {
				t.Fatal(err)
			}
			fakeAgent(t, tc.respond())
			k2, ss := agentKeyring(t, opts, noAgentCommand)
			got, err := k2.Get(key)
			if err != nil || ss.via {
				t.Fatalf("%v, via %s; want the record from the Secret Service", err, ss.Route())
			}
			sameRecord(t, got, want)
		})
	}
}

// The agent serves a secret from memory for agentMemory after reading it,
// by its own clock only.
func TestAgentMemoryAge(t *testing.T) {
	const item = dbus.ObjectPath("/org/freedesktop/secrets/collection/login/1")
	for _, tt := range []struct {
		name   string
		after  time.Duration
		item   dbus.ObjectPath
		served bool
	}{
		{"at once", 0, item, true},
		{"just inside", agentMemory - time.Nanosecond, item, true},
		{"at the bound", agentMemory, item, false},
		{"long after", time.Hour, item, false},
		{"another item", 0, item + "0", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clock := 1000 * time.Hour
			mem := newAgentSecrets(0)
			mem.now = func() time.Duration { return clock }
			mem.keep("k", item, []byte("s"))
			clock += tt.after
			if _, ok := mem.lookup("k", tt.item); ok != tt.served {
				t.Fatalf("served %v, want %v", ok, tt.served)
			}
		})
	}
}

// The agent's clock is CLOCK_BOOTTIME: unlike the wall clock it never
// steps back (setting the wall clock back an hour kept every secret in
// memory an hour more), and unlike Go's monotonic clock it counts a
// suspend. (The wall clock cannot be set in a test without setting it for
// the whole machine, and faketime does not reach a Go binary's clock
// reads: so this pins which clock the agent reads.)
func TestAgentClockIsBootTime(t *testing.T) {
	boot := func() time.Duration {
		var ts unix.Timespec
		if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ts.Nano())
	}
	before := boot()
	got := agentClock()
	after := boot()
	if got < before || got > after {
		t.Fatalf("agentClock() = %v, want CLOCK_BOOTTIME, between %v and %v", got, before, after)
	}
}

// unshareWraps run a command in a mount or user namespace of its own, as
// the same uid: a sandbox of the same user. The mount namespace needs
// root; the user namespace (mapping our uid to itself) does not.
type nsWrap struct {
	name string
	args []string
	root bool
}

var unshareWraps = []nsWrap{
	{"mount namespace", []string{"unshare", "--mount", "--propagation", "private"}, true},
	{"user namespace", []string{"unshare", "--user", "--map-current-user"}, false},
}

// namespaceWrap returns the wrap's command line, or skips (outside CI) when
// this machine cannot make that namespace.
func namespaceWrap(t *testing.T, args []string, root bool) []string {
	t.Helper()
	lookPath(t, "unshare")
	probe := exec.Command(args[0], append(args[1:], "true")...)
	if out, err := probe.CombinedOutput(); err != nil {
		msg := "cannot make a " + strings.Join(args, " ") + ": " + err.Error() + ": " + strings.TrimSpace(string(out))
		if root && os.Geteuid() != 0 {
			msg += " (needs root)"
		}
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return args
}

// connectHelperArg makes the test binary connect to the socket its next
// argument names and wait until the other end closes.
const connectHelperArg = "--test-connect"

func runConnectHelper() int {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil || unix.Connect(fd, &unix.SockaddrUnix{Name: os.Args[2]}) != nil {
		return 1
	}
	_, _ = readAll(fd, 1)
	return 0
}

// The agent serves a process of our uid only in our mount and user
// namespaces.
func TestPeerAllowed(t *testing.T) {
	own, err := readNamespaces("self")
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		nsWrap
		want bool
	}{{nsWrap: nsWrap{name: "our namespaces"}, want: true}}
	for _, w := range unshareWraps {
		tests = append(tests, struct {
			nsWrap
			want bool
		}{w, false})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var wrap []string
			if tt.args != nil {
				wrap = namespaceWrap(t, tt.args, tt.root)
			}
			sock := filepath.Join(dbustest.ShortTempDir(t), "s")
			lfd, err := listenUnix(sock)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Close(lfd)
			args := append(wrap, exe, connectHelperArg, sock)
			peer := exec.Command(args[0], args[1:]...)
			if err := peer.Start(); err != nil {
				t.Fatal(err)
			}
			defer peer.Wait()
			fds := []unix.PollFd{{Fd: int32(lfd), Events: unix.POLLIN}}
			if n, err := unix.Poll(fds, int(hangGuard.Milliseconds())); err != nil || n != 1 {
				t.Fatalf("the peer did not connect: %v", err)
			}
			fd, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Close(fd)
			if got := peerAllowed(fd, own); got != tt.want {
				t.Errorf("peerAllowed = %v, want %v", got, tt.want)
			}
		})
	}
	// A peer whose namespaces cannot be read (none: a file) is refused.
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if peerAllowed(int(f.Fd()), own) {
		t.Error("a file has no peer, yet it is allowed")
	}
}

// getHelperArg makes the test binary a kcc-cache-like client that reads one
// key with the agent enabled and says which way it came.
const getHelperArg = "--test-get-with-agent"

func runGetHelper() int {
	v, err := OpenVault(secretservice.Options{Bound: 2 * time.Second, HintDir: os.Getenv("KCC_HELPER_DIR")}, noAgentCommand)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer v.Close()
	rec, err := store{v}.Get(os.Getenv("KCC_HELPER_KEY"))
	if err != nil {
		fmt.Println(err)
		return 1
	}
	ss := v
	fmt.Printf("agent reached %v, read %s, label %s\n", ss.seen, ss.Route(), rec.Label)
	return 0
}

// A client of our uid in another mount or user namespace is refused by the
// agent and reads the Secret Service itself: it never gets the secret from
// the agent.
func TestAgentRefusesAnotherNamespace(t *testing.T) {
	k, _, opts := hintedKeyring(t)
	key := newKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	if err := k.Put(newRecord(key, "u @ s", 10)); err != nil {
		t.Fatal(err)
	}
	run := runAgent(t, time.Minute)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	get := func(t *testing.T, wrap []string) string {
		t.Helper()
		args := append(wrap, exe, getHelperArg)
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "KCC_HELPER_DIR="+opts, "KCC_HELPER_KEY="+key)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("client: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	served := "agent reached true, read through the agent at " + run.sock + ", label u @ s"
	if got := get(t, nil); got != served {
		t.Fatalf("client in our namespaces: %q, want %q", got, served)
	}
	for _, w := range unshareWraps {
		t.Run(w.name, func(t *testing.T) {
			wrap := namespaceWrap(t, w.args, w.root)
			want := "agent reached true, read from the Secret Service, label u @ s"
			if got := get(t, wrap); got != want {
				t.Errorf("client in another %s: %q, want %q", w.name, got, want)
			}
		})
	}
}
