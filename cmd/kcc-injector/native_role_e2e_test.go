package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// TestEndToEndNativeEKSRoleARN: the kubeconfig the real "aws eks
// update-kubeconfig --role-arn" writes (against moto_server) holds "--role",
// which the CLI's argparse reads as get-token's --role-arn. --native-eks
// switches that user to kcc-eks with the role, without a warning; kcc-eks
// with those args assumes the same role the original aws command line
// assumes; and -r gives back the file aws wrote, byte for byte.
func TestEndToEndNativeEKSRoleARN(t *testing.T) {
	aws := testbin.Require(t, "aws")
	endpoint := motoserver.Start(t)
	cfg := motoserver.Config(endpoint, "us-east-1", "AKIAE2EROLE000000001", "e2e-secret", "")
	motoserver.CreateCluster(t, cfg, "demo")
	role := motoserver.CreateRole(t, cfg, "admin")

	dir := t.TempDir()
	config := filepath.Join(dir, "kubeconfig")
	env := append(awsFreeEnv(), "HOME="+dir, "PATH="+os.Getenv("PATH"), "KUBECONFIG=",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"),
		"AWS_ACCESS_KEY_ID=AKIAE2EROLE000000001", "AWS_SECRET_ACCESS_KEY=e2e-secret",
		"AWS_ENDPOINT_URL="+endpoint, "AWS_EC2_METADATA_DISABLED=true")
	awsRun := func(args ...string) testbin.Result {
		t.Helper()
		cmd := exec.Command(aws, args...)
		cmd.Env = env
		r := testbin.Run(t, cmd)
		if r.Code != 0 {
			t.Fatalf("aws %s: exit %d: %s", strings.Join(args, " "), r.Code, r.Stderr)
		}
		return r
	}
	awsRun("eks", "update-kubeconfig", "--region", "us-east-1", "--name", "demo", "--role-arn", role, "--kubeconfig", config)
	written, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	user := onlyExec(t, written)
	wantAWS := []string{"--region", "us-east-1", "eks", "get-token", "--cluster-name", "demo", "--output", "json", "--role", role}
	if user.Command != "aws" || !reflect.DeepEqual(user.Args, wantAWS) {
		t.Fatalf("aws eks update-kubeconfig wrote %s %q, want aws %q", user.Command, user.Args, wantAWS)
	}

	// On PATH, so that kcc-injector has nothing to warn about but a
	// user it cannot switch.
	bin := filepath.Join(dir, "bin")
	kccEKS := testbin.Build(t, bin, "kcc-eks")
	testbin.Build(t, bin, "kcc-cache")
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"--native-eks", "-i", config}, nil, &stdout, &stderr); code != 0 || stderr.Len() != 0 {
		t.Fatalf("--native-eks: exit %d, stderr %q", code, stderr.String())
	}
	switched, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	native := onlyExec(t, switched)
	wantEKS := []string{"kcc-eks", "--cluster-name", "demo", "--region", "us-east-1", "--role-arn", role}
	if native.Command != "kcc-cache" || !reflect.DeepEqual(native.Args, wantEKS) {
		t.Fatalf("--native-eks wrote %s %q, want kcc-cache %q", native.Command, native.Args, wantEKS)
	}

	// Both command lines assume the role: the one moto has sessions of.
	awsRun(user.Args...)
	cmd := exec.Command(kccEKS, native.Args[1:]...)
	cmd.Env = env
	if r := testbin.Run(t, cmd); r.Code != 0 || !strings.Contains(r.Stdout, "k8s-aws-v1.") {
		t.Fatalf("kcc-eks %q: exit %d: %s", native.Args[1:], r.Code, r.Stderr)
	}
	var roles []string
	for _, s := range motoserver.AssumedRoles(t, endpoint) {
		roles = append(roles, s.RoleARN)
	}
	if len(roles) != 2 || roles[0] != role || roles[1] != role {
		t.Errorf("moto saw role sessions %q, want two of %s (aws's, then kcc-eks's)", roles, role)
	}

	if code := run(t.Context(), []string{"-r", "-i", config}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, stderr.String())
	}
	if restored, _ := os.ReadFile(config); !bytes.Equal(restored, written) {
		t.Errorf("restored file differs from what aws wrote\nwant:\n%s\ngot:\n%s", written, restored)
	}
}

// onlyExec is the exec plugin of the kubeconfig's one user, as kubectl
// loads it.
func onlyExec(t *testing.T, kubeconfig []byte) *clientcmdapi.ExecConfig {
	t.Helper()
	c, err := clientcmd.Load(kubeconfig)
	if err != nil || len(c.AuthInfos) != 1 {
		t.Fatalf("kubeconfig (%v) with %d users:\n%s", err, len(c.AuthInfos), kubeconfig)
	}
	for _, u := range c.AuthInfos {
		if u.Exec != nil {
			return u.Exec
		}
	}
	t.Fatalf("no exec plugin in:\n%s", kubeconfig)
	return nil
}
