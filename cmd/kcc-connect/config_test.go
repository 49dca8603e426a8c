package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect/history"
)

func TestConfigSetGetUnset(t *testing.T) {
	env := newExtrasEnv(t)
	execApp(t, nil, "config", "set", "region", "eu-west-1", "us-east-1").wantOK(t)
	execApp(t, nil, "config", "set", "history-limit", "7").wantOK(t)
	execApp(t, nil, "config", "set", "no-version-check", "true").wantOK(t)
	if got := execApp(t, nil, "config", "get", "region").wantOK(t).stdout; got != "eu-west-1\nus-east-1\n" {
		t.Fatalf("get region: %q", got)
	}
	data, err := os.ReadFile(env.config)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"history-limit: 7\n", "no-version-check: true\n", "region: [eu-west-1, us-east-1]\n"} {
		if !strings.Contains(string(data), line) {
			t.Errorf("config file lacks %q:\n%s", line, data)
		}
	}
	if st, _ := os.Stat(env.config); st.Mode().Perm() != 0o600 {
		t.Errorf("config file mode %v", st.Mode().Perm())
	}

	execApp(t, nil, "config", "unset", "history-limit").wantOK(t)
	execApp(t, nil, "config", "get", "history-limit").wantError(t, 1, "history-limit is not set")

	before, _ := os.ReadFile(env.config)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"config", "set", "colour", "blue"}, 2, `unknown key "colour"`},
		{[]string{"config", "set", "history-limit", "many"}, 2, `invalid value "many" for --history-limit`},
		{[]string{"config", "set", "no-version-check", "maybe"}, 2, `invalid value "maybe"`},
		{[]string{"config", "set", "log-file", "a", "b"}, 2, "takes one value"},
		{[]string{"config", "set", "help", "true"}, 2, `unknown key "help"`},
		{[]string{"config", "set", "config", "/x"}, 2, `unknown key "config"`},
		{[]string{"config", "set", "region"}, 2, "at least 2 arguments"},
		{[]string{"config", "get", "colour"}, 2, `unknown key "colour"`},
		{[]string{"config", "unset", "colour"}, 2, `unknown key "colour"`},
		{[]string{"config", "unset", "profile"}, 1, "profile is not set"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			execApp(t, nil, tt.args...).wantError(t, tt.code, tt.want)
			unchanged(t, env.config, before)
		})
	}
}

func TestConfigKeysCoverEveryFlag(t *testing.T) {
	newExtrasEnv(t)
	r := execApp(t, nil, "config", "list", "-o", "json").wantOK(t)
	var rows []settingRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, row := range rows {
		got[row.Key] = true
	}
	for _, k := range []string{"profile", "region", "all-profiles", "all-regions", "output", "verbose", "log-file",
		"no-version-check", "request-timeout", "max-retries", "history-limit", "history-file", "version-check-url"} {
		if !got[k] {
			t.Errorf("config list lacks %s", k)
		}
	}
	for _, k := range []string{"help", "version", "config", "no-descriptions"} {
		if got[k] {
			t.Errorf("config list offers %s, which takes no default", k)
		}
	}
}

