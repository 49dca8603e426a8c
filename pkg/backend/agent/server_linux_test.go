package agent

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus/dbustest"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
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
	done chan struct{} // closed when Serve returned
	err  error         // what it returned, once done
}

// wait waits for the agent to end and returns what it returned.
func (a *agentRun) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-a.done:
		return a.err
	case <-time.After(keyringtest.HangGuard):
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
	deadline := time.Now().Add(keyringtest.HangGuard)
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
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	want := keyringtest.NewRecord(key, "u @ s", 1600)
	if err := k.Put(want); err != nil {
		t.Fatal(err)
	}
	runAgent(t, time.Minute)
	for i := range 3 { // read, then from the agent's memory
		got, err := getThroughAgent(t, opts, key)
		if err != nil {
			t.Fatalf("hit %d: %v", i, err)
		}
		keyringtest.SameRecord(t, got, want)
	}
}

// Every change made before a hit starts is seen by that hit: a replaced
// credential, a deleted item, a new one. Repeated, since the property is
// about the order in which the signal and the next request reach the agent.
func TestAgentSeesEveryFinishedChange(t *testing.T) {
	k, _, opts := hintedKeyring(t)
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	runAgent(t, time.Minute)
	for i := range 20 {
		want := keyringtest.NewRecord(key, "round "+strconv.Itoa(i), 100+i)
		if err := k.Put(want); err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second from memory
			got, err := getThroughAgent(t, opts, key)
			if err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
			keyringtest.SameRecord(t, got, want)
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
	addr := keyringtest.PrivateBus(t)
	keyringtest.PrivateKeyring(t, addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	k, _, opts := hintedKeyring(t)
	key := keyringtest.NewKey(t)
	want := keyringtest.NewRecord(key, "u @ s", 10)
	if err := k.Put(want); err != nil {
		t.Fatal(err)
	}
	runAgent(t, time.Minute)
	got, err := getThroughAgent(t, opts, key)
	if err != nil {
		t.Fatal(err)
	}
	keyringtest.SameRecord(t, got, want)
	keyringtest.LockDefaultCollection(t, addr)
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
	a, b := keyringtest.NewKey(t), keyringtest.NewKey(t)
	for _, key := range []string{a, b} {
		t.Cleanup(func() { _ = k.Delete(key) })
		if err := k.Put(keyringtest.NewRecord(key, "u @ s", 10)); err != nil {
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
	keyringtest.LookPath(t, "dbus-daemon")
	addr, killBus := dbustest.StartBus(t, "")
	keyringtest.PrivateKeyring(t, addr)
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
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	// An untagged item, as an older kcc-cache wrote it: the agent refuses
	// it, the client's own search serves it.
	storeRaw(t, key, blob.Encode(keyringtest.NewRecord(key, "old", 10)))
	writeHint(t, opts, key, searchItem(t, key))
	runAgent(t, time.Minute)
	k2, ss2 := agentKeyring(t, opts, noAgentCommand)
	if _, err := k2.Get(key); err != nil || ss2.via {
		t.Fatalf("untagged item: %v via %s; want it read from the Secret Service", err, ss2.Route())
	}
}
