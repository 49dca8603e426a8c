package main

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// teamServer is an https server of defaults files by path, and the app
// setup that trusts it.
func teamServer(t *testing.T, files map[string]string) (*httptest.Server, func(*app)) {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(body))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	t.Cleanup(srv.Close)
	return srv, func(a *app) { a.httpClient = srv.Client() }
}

// A redirect from https:// to plain http:// would let anyone on the way
// choose the team's defaults: it is refused, naming where it led, before
// any request goes out over http. A redirect to https:// is followed.
func TestConfigImportRefusesRedirectToHTTP(t *testing.T) {
	env := newExtrasEnv(t)
	var plainHits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		w.Write([]byte("history-limit: 3\n"))
	}))
	t.Cleanup(plain.Close)
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-http":
			http.Redirect(w, r, plain.URL+"/team.yaml", http.StatusFound)
		case "/to-https":
			http.Redirect(w, r, srv.URL+"/team.yaml", http.StatusMovedPermanently)
		case "/team.yaml":
			w.Write([]byte("history-limit: 20\n"))
		}
	}))
	t.Cleanup(srv.Close)
	trust := func(a *app) { a.httpClient = srv.Client() }

	execApp(t, trust, "config", "import", srv.URL+"/to-http").wantError(t, 1, "redirected to "+plain.URL+"/team.yaml, which is not https://")
	unchanged(t, env.config, nil)
	if plainHits.Load() != 0 {
		t.Fatalf("%d requests went out over plain http", plainHits.Load())
	}
	execApp(t, trust, "config", "import", srv.URL+"/to-https").wantOK(t)
	if b, _ := os.ReadFile(env.config); !strings.Contains(string(b), "history-limit: 20") {
		t.Fatalf("after a redirect to https:\n%s", b)
	}
}

// Every key a defaults file can set is classified for imports from a URL,
// so a new flag cannot slip in unconsidered.
func TestRemoteKeysClassifyEveryKey(t *testing.T) {
	newExtrasEnv(t)
	root := newRootCmd(newApp(nil, io.Discard, io.Discard))
	keys := configKeys(root)
	for k := range keys {
		if _, ok := remoteKeys[k]; !ok {
			t.Errorf("key %s is not classified in remoteKeys", k)
		}
	}
	for k := range remoteKeys {
		if _, ok := keys[k]; !ok {
			t.Errorf("remoteKeys classifies %s, which is no key", k)
		}
	}
	// The docs list the keys asked about.
	doc, err := os.ReadFile("../../docs/connect.md")
	if err != nil {
		t.Fatal(err)
	}
	for k, c := range remoteKeys {
		if !c.unseen && !strings.Contains(string(doc), "| `"+k+"` | asked") {
			t.Errorf("docs/connect.md does not list %s as asked", k)
		}
		if c.unseen && !strings.Contains(string(doc), "| `"+k+"` | taken") {
			t.Errorf("docs/connect.md does not list %s as taken", k)
		}
	}
}

// Without a terminal to ask on, a file from a URL that sets a key which
// writes a file, chooses a URL or the role is refused whole, naming the
// keys; the same file from a local path is the user's choice and imported.
func TestConfigImportSensitiveKeysNeedATerminal(t *testing.T) {
	env := newExtrasEnv(t)
	asked := askedAlways()
	all := "region: eu-west-1\n"
	for _, k := range asked {
		all += k + ": " + map[string]string{"role-arn": "arn:aws:iam::111122223333:role/x", "version-check-url": "https://feed.example/x", "plaintext-token": "true", "auth-provider": "local"}[k] + "\n"
	}
	all = strings.ReplaceAll(all, ": \n", ": /tmp/elsewhere\n")
	srv, trust := teamServer(t, map[string]string{
		"/safe.yaml": "region: eu-west-1\nhistory-limit: 20\ncontext-template: '{{.Name}}'\nno-cache: true\n",
		"/log.yaml":  "region: eu-west-1\nlog-file: /tmp/elsewhere.log\n",
		"/all.yaml":  all,
	})
	execApp(t, trust, "config", "import", srv.URL+"/log.yaml").wantError(t, 1, "sets log-file, which a file from a URL may only set after you confirm on a terminal; nothing imported")
	unchanged(t, env.config, nil)
	execApp(t, trust, "config", "import", srv.URL+"/all.yaml").wantError(t, 1, "sets "+strings.Join(asked, ", ")+", which")
	unchanged(t, env.config, nil)

	execApp(t, trust, "config", "import", srv.URL+"/safe.yaml").wantOK(t)
	local := filepath.Join(t.TempDir(), "all.yaml")
	os.WriteFile(local, []byte(all), 0o600)
	execApp(t, nil, "config", "import", local).wantOK(t)
	got, _ := os.ReadFile(env.config)
	for _, want := range []string{"history-limit: 20", "no-cache: true", "log-file: /tmp/elsewhere", "version-check-url: https://feed.example/x"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("config lacks %q:\n%s", want, got)
		}
	}
}

