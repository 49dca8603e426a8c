package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// TestMFACodeNotEchoed: on a real terminal (tmux), the MFA code typed at
// the prompt is not echoed, as the AWS CLI's getpass prompt does not echo
// it, and the token is still made with it.
func TestMFACodeNotEchoed(t *testing.T) {
	tmux := testbin.Require(t, "tmux")
	endpoint := motoserver.Start(t)
	dir := t.TempDir()
	bin := testbin.Build(t, dir, "kcc-eks")
	const config = "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n" +
		"mfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n"
	const creds = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"
	env := append(home(t, config, creds), "AWS_ENDPOINT_URL="+endpoint, "AWS_PROFILE=mfa", "AWS_EC2_METADATA_DISABLED=true")

	out := filepath.Join(dir, "stdout")
	var script strings.Builder
	script.WriteString("#!/bin/sh\n")
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		fmt.Fprintf(&script, "export %s='%s'\n", k, v)
	}
	fmt.Fprintf(&script, "'%s' --cluster-name prod >'%s'\necho EXIT:$?\nexec sleep 600\n", bin, out)
	path := filepath.Join(dir, "pane.sh")
	if err := os.WriteFile(path, []byte(script.String()), 0o700); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "tmux.sock")
	tmuxDo := func(args ...string) string {
		t.Helper()
		b, err := exec.Command(tmux, append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, b)
		}
		return string(b)
	}
	tmuxDo("-f", "/dev/null", "new-session", "-d", "-x", "150", "-y", "30", path)
	t.Cleanup(func() { _ = exec.Command(tmux, "-S", sock, "kill-server").Run() })
	waitFor := func(text string) string {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			screen := tmuxDo("capture-pane", "-p", "-J")
			if strings.Contains(screen, text) {
				return screen
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %q on the terminal:\n%s", text, screen)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("Enter MFA code for arn:aws:iam::123456789012:mfa/alice: ")
	tmuxDo("send-keys", "-l", "987654")
	tmuxDo("send-keys", "Enter")
	screen := waitFor("EXIT:")
	if !strings.Contains(screen, "EXIT:0") {
		t.Fatalf("kcc-eks failed:\n%s", screen)
	}
	if strings.Contains(screen, "987654") {
		t.Errorf("the MFA code was echoed:\n%s", screen)
	}
	r := result{code: 0}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r.stdout = string(b)
	tok := token(t, r)
	if s := session(t, endpoint, tok, "prod"); s.ARN != "arn:aws:sts::123456789012:assumed-role/admin/"+s.SessionName {
		t.Errorf("signed by %s", s.ARN)
	}
}
