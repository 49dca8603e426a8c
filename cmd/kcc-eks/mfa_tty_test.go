package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// TestMFACodeNotEchoed: on a real terminal (tmux), the MFA code typed at
// the prompt is not echoed, as the AWS CLI's getpass prompt does not echo
// it, and the token is still made with it.
func TestMFACodeNotEchoed(t *testing.T) {
	endpoint := motoserver.Start(t)
	dir := t.TempDir()
	bin := testbin.Build(t, dir, "kcc-eks")
	const config = "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n" +
		"mfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n"
	const creds = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"
	env := append(home(t, config, creds), "AWS_ENDPOINT_URL="+endpoint, "AWS_PROFILE=mfa", "AWS_EC2_METADATA_DISABLED=true")

	out := filepath.Join(dir, "stdout")
	term := testbin.StartTerminal(t, env, testbin.Quote(bin, "--cluster-name", "prod")+" >"+testbin.Quote(out))
	term.WaitFor(t, "Enter MFA code for arn:aws:iam::123456789012:mfa/alice: ")
	term.Send(t, "-l", "987654")
	term.Send(t, "Enter")
	screen := term.WaitFor(t, "EXIT:")
	if !strings.Contains(screen, "EXIT:0") {
		t.Fatalf("kcc-eks failed:\n%s", screen)
	}
	if strings.Contains(screen, "987654") {
		t.Errorf("the MFA code was echoed:\n%s", screen)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	tok := token(t, result{stdout: string(b)})
	if s := session(t, endpoint, tok, "prod"); s.ARN != "arn:aws:sts::123456789012:assumed-role/admin/"+s.SessionName {
		t.Errorf("signed by %s", s.ARN)
	}
}
