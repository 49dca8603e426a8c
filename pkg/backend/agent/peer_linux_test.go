package agent

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus/dbustest"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

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
	keyringtest.LookPath(t, "unshare")
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
			if n, err := unix.Poll(fds, int(keyringtest.HangGuard.Milliseconds())); err != nil || n != 1 {
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
	rec, err := store{Blobs: v}.Get(os.Getenv("KCC_HELPER_KEY"))
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
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	if err := k.Put(keyringtest.NewRecord(key, "u @ s", 10)); err != nil {
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
