package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// TestMFAProfileUsesCachedSession: kcc-connect does not prompt for an MFA
// code; a role profile with mfa_serial fails with a one-line hint until the
// real AWS CLI has cached a session for it (after its own prompt, on a
// terminal), and then discovery signs with that session.
func TestMFAProfileUsesCachedSession(t *testing.T) {
	aws := testbin.Require(t, "aws")
	endpoint := motoserver.Start(t)
	motoserver.CreateCluster(t, motoserver.Config(endpoint, "eu-west-1", "AKIDSETUP", "setup-secret", ""), "payments")
	dir := isolateAWS(t)
	config := "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n" +
		"mfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n"
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	creds := "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"
	if err := os.WriteFile(filepath.Join(dir, "credentials"), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ENDPOINT_URL", endpoint)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	args := []string{"discover", "--profile", "mfa", "--no-version-check", "-o", "json"}

	code, _, stderr := runCmd(t, args...)
	if code == 0 || !strings.Contains(stderr, "run `aws sts get-caller-identity` with this profile once") {
		t.Errorf("without a cached session: exit %d, stderr %q", code, stderr)
	}

	env := []string{"HOME=" + dir, "AWS_CONFIG_FILE=" + filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		"AWS_ENDPOINT_URL=" + endpoint, "AWS_PROFILE=mfa", "AWS_EC2_METADATA_DISABLED=true"}
	cli := testbin.StartTerminal(t, env, testbin.Quote(aws, "sts", "get-caller-identity", "--output", "text", "--query", "Arn"))
	cli.WaitFor(t, "Enter MFA code for arn:aws:iam::123456789012:mfa/alice: ")
	cli.Send(t, "-l", "123456")
	cli.Send(t, "Enter")
	if screen := cli.WaitFor(t, "EXIT:"); !strings.Contains(screen, "EXIT:0") {
		t.Fatalf("aws failed:\n%s", screen)
	}

	code, stdout, stderr := runCmd(t, args...)
	if code != 0 || !strings.Contains(stdout, "arn:aws:eks:eu-west-1:123456789012:cluster/payments") {
		t.Fatalf("with the CLI's session: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	roles := motoserver.AssumedRoles(t, endpoint)
	if len(roles) != 1 {
		t.Fatalf("%d role sessions, want only the CLI's", len(roles))
	}
	if out := stdout + stderr; strings.Contains(out, roles[0].SecretAccessKey) || strings.Contains(out, roles[0].SessionToken) {
		t.Errorf("the output shows the session's secret:\n%s", out)
	}
}