// Precedence, end to end through a real command: history reads the file
// --history-file names, so which file it lists shows which value won.
func TestFlagEnvConfigPrecedence(t *testing.T) {
	env := newExtrasEnv(t)
	dir := t.TempDir()
	files := map[string]string{}
	for _, name := range []string{"flag", "env", "config", "builtin"} {
		path := filepath.Join(dir, name+".yaml")
		if name == "builtin" {
			path = env.history
		}
		s := &history.Store{Path: path}
		if _, err := s.Record(history.Entry{ClusterID: "arn:aws:eks:eu-west-1:1:cluster/" + name, Context: name, Kubeconfig: "/k"}, false); err != nil {
			t.Fatal(err)
		}
		files[name] = path
	}
	listed := func(args ...string) string {
		t.Helper()
		r := execApp(t, nil, append([]string{"history", "-o", "json"}, args...)...).wantOK(t)
		var es []history.Entry
		if err := json.Unmarshal([]byte(r.stdout), &es); err != nil || len(es) != 1 {
			t.Fatalf("history: %v %q", err, r.stdout)
		}
		return es[0].Context
	}
	if got := listed(); got != "builtin" {
		t.Fatalf("no settings: read %s", got)
	}
	execApp(t, nil, "config", "set", "history-file", files["config"]).wantOK(t)
	if got := listed(); got != "config" {
		t.Fatalf("config set: read %s", got)
	}
	t.Setenv("KCC_CONNECT_HISTORY_FILE", files["env"])
	if got := listed(); got != "env" {
		t.Fatalf("env over config: read %s", got)
	}
	if got := listed("--history-file", files["flag"]); got != "flag" {
		t.Fatalf("flag over env: read %s", got)
	}

	// A default for a command's own flag (-o) and a bad value in each place.
	t.Setenv("KCC_CONNECT_HISTORY_FILE", "")
	execApp(t, nil, "config", "set", "output", "yaml").wantOK(t)
	if out := execApp(t, nil, "history").wantOK(t).stdout; !strings.HasPrefix(out, "- id: ") {
		t.Fatalf("output from config: %q", out)
	}
	t.Setenv("KCC_CONNECT_HISTORY_LIMIT", "lots")
	execApp(t, nil, "history").wantError(t, 2, `$KCC_CONNECT_HISTORY_LIMIT: invalid value "lots"`)
}

func TestConfigFileErrors(t *testing.T) {
	env := newExtrasEnv(t)
	os.MkdirAll(filepath.Dir(env.config), 0o700)
	// A bad value in the file fails the other commands with one line, but
	// not `config set`, which is how the user fixes it.
	os.WriteFile(env.config, []byte("history-limit: lots\n"), 0o600)
	execApp(t, nil, "history").wantError(t, 2, `config history-limit: invalid value "lots"`)
	execApp(t, nil, "config", "set", "history-limit", "5").wantOK(t)
	execApp(t, nil, "history").wantOK(t)

	os.WriteFile(env.config, []byte("region: [\n"), 0o600)
	execApp(t, nil, "history").wantError(t, 2, "config file "+env.config)
	execApp(t, nil, "config", "set", "region", "x").wantError(t, 1, "config file "+env.config)
	unchanged(t, env.config, []byte("region: [\n"))

	// The file named by $KCC_CONNECT_CONFIG, then --config.
	other := filepath.Join(t.TempDir(), "c.yaml")
	t.Setenv("KCC_CONNECT_CONFIG", other)
	execApp(t, nil, "config", "set", "profile", "p1").wantOK(t)
	third := filepath.Join(t.TempDir(), "c.yaml")
	execApp(t, nil, "--config", third, "config", "set", "profile", "p2").wantOK(t)
	if b, _ := os.ReadFile(other); !strings.Contains(string(b), "profile: p1") {
		t.Fatalf("$KCC_CONNECT_CONFIG file: %s", b)
	}
	if b, _ := os.ReadFile(third); !strings.Contains(string(b), "profile: p2") {
		t.Fatalf("--config file: %s", b)
	}
}

func TestConfigList(t *testing.T) {
	newExtrasEnv(t)
	execApp(t, nil, "config", "set", "region", "a", "b").wantOK(t)
	t.Setenv("KCC_CONNECT_PROFILE", "envp")
	out := execApp(t, nil, "config", "list").wantOK(t).stdout
	for _, want := range []string{"region  ", "a,b", "config", "envp", "env KCC_CONNECT_PROFILE", "history-limit"} {
		if !strings.Contains(out, want) {
			t.Errorf("config list lacks %q:\n%s", want, out)
		}
	}
}

