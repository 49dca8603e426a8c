package agent

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus/dbustest"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

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
		got, ok := readAgentReply(fds[0], time.Now().Add(keyringtest.HangGuard))
		unix.Close(fds[0])
		if ok != tc.ok || string(got) != tc.want {
			t.Errorf("reply %.30q: %q, %v; want %q, %v", tc.reply, got, ok, tc.want, tc.ok)
		}
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
			other := secretservice.Tag(strings.Repeat("0", 64), blob.Encode(keyringtest.NewRecord(strings.Repeat("0", 64), "someone else", 10)))
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
			key := keyringtest.NewKey(t)
			t.Cleanup(func() { _ = k.Delete(key) })
			want := keyringtest.NewRecord(key, "u @ s", 10)
			if err := k.Put(want); err != nil {
				t.Fatal(err)
			}
			fakeAgent(t, tc.respond())
			k2, ss := agentKeyring(t, opts, noAgentCommand)
			got, err := k2.Get(key)
			if err != nil || ss.via {
				t.Fatalf("%v, via %s; want the record from the Secret Service", err, ss.Route())
			}
			keyringtest.SameRecord(t, got, want)
		})
	}
}
