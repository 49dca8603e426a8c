package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/eksauth"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// asBinary makes this test binary run as kcc-eks itself, so that tests run
// it as a separate process with an environment of their own (and so in
// parallel), and see its real exit code, stdout and stderr.
const asBinary = "KCC_EKS_TEST_AS_BINARY"

func TestMain(m *testing.M) { testbin.Main(m, asBinary, run) }

// result is what one kcc-eks process left.
type result struct {
	stdout, stderr string
	code           int
	elapsed        time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("exit %d after %v\nstdout:\n%s\nstderr:\n%s", r.code, r.elapsed, r.stdout, r.stderr)
}

// kccEKS runs kcc-eks as a process with env (and nothing else of the test's
// environment but PATH), stdin and args.
func kccEKS(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := testbin.SelfContext(ctx, t, asBinary, env, args...)
	cmd.Stdin = strings.NewReader(stdin)
	r := testbin.Run(t, cmd)
	res := result{stdout: r.Stdout, stderr: r.Stderr, code: r.Code, elapsed: r.Elapsed}
	if ctx.Err() != nil {
		t.Fatalf("kcc-eks %s timed out\n%v", strings.Join(args, " "), res)
	}
	return res
}

// home makes a HOME with ~/.aws/config and ~/.aws/credentials and returns
// the environment that points the SDK at them.
func home(t *testing.T, config, credentials string) []string {
	t.Helper()
	h := writeAWSFiles(t, config, credentials)
	return []string{
		"HOME=" + h,
		"AWS_CONFIG_FILE=" + filepath.Join(h, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(h, ".aws", "credentials"),
	}
}

// token is the status.token of a successful run's ExecCredential.
func token(t *testing.T, r result) string {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("kcc-eks failed:\n%v", r)
	}
	var c struct {
		Kind   string `json:"kind"`
		Status struct {
			Token string `json:"token"`
		} `json:"status"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil || c.Kind != "ExecCredential" || c.Status.Token == "" {
		t.Fatalf("stdout is not an ExecCredential with a token (%v):\n%s", err, r.stdout)
	}
	return c.Status.Token
}

// verify checks a token as EKS would, for cluster, with the keys secret
// knows, for a presigned URL pointing at host (an emulator's), and returns
// the signer's identity.
func verify(t *testing.T, tok, cluster, host string, secret func(string) (string, bool)) eksauth.Identity {
	t.Helper()
	v := eksauth.Verifier{ClusterID: cluster, Secret: secret, Hosts: []string{host}}
	id, err := v.Verify(tok)
	if err != nil {
		t.Fatalf("the token is refused: %v", err)
	}
	return id
}

// wantOneLineError checks a failed run: the exit code, nothing on stdout,
// one line on stderr with the prefix and text, and no secret.
func wantOneLineError(t *testing.T, r result, code int, text string, secrets ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d", r.code, code)
	}
	if r.stdout != "" {
		t.Errorf("stdout is not empty")
	}
	if !strings.HasPrefix(r.stderr, "kcc-eks: ") || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not one line starting with kcc-eks: %q", r.stderr)
	}
	if !strings.Contains(r.stderr, text) {
		t.Errorf("stderr does not say %q: %q", text, r.stderr)
	}
	for _, s := range secrets {
		if s != "" && (strings.Contains(r.stderr, s) || strings.Contains(r.stdout, s)) {
			t.Errorf("the output shows a secret")
		}
	}
}