func TestConfigImport(t *testing.T) {
	env := newExtrasEnv(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/team.yaml":
			w.Write([]byte("# team defaults\nregion: [eu-west-1, eu-central-1]\nhistory-limit: 20\n"))
		case "/unknown.yaml":
			w.Write([]byte("region: x\ncolour: blue\n"))
		case "/badvalue.yaml":
			w.Write([]byte("history-limit: lots\n"))
		case "/broken.yaml":
			w.Write([]byte("region: [\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted case's handshake error
	defer srv.Close()
	trust := func(a *app) { a.httpClient = srv.Client() }

	execApp(t, nil, "config", "set", "profile", "mine").wantOK(t)
	execApp(t, nil, "config", "set", "region", "us-west-2").wantOK(t)
	r := execApp(t, trust, "config", "import", srv.URL+"/team.yaml").wantOK(t)
	if !strings.Contains(r.stdout, "imported 2 default(s)") {
		t.Fatalf("stdout %q", r.stdout)
	}
	got, _ := os.ReadFile(env.config)
	for _, want := range []string{"profile: mine", "region: [eu-west-1, eu-central-1]", "history-limit: 20\n"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("after import the file lacks %q:\n%s", want, got)
		}
	}

	local := filepath.Join(t.TempDir(), "team.yaml")
	os.WriteFile(local, []byte("request-timeout: 5s\n"), 0o600)
	execApp(t, nil, "config", "import", local).wantOK(t)
	got, _ = os.ReadFile(env.config)
	if !strings.Contains(string(got), "request-timeout: 5s") {
		t.Fatalf("file import: %s", got)
	}

	before := got
	for _, tt := range []struct {
		name, src string
		setup     func(*app)
		code      int
		want      string
	}{
		{"unknown key", srv.URL + "/unknown.yaml", trust, 2, `unknown key "colour"`},
		{"bad value", srv.URL + "/badvalue.yaml", trust, 2, `invalid value "lots"`},
		{"not yaml", srv.URL + "/broken.yaml", trust, 2, "broken.yaml: "},
		{"not found", srv.URL + "/nope.yaml", trust, 1, "404"},
		{"untrusted server", srv.URL + "/team.yaml", nil, 1, "certificate"},
		{"plain http", "http://127.0.0.1:1/team.yaml", trust, 1, "only https://"},
		{"missing file", filepath.Join(t.TempDir(), "none.yaml"), nil, 1, "could not read"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			execApp(t, tt.setup, "config", "import", tt.src).wantError(t, tt.code, tt.want)
			unchanged(t, env.config, before)
		})
	}
}

// TestConfigImportHidesURLSecrets: an import URL may carry a token (user
// info, or a presigned URL's X-Amz-Security-Token and signature); no
// message shows it, whether the import works or fails.
func TestConfigImportHidesURLSecrets(t *testing.T) {
	newExtrasEnv(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/team.yaml":
			w.Write([]byte("history-limit: 20\n"))
		case "/broken.yaml":
			w.Write([]byte("region: [\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	defer srv.Close()
	trust := func(a *app) { a.httpClient = srv.Client() }
	const user, password, session, signature = "USERTOKEN", "PASSWORDTOKEN", "SESSIONTOKEN", "SIGNATURETOKEN"
	withUser := strings.Replace(srv.URL, "https://", "https://"+user+":"+password+"@", 1)
	query := "?X-Amz-Security-Token=" + session + "&X-Amz-Signature=" + signature
	for _, tt := range []struct {
		name, src string
		setup     func(*app)
		code      int
	}{
		{"imported", withUser + "/team.yaml" + query, trust, 0},
		{"not found", withUser + "/nope.yaml" + query, trust, 1},
		{"not yaml", withUser + "/broken.yaml" + query, trust, 2},
		{"untrusted server", withUser + "/team.yaml" + query, nil, 1},
		{"plain http", "http://" + user + ":" + password + "@127.0.0.1:1/team.yaml" + query, trust, 1},
		{"bad URL", "https://" + user + ":" + password + "@127.0.0.1:1:2/team.yaml" + query, trust, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := execApp(t, tt.setup, "config", "import", tt.src)
			if r.code != tt.code || strings.Count(r.stdout+r.stderr, "\n") != 1 {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, s := range []string{user, password, session, signature} {
				if strings.Contains(r.stdout+r.stderr, s) {
					t.Errorf("the output shows a part of the URL that may be a secret: %q", r.stdout+r.stderr)
				}
			}
		})
	}
}
