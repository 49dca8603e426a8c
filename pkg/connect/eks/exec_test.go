package eks

import (
	"reflect"
	"testing"

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
		{"aws eks get-token", c, PluginAWS, "aws", []string{"--region", "eu-west-1", "eks", "get-token", "--cluster-name", "demo", "--output", "json"}, profileEnv},
		{"aws with a role", role, PluginAWS, "aws", []string{"--region", "eu-west-1", "eks", "get-token", "--cluster-name", "demo", "--output", "json", "--role-arn", role.RoleARN}, profileEnv},
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
