package eks

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

func TestExec(t *testing.T) {
	c := connect.Cluster{Name: "demo", Region: "eu-west-1", Profile: "prod"}
	role := c
	role.RoleARN = "arn:aws:iam::1:role/admin"
	noProfile := c
	noProfile.Profile = ""
	profileEnv := []connect.EnvVar{{Name: "AWS_PROFILE", Value: "prod"}}
	tests := []struct {
		name    string
		c       connect.Cluster
		plugin  string
		command string
		args    []string
		env     []connect.EnvVar
	}{
		{"kcc-eks by default", c, "", "kcc-eks", []string{"--cluster-name", "demo", "--region", "eu-west-1"}, profileEnv},
		{"kcc-eks with a role", role, PluginKccEKS, "kcc-eks", []string{"--cluster-name", "demo", "--region", "eu-west-1", "--role-arn", role.RoleARN}, profileEnv},
		{"aws eks get-token", c, PluginAWS, "aws", []string{"--region", "eu-west-1", "eks", "get-token", "--cluster-name", "demo", "--output", "json", "--profile", "prod"}, profileEnv},
		{"aws with a role", role, PluginAWS, "aws", []string{"--region", "eu-west-1", "eks", "get-token", "--cluster-name", "demo", "--output", "json", "--role-arn", role.RoleARN, "--profile", "prod"}, profileEnv},
		{"aws, default credential chain", noProfile, PluginAWS, "aws", []string{"--region", "eu-west-1", "eks", "get-token", "--cluster-name", "demo", "--output", "json"}, nil},
		{"default credential chain: no AWS_PROFILE", noProfile, "", "kcc-eks", []string{"--cluster-name", "demo", "--region", "eu-west-1"}, nil},
	}
	p := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := p.Exec(tt.c, tt.plugin)
			if err != nil {
				t.Fatal(err)
			}
			if e.Command != tt.command || !reflect.DeepEqual(e.Args, tt.args) || !reflect.DeepEqual(e.Env, tt.env) || e.APIVersion != "client.authentication.k8s.io/v1beta1" {
				t.Errorf("Exec = %+v", e)
			}
		})
	}
	if _, err := p.Exec(c, "aws-iam-authenticator"); err == nil {
		t.Error("an unknown plugin was accepted")
	}
}

// TestExecAWSKeepsItsProfile runs the exec written for --exec aws with the
// real AWS CLI in a shell that exports AWS_DEFAULT_PROFILE: the token must
// still be signed by the profile that found the cluster. The CLI takes
// AWS_DEFAULT_PROFILE before an AWS_PROFILE env entry, but never before its
// own --profile.
func TestExecAWSKeepsItsProfile(t *testing.T) {
	aws := testbin.Require(t, "aws")
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	const profiles = "[profile prod]\naws_access_key_id = AKIDEXECPROD\naws_secret_access_key = prod-secret\n\n" +
		"[profile dev]\naws_access_key_id = AKIDEXECDEV\naws_secret_access_key = dev-secret\n"
	if err := os.WriteFile(config, []byte(profiles), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{}).Exec(connect.Cluster{Name: "demo", Region: "eu-west-1", Profile: "prod"}, PluginAWS)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(aws, e.Args...)
	cmd.Env = []string{"HOME=" + dir, "AWS_CONFIG_FILE=" + config, "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "none"),
		"AWS_DEFAULT_PROFILE=dev", "AWS_EC2_METADATA_DISABLED=true"}
	for _, k := range []string{"PATH", "PYENV_ROOT", "PYENV_VERSION"} {
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	for _, v := range e.Env {
		cmd.Env = append(cmd.Env, v.Name+"="+v.Value)
	}
	r := testbin.Run(t, cmd)
	if r.Code != 0 {
		t.Fatalf("aws %s: exit %d: %s", strings.Join(e.Args, " "), r.Code, r.Stderr)
	}
	var cred struct {
		Status struct{ Token string } `json:"status"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &cred); err != nil {
		t.Fatalf("aws printed no ExecCredential: %v", err)
	}
	u, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(cred.Status.Token, "k8s-aws-v1."))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(u), "X-Amz-Credential=AKIDEXECPROD%2F") {
		t.Errorf("the token is not signed by profile prod's key (AKIDEXECPROD); the shell's AWS_DEFAULT_PROFILE won")
	}
}
