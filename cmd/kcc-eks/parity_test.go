package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// frozen is the second every parity case is signed at, as faketime's
// absolute (frozen) form: "YYYY-MM-DD hh:mm:ss" without the "@" that would
// only start the clock there.
const frozen = "2025-03-04 05:06:07"

var frozenTime = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

// parityCase is one shape of `aws eks get-token` kcc-eks must match.
type parityCase struct {
	name string
	args []string
	env  []string // besides the fixed keys; "K=V"
	// config and credentials are ~/.aws/config and ~/.aws/credentials.
	config, credentials string
	// warns: both print a line on stderr (the wording differs).
	warns bool
}

const (
	keyID     = "AKIDPARITYEXAMPLE"
	secretKey = "parity/secret+key=="
	// A session token with characters botocore escapes.
	sessionToken = "IQoJb3JpZ2luX2VjE/session+token=="
)

var parityCases = []parityCase{
	{name: "region flag, --output json", args: []string{"--cluster-name", "demo", "--region", "eu-west-1", "--output", "json"}},
	{name: "region from AWS_DEFAULT_REGION, regional set explicitly", args: []string{"--cluster-name", "demo"}, env: []string{"AWS_DEFAULT_REGION=ap-southeast-2", "AWS_STS_REGIONAL_ENDPOINTS=regional"}},
	{name: "AWS_REGION and AWS_DEFAULT_REGION alike", args: []string{"--cluster-name", "demo"}, env: []string{"AWS_REGION=us-west-2", "AWS_DEFAULT_REGION=us-west-2"}},
	{name: "region flag beats env", args: []string{"--region", "eu-central-1", "--cluster-name", "demo"}, env: []string{"AWS_DEFAULT_REGION=us-west-2"}},
	{name: "region from default profile", args: []string{"--cluster-name", "demo"}, config: "[default]\nregion = sa-east-1\n"},
	{name: "region from AWS_PROFILE", args: []string{"--cluster-name", "demo"}, env: []string{"AWS_PROFILE=team"},
		config: "[default]\nregion = us-east-1\n\n[profile team]\nregion = eu-north-1\n"},
	{name: "keys from the credentials file", args: []string{"--cluster-name", "demo", "--region", "us-east-2"}, env: []string{"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_PROFILE=ci"},
		credentials: "[ci]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = file/secret\n"},
	{name: "--profile beats env keys", args: []string{"--cluster-name", "demo", "--profile", "ci", "--region", "ca-central-1"},
		credentials: "[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile/secret\n"},
	{name: "session token, exec info v1beta1", args: []string{"--cluster-name", "demo", "--region", "us-west-2"}, env: []string{"AWS_SESSION_TOKEN=" + sessionToken,
		`KUBERNETES_EXEC_INFO={"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":true}}`}},
	{name: "session token, no region", args: []string{"--cluster-name", "demo"}, env: []string{"AWS_SESSION_TOKEN=" + sessionToken}},
	{name: "cluster id", args: []string{"--cluster-id", "5d8f3a2c-9b1e-4c7d-8e6f-0a1b2c3d4e5f", "--region", "us-west-2"}},
	{name: "no region: global endpoint", args: []string{"--cluster-name", "demo"}},
	{name: "legacy, legacy global region", args: []string{"--cluster-name", "demo", "--region", "eu-west-1"}, env: []string{"AWS_STS_REGIONAL_ENDPOINTS=legacy"}},
	{name: "legacy, us-east-1", args: []string{"--cluster-name", "demo", "--region", "us-east-1"}, env: []string{"AWS_STS_REGIONAL_ENDPOINTS=legacy"}},
	{name: "legacy, other region", args: []string{"--cluster-name", "demo", "--region", "eu-south-1"}, env: []string{"AWS_STS_REGIONAL_ENDPOINTS=legacy"}},
	{name: "legacy from the profile", args: []string{"--cluster-name", "demo"}, env: []string{"AWS_PROFILE=old"},
		config: "[profile old]\nregion = ap-northeast-1\nsts_regional_endpoints = legacy\n"},
	{name: "env regional beats profile legacy", args: []string{"--cluster-name", "demo"}, env: []string{"AWS_STS_REGIONAL_ENDPOINTS=regional"},
		config: "[default]\nregion = ap-south-1\nsts_regional_endpoints = legacy\n"},
	{name: "AWS_ENDPOINT_URL", args: []string{"--cluster-name", "demo", "--region", "eu-west-1"}, env: []string{"AWS_ENDPOINT_URL=http://127.0.0.1:5000"}},
	{name: "AWS_ENDPOINT_URL_STS with a path", args: []string{"--cluster-name", "demo", "--region", "eu-west-1"},
		env: []string{"AWS_ENDPOINT_URL=http://127.0.0.1:5000", "AWS_ENDPOINT_URL_STS=https://sts.example.internal:8443/proxy/"}},
	{name: "endpoint_url of the profile", args: []string{"--cluster-name", "demo"}, config: "[default]\nregion = us-east-1\nendpoint_url = http://localhost:4566\n"},
	{name: "China partition", args: []string{"--cluster-name", "demo", "--region", "cn-north-1"}},
	{name: "FIPS, GovCloud", args: []string{"--cluster-name", "demo", "--region", "us-gov-west-1"}, env: []string{"AWS_USE_FIPS_ENDPOINT=true"}},
	{name: "FIPS", args: []string{"--cluster-name", "demo", "--region", "us-east-2"}, env: []string{"AWS_USE_FIPS_ENDPOINT=true"}},
	{name: "dual-stack", args: []string{"--cluster-name", "demo", "--region", "eu-west-1"}, env: []string{"AWS_USE_DUALSTACK_ENDPOINT=true"}},
	{name: "exec info v1", args: []string{"--cluster-name", "demo", "--region", "eu-west-1"},
		env: []string{`KUBERNETES_EXEC_INFO={"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`}},
	{name: "exec info unknown version", args: []string{"--cluster-name", "demo", "--region", "eu-west-1"}, warns: true,
		env: []string{`KUBERNETES_EXEC_INFO={"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v2","spec":{}}`}},
	{name: "exec info malformed", args: []string{"--cluster-name", "demo", "--region", "eu-west-1"}, warns: true,
		env: []string{`KUBERNETES_EXEC_INFO={"kind":`}},
}