// On a real terminal the keys are shown (escape sequences made visible)
// and imported on y, through stdin or, with stdin elsewhere, /dev/tty; on
// n or Enter nothing is written.
func TestConfigImportAsksOnATerminal(t *testing.T) {
	testbin.Require(t, "tmux")
	bin := extrasBinary(t)
	srv, _ := teamServer(t, map[string]string{
		"/team.yaml": "region: eu-west-1\nkubeconfig: /tmp/team-kubeconfig\nversion-check-url: \"https://feed.example/\\e]0;owned\\a\"\n",
	})
	dir, ca := t.TempDir(), caFile(t, srv)
	for _, tt := range []struct {
		name, redirect, answer string
		imported               bool
	}{
		{"yes on stdin", "", "y", true},
		{"no on stdin", "", "n", false},
		{"enter on stdin", "", "", false},
		{"yes on /dev/tty", " </dev/null", "yes", true},
		{"no on /dev/tty", " </dev/null", "n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "config.yaml")
			term := testbin.StartTerminal(t, []string{"HOME=" + dir, "SSL_CERT_FILE=" + ca, "KCC_CONNECT_CONFIG=" + cfg, "KCC_CONNECT_NO_VERSION_CHECK=true"},
				testbin.Quote(bin, "config", "import", srv.URL+"/team.yaml")+tt.redirect)
			screen := term.WaitFor(t, "[y/N]")
			for _, want := range []string{"kubeconfig=/tmp/team-kubeconfig", `version-check-url=https://feed.example/\x1b]0;owned\x07`} {
				if !strings.Contains(screen, want) {
					t.Fatalf("the question does not show %q:\n%s", want, screen)
				}
			}
			if strings.Contains(screen, "region=") {
				t.Fatalf("a key taken unseen is asked about:\n%s", screen)
			}
			if tt.answer != "" {
				term.Send(t, "-l", tt.answer)
			}
			term.Send(t, "Enter")
			screen = term.WaitFor(t, "EXIT:")
			got, _ := os.ReadFile(cfg)
			if tt.imported {
				if !strings.Contains(screen, "imported 3 default(s)") || !strings.Contains(screen, "EXIT:0") || !strings.Contains(string(got), "kubeconfig: /tmp/team-kubeconfig") {
					t.Fatalf("not imported on %q:\n%s\nconfig:\n%s", tt.answer, screen, got)
				}
				return
			}
			if !strings.Contains(screen, "not confirmed (kubeconfig, version-check-url); nothing imported") || !strings.Contains(screen, "EXIT:1") || got != nil {
				t.Fatalf("imported on %q:\n%s\nconfig:\n%s", tt.answer, screen, got)
			}
		})
	}
}

// An imported file, local or remote, is read through a limit: /dev/zero, a
// pipe that never ends and a server that never stops sending are refused
// once they pass 1 MiB, and nothing is written.
func TestConfigImportReadsThroughALimit(t *testing.T) {
	env := newExtrasEnv(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("# endless\n", 4096))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	t.Cleanup(srv.Close)

	fifo := filepath.Join(t.TempDir(), "endless.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		chunk := []byte(strings.Repeat("# endless\n", 4096))
		for {
			if _, err := f.Write(chunk); err != nil {
				return // the reader stopped: the pipe is broken
			}
		}
	}()

	for _, tt := range []struct {
		name, src string
		setup     func(*app)
	}{
		{"/dev/zero", "/dev/zero", nil},
		{"endless pipe", fifo, nil},
		{"endless body", srv.URL + "/team.yaml", func(a *app) { a.httpClient = srv.Client() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			execApp(t, tt.setup, "config", "import", tt.src).wantError(t, 1, "larger than 1048576 bytes")
			unchanged(t, env.config, nil)
		})
	}
}

// The real binary in a session of its own (no controlling terminal, so no
// /dev/tty) with stdin not a terminal, as in CI: refused, nothing written.
func TestConfigImportBinaryWithoutTerminalRefuses(t *testing.T) {
	bin := extrasBinary(t)
	srv, _ := teamServer(t, map[string]string{"/team.yaml": "region: eu-west-1\nhistory-file: /tmp/elsewhere.yaml\n"})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	cmd := exec.Command(bin, "config", "import", srv.URL+"/team.yaml")
	cmd.Env = append(os.Environ(), "HOME="+dir, "SSL_CERT_FILE="+caFile(t, srv), "KCC_CONNECT_CONFIG="+cfg)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.HasSuffix(string(out), "/team.yaml sets history-file, which a file from a URL may only set after you confirm on a terminal; nothing imported\n") || strings.Count(string(out), "\n") != 1 {
		t.Fatalf("%v %q", err, out)
	}
	if _, err := os.Stat(cfg); err == nil {
		t.Fatal("the refused import wrote the config file")
	}
}
