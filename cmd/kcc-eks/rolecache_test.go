package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// mfaProfile is a role profile with MFA, as TestMFAPrompt's; extra lines
// go into its section.
func mfaProfile(extra string) string {
	return "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n" +
		"mfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n" + extra +
		"[profile base]\nregion = eu-west-1\n"
}

const baseCreds = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"

// mfaEnv is the environment of kcc-eks and aws for profile mfa against moto
// at endpoint, in a HOME of their own.
func mfaEnv(t *testing.T, endpoint, config string) []string {
	return append(home(t, config, baseCreds), "AWS_ENDPOINT_URL="+endpoint, "AWS_PROFILE=mfa", "AWS_EC2_METADATA_DISABLED=true")
}

// envValue is name's value in env.
func envValue(env []string, name string) string {
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, name+"="); ok {
			return v
		}
	}
	return ""
}

// cachedSessions are the files in the AWS CLI's role session cache of env's
// HOME.
func cachedSessions(t *testing.T, env []string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(envValue(env, "HOME"), ".aws", "cli", "cache", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// noSecrets fails when out shows a role session's secret key or token.
func noSecrets(t *testing.T, endpoint, out string) {
	t.Helper()
	for _, s := range motoserver.AssumedRoles(t, endpoint) {
		if strings.Contains(out, s.SecretAccessKey) || strings.Contains(out, s.SessionToken) {
			t.Errorf("the output shows the secret of %s:\n%s", s, out)
		}
	}
}

// TestMFASessionCachedForCLI: on a terminal, ten kcc-eks runs in a row ask
// for the MFA code once (one role session, kept in ~/.aws/cli/cache as 0600
// in a 0700 directory), and the real AWS CLI then uses that session without
// asking.
func TestMFASessionCachedForCLI(t *testing.T) {
	aws := testbin.Require(t, "aws")
	endpoint := motoserver.Start(t)
	dir := t.TempDir()
	bin := testbin.Build(t, dir, "kcc-eks")
	env := mfaEnv(t, endpoint, mfaProfile(""))

	line := "for i in 1 2 3 4 5 6 7 8 9 10; do " + testbin.Quote(bin, "--cluster-name", "prod") +
		" >" + testbin.Quote(dir) + "/out$i || break; done"
	term := testbin.StartTerminal(t, env, line)
	term.WaitFor(t, "Enter MFA code for arn:aws:iam::123456789012:mfa/alice: ")
	term.Send(t, "-l", "987654")
	term.Send(t, "Enter")
	screen := term.WaitFor(t, "EXIT:")
	if !strings.Contains(screen, "EXIT:0") {
		t.Fatalf("kcc-eks failed:\n%s", screen)
	}
	if n := strings.Count(screen, "Enter MFA code"); n != 1 {
		t.Errorf("%d MFA prompts for 10 runs, want 1:\n%s", n, screen)
	}
	noSecrets(t, endpoint, screen)
	var first string
	for i := 1; i <= 10; i++ {
		b, err := os.ReadFile(filepath.Join(dir, "out"+strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		s := session(t, endpoint, token(t, result{stdout: string(b)}), "prod")
		if first == "" {
			first = s.AccessKeyID
		} else if s.AccessKeyID != first {
			t.Errorf("run %d signed with another session (%s)", i, s)
		}
	}
	if n := len(motoserver.AssumedRoles(t, endpoint)); n != 1 {
		t.Errorf("%d role sessions, want 1", n)
	}
	files := cachedSessions(t, env)
	if len(files) != 1 {
		t.Fatalf("cache files %v, want 1", files)
	}
	checkMode(t, files[0], 0o600)
	checkMode(t, filepath.Dir(files[0]), 0o700|os.ModeDir)

	cli := testbin.StartTerminal(t, env, testbin.Quote(aws, "sts", "get-caller-identity", "--output", "text", "--query", "Arn"))
	screen = cli.WaitFor(t, "EXIT:")
	if strings.Contains(screen, "MFA") || !strings.Contains(screen, "EXIT:0") {
		t.Fatalf("aws did not use kcc-eks's session:\n%s", screen)
	}
	noSecrets(t, endpoint, screen)
	if n := len(motoserver.AssumedRoles(t, endpoint)); n != 1 {
		t.Errorf("aws assumed the role again (%d sessions)", n)
	}
}

// TestMFASessionCachedByCLI: a session the real AWS CLI cached after its
// own MFA prompt signs kcc-eks's token, with no prompt (stdin closed).
func TestMFASessionCachedByCLI(t *testing.T) {
	aws := testbin.Require(t, "aws")
	endpoint := motoserver.Start(t)
	env := mfaEnv(t, endpoint, mfaProfile("duration_seconds = 1800\n"))

	cli := testbin.StartTerminal(t, env, testbin.Quote(aws, "sts", "get-caller-identity", "--output", "text", "--query", "Arn"))
	cli.WaitFor(t, "Enter MFA code for arn:aws:iam::123456789012:mfa/alice: ")
	cli.Send(t, "-l", "123456")
	cli.Send(t, "Enter")
	if screen := cli.WaitFor(t, "EXIT:"); !strings.Contains(screen, "EXIT:0") {
		t.Fatalf("aws failed:\n%s", screen)
	}

	r := kccEKS(t, env, "", "--cluster-name", "prod")
	noSecrets(t, endpoint, r.stderr)
	tok := token(t, r)
	if r.stderr != "" {
		t.Errorf("stderr %q, want nothing (no prompt)", r.stderr)
	}
	roles := motoserver.AssumedRoles(t, endpoint)
	if len(roles) != 1 {
		t.Fatalf("%d role sessions, want the CLI's one", len(roles))
	}
	if s := session(t, endpoint, tok, "prod"); s.AccessKeyID != roles[0].AccessKeyID {
		t.Errorf("signed by %s, not the CLI's session", s)
	}
}

// TestExpiredSessionPromptsAgain: a cached session that has expired, or
// expires within the window, is not used: the next run asks again.
func TestExpiredSessionPromptsAgain(t *testing.T) {
	t.Parallel()
	endpoint := motoserver.Start(t)
	for _, expires := range []time.Duration{-time.Hour, 10 * time.Minute} {
		env := mfaEnv(t, endpoint, mfaProfile(""))
		token(t, kccEKS(t, env, "123456\n", "--cluster-name", "prod"))
		files := cachedSessions(t, env)
		if len(files) != 1 {
			t.Fatalf("cache files %v, want 1", files)
		}
		setExpiration(t, files[0], time.Now().Add(expires))

		r := kccEKS(t, env, "", "--cluster-name", "prod")
		if r.code == 0 || !strings.Contains(r.stderr, "Enter MFA code") {
			t.Errorf("a session expiring in %v was used:\n%v", expires, r)
		}
		noSecrets(t, endpoint, r.stderr)
	}
}

// TestCachedSessionNotReusedForOtherRole: a session cached for a profile is
// not used once its role, MFA device or external id differs (the prompt
// shows it, stdin closed), and is used while they are the same.
func TestCachedSessionNotReusedForOtherRole(t *testing.T) {
	t.Parallel()
	endpoint := motoserver.Start(t)
	for _, tc := range []struct {
		name, config string
		reused       bool
	}{
		{"same profile", mfaProfile(""), true},
		{"other role", strings.Replace(mfaProfile(""), "role/admin", "role/viewer", 1), false},
		{"other MFA serial", strings.Replace(mfaProfile(""), "mfa/alice", "mfa/bob", 1), false},
		{"other external id", mfaProfile("external_id = tenant-2\n"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := mfaEnv(t, endpoint, mfaProfile(""))
			token(t, kccEKS(t, env, "123456\n", "--cluster-name", "prod"))
			writeFile(t, envValue(env, "AWS_CONFIG_FILE"), tc.config)

			r := kccEKS(t, env, "", "--cluster-name", "prod")
			if reused := r.code == 0 && r.stderr == ""; reused != tc.reused {
				t.Errorf("reused %v, want %v:\n%v", reused, tc.reused, r)
			}
		})
	}
}

// TestRoleARNSessionCached: --role-arn's session is cached too, keyed by
// its session name and external id.
func TestRoleARNSessionCached(t *testing.T) {
	t.Parallel()
	endpoint := motoserver.Start(t)
	env := motoEnv(t, endpoint)
	const role = "arn:aws:iam::123456789012:role/deployer"
	for _, args := range [][]string{{}, {}, {"--external-id", "x1"}, {"--external-id", "x1"}, {"--session-name", "ci"}} {
		token(t, kccEKS(t, env, "", append([]string{"--cluster-name", "prod", "--role-arn", role}, args...)...))
	}
	// The same role with another profile's (here: other) keys is another
	// session: one caller's session never serves another.
	other := append(append([]string(nil), env...), "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7OTHER01")
	token(t, kccEKS(t, other, "", "--cluster-name", "prod", "--role-arn", role))
	if n := len(motoserver.AssumedRoles(t, endpoint)); n != 4 {
		t.Errorf("%d role sessions for 4 distinct role sessions in 6 runs", n)
	}
}

func setExpiration(t *testing.T, path string, exp time.Time) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	v["Credentials"].(map[string]any)["Expiration"] = exp.UTC().Format(time.RFC3339)
	if b, err = json.Marshal(v); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, string(b))
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != want {
		t.Errorf("%s has mode %v, want %v", path, fi.Mode(), want)
	}
}