// TestParityWithAWSCLI compares kcc-eks's whole stdout, byte for byte, with
// what the real `aws eks get-token` prints under a frozen clock for the same
// environment and ~/.aws files.
func TestParityWithAWSCLI(t *testing.T) {
	aws := testbin.Require(t, "aws")
	faketime := testbin.Require(t, "faketime")
	type cliResult struct {
		stdout, stderr []byte
		err            error
	}
	homes := make([]string, len(parityCases))
	results := make([]cliResult, len(parityCases))
	// The CLI takes about a second per run: run them all at once, a few at a
	// time, before the in-process runs (which set the process environment
	// and so run one after the other).
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, tc := range parityCases {
		homes[i] = writeAWSFiles(t, tc.config, tc.credentials)
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			cmd := exec.Command(faketime, append([]string{"-f", frozen, aws, "eks", "get-token"}, tc.args...)...)
			cmd.Env = cliEnv(caseEnv(homes[i], tc.env))
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			results[i] = cliResult{stdout.Bytes(), stderr.Bytes(), err}
		})
	}
	wg.Wait()

	for i, tc := range parityCases {
		t.Run(tc.name, func(t *testing.T) {
			want := results[i]
			if want.err != nil {
				t.Fatalf("aws eks get-token %s: %v\n%s", strings.Join(tc.args, " "), want.err, want.stderr)
			}
			stdout, stderr, code := runInProcess(t, caseEnv(homes[i], tc.env), tc.args...)
			if code != 0 {
				t.Fatalf("kcc-eks exited %d: %s", code, stderr)
			}
			if !bytes.Equal(stdout, want.stdout) {
				t.Errorf("kcc-eks's output differs from the CLI's\nkcc-eks:\n%s\naws:\n%s\nkcc-eks URL: %s\naws URL:     %s",
					stdout, want.stdout, tokenURL(t, stdout), tokenURL(t, want.stdout))
			}
			if gotWarn, wantWarn := len(stderr) > 0, len(want.stderr) > 0; gotWarn != tc.warns || wantWarn != tc.warns {
				t.Errorf("stderr: kcc-eks %q, aws %q; want a warning: %v", stderr, want.stderr, tc.warns)
			}
			if tc.warns && bytes.Count(stderr, []byte("\n")) != 1 {
				t.Errorf("the warning is not one line: %q", stderr)
			}
		})
	}
}

// writeAWSFiles writes ~/.aws/config and ~/.aws/credentials of a new home.
func writeAWSFiles(t *testing.T, config, credentials string) string {
	t.Helper()
	home := t.TempDir()
	dir := filepath.Join(home, ".aws")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"config": config, "credentials": credentials} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

