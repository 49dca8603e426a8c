package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// isolateAWS points the SDK at empty shared files, so no test reads the
// machine's own profiles.
func isolateAWS(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"config", "credentials"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("HOME", dir)
	return dir
}

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunUsageErrors(t *testing.T) {
	isolateAWS(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"discove"}, `unknown command "discove" (did you mean "discover"?)`},
		{[]string{"discover", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"discover", "extra"}, "takes no arguments"},
		{[]string{"discover", "-o", "xml"}, `unknown output format "xml"`},
		{[]string{"discover", "--profile", "nope"}, `unknown profile "nope"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if !strings.HasPrefix(stderr, "kcc-connect: ") || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q, want one line with %q", stderr, tt.want)
			}
		})
	}
}

func TestRunHelpAndVersion(t *testing.T) {
	isolateAWS(t)
	code, stdout, _ := runCmd(t, "--version")
	if code != 0 || !strings.HasPrefix(stdout, "kcc-connect ") {
		t.Errorf("--version: exit %d, %q", code, stdout)
	}
	code, stdout, _ = runCmd(t)
	if code != 0 || !strings.Contains(stdout, "discover") || !strings.Contains(stdout, "use") {
		t.Errorf("no arguments: exit %d, %q", code, stdout)
	}
}

// TestDiscoverNothingAnswered: when every profile fails, the warnings are
// printed and the command fails, so a script does not take "no clusters"
// for an answer.
func TestDiscoverNothingAnswered(t *testing.T) {
	dir := isolateAWS(t)
	cfg := "[profile broken]\nregion = us-east-1\ncredential_process = /bin/false\n"
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(t, "discover", "--profile", "broken", "--no-version-check", "-o", "json")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code != 1 || stdout != "" || len(lines) != 2 ||
		!strings.HasPrefix(lines[0], "kcc-connect: warning: profile broken: no usable credentials") ||
		lines[1] != "kcc-connect: no profile or region answered (see the warnings above)" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestDiscoverHidesCredentialProcessOutput: the SDK quotes a
// credential_process's output whole when it is not valid credentials JSON;
// neither the warning nor the debug log may show it.
func TestDiscoverHidesCredentialProcessOutput(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the credential_process is a POSIX shell one-liner")
	}
	dir := isolateAWS(t)
	const secret, session = "leaky/secret+key", "leaky-session-token"
	cfg := "[profile leaky]\nregion = us-east-1\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDLEAKY\", \"SecretAccessKey\": \"" +
		secret + "\", \"SessionToken\": \"" + session + "\", \"Expiration\": 5}'\n"
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	logFile := filepath.Join(dir, "kcc-connect.log")
	code, stdout, stderr := runCmd(t, "discover", "--profile", "leaky", "--no-version-check", "-vv", "--log-file", logFile)
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if code != 1 || stdout != "" || !strings.Contains(stderr, "kcc-connect: warning: profile leaky: no usable credentials: credential_process printed no valid credentials") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, s := range []string{secret, session} {
		if strings.Contains(stderr, s) || strings.Contains(string(log), s) {
			t.Errorf("stderr or the log shows the process's output")
		}
	}
}