// caseEnv is the AWS environment of one case: the fixed keys, a home of its
// own, then the case's entries ("K=" removes K).
func caseEnv(home string, extra []string) []string {
	env := []string{
		"HOME=" + home,
		"AWS_ACCESS_KEY_ID=" + keyID,
		"AWS_SECRET_ACCESS_KEY=" + secretKey,
		"AWS_CONFIG_FILE=" + filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, ".aws", "credentials"),
		// Nothing here may need the instance-metadata service.
		"AWS_EC2_METADATA_DISABLED=true",
	}
	for _, e := range extra {
		k, _, _ := strings.Cut(e, "=")
		env = removeEnv(env, k)
		if !strings.HasSuffix(e, "=") {
			env = append(env, e)
		}
	}
	return env
}

func removeEnv(env []string, name string) []string {
	out := env[:0:0]
	for _, e := range env {
		if !strings.HasPrefix(e, name+"=") {
			out = append(out, e)
		}
	}
	return out
}

// cliEnv adds what the aws CLI needs to run at all (PATH, its pyenv shim).
func cliEnv(env []string) []string {
	env = append(env, "TZ=UTC")
	for _, k := range []string{"PATH", "PYENV_ROOT", "PYENV_VERSION", "LANG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// runInProcess runs kcc-eks's run with exactly env as the AWS environment
// (every other AWS_* variable and KUBERNETES_EXEC_INFO of the test process
// removed) and the clock frozen at frozenTime.
func runInProcess(t *testing.T, env []string, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	for _, e := range os.Environ() {
		k, _, _ := strings.Cut(e, "=")
		if strings.HasPrefix(k, "AWS_") || k == "KUBERNETES_EXEC_INFO" {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		t.Setenv(k, v)
	}
	var out, errOut bytes.Buffer
	code = runAt(context.Background(), func() time.Time { return frozenTime }, args, strings.NewReader(""), &out, &errOut)
	return out.Bytes(), errOut.Bytes(), code
}

// TestProfileEnvPrecedence pins the one documented difference in which
// credentials sign: with AWS_PROFILE and AWS_DEFAULT_PROFILE naming
// different profiles, kcc-eks takes AWS_PROFILE, as the Go SDK,
// aws-iam-authenticator and eks-auth do (and so a kubeconfig's exec env
// AWS_PROFILE wins over a shell's AWS_DEFAULT_PROFILE), where the AWS CLI v1
// (botocore) takes AWS_DEFAULT_PROFILE. Alone, AWS_DEFAULT_PROFILE is
// honoured by both.
func TestProfileEnvPrecedence(t *testing.T) {
	const config = "[profile a]\naws_access_key_id = AKIDPROFILEA\naws_secret_access_key = a-secret\n\n" +
		"[profile b]\naws_access_key_id = AKIDPROFILEB\naws_secret_access_key = b-secret\n"
	signer := func(out []byte) string {
		u := tokenURL(t, out)
		_, rest, _ := strings.Cut(u, "X-Amz-Credential=")
		id, _, _ := strings.Cut(rest, "%2F")
		return id
	}
	aws := testbin.Require(t, "aws")
	for _, tc := range []struct {
		name          string
		env           []string
		kccEKS, awsV1 string
	}{
		{"both set", []string{"AWS_DEFAULT_PROFILE=a", "AWS_PROFILE=b"}, "AKIDPROFILEB", "AKIDPROFILEA"},
		{"AWS_DEFAULT_PROFILE alone", []string{"AWS_DEFAULT_PROFILE=a"}, "AKIDPROFILEA", "AKIDPROFILEA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := caseEnv(writeAWSFiles(t, config, ""), append([]string{"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_DEFAULT_REGION=eu-west-1"}, tc.env...))
			stdout, stderr, code := runInProcess(t, env, "--cluster-name", "demo")
			if code != 0 {
				t.Fatalf("kcc-eks exited %d: %s", code, stderr)
			}
			if got := signer(stdout); got != tc.kccEKS {
				t.Errorf("kcc-eks signed with %s, want %s", got, tc.kccEKS)
			}
			cmd := exec.Command(aws, "eks", "get-token", "--cluster-name", "demo")
			cmd.Env = cliEnv(env)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("aws eks get-token: %v", err)
			}
			if got := signer(out); got != tc.awsV1 {
				t.Errorf("the AWS CLI signed with %s, want %s: the documented difference changed", got, tc.awsV1)
			}
		})
	}
}
