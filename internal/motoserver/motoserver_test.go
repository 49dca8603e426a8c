package motoserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func TestStartServesSTSAndEKS(t *testing.T) {
	endpoint := Start(t)
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") {
		t.Fatalf("endpoint %q is not on 127.0.0.1", endpoint)
	}
	cfg := Config(endpoint, "eu-west-1", "AKIAIOSFODNN7EXAMPLE", "secret", "")
	if got := CallerAccount(t, cfg); got != DefaultAccount {
		t.Errorf("caller account %s, want %s", got, DefaultAccount)
	}

	// A role of another account: its credentials act in that account.
	other := AssumeRole(t, cfg, "arn:aws:iam::210987654321:role/admin")
	if got := CallerAccount(t, other); got != "210987654321" {
		t.Errorf("assumed role's account %s, want 210987654321", got)
	}
	sessions := AssumedRoles(t, endpoint)
	if len(sessions) != 1 || sessions[0].ARN != "arn:aws:sts::210987654321:assumed-role/admin/motoserver-setup" || sessions[0].SecretAccessKey == "" {
		t.Errorf("moto's role sessions: %v", sessions)
	}
	if _, ok := SessionSecret(t, endpoint)(sessions[0].AccessKeyID); !ok {
		t.Errorf("SessionSecret does not know %s", sessions[0])
	}
	arn := CreateRole(t, other, "deployer")
	if arn != "arn:aws:iam::210987654321:role/deployer" {
		t.Errorf("role ARN %s", arn)
	}

	c := CreateCluster(t, other, "prod")
	if aws.ToString(c.Name) != "prod" || !strings.Contains(aws.ToString(c.Arn), ":210987654321:cluster/prod") {
		t.Errorf("cluster name %q arn %q", aws.ToString(c.Name), aws.ToString(c.Arn))
	}
	if aws.ToString(c.Endpoint) == "" || c.CertificateAuthority == nil || aws.ToString(c.CertificateAuthority.Data) == "" {
		t.Errorf("cluster has no endpoint or CA data: %+v", c)
	}
}

func TestEnableAuthRefusesAKeyWithoutPolicy(t *testing.T) {
	endpoint := Start(t)
	admin := Config(endpoint, "us-east-1", "AKIAIOSFODNN7EXAMPLE", "secret", "")
	id, secret := CreateUserKey(t, admin, "nobody")
	EnableAuth(t, endpoint)

	_, err := sts.NewFromConfig(Config(endpoint, "us-east-1", id, secret, "")).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::123456789012:role/admin"),
		RoleSessionName: aws.String("test"),
	})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" {
		t.Fatalf("AssumeRole with a key no policy allows: err %v, want AccessDenied", err)
	}
}

func TestStopsAtCleanup(t *testing.T) {
	var endpoint string
	t.Run("server", func(t *testing.T) { endpoint = Start(t) })
	resp, err := http.Get(endpoint + "/moto-api/data.json")
	if err == nil {
		resp.Body.Close()
		t.Fatalf("moto_server on %s still answers after its test ended", endpoint)
	}
}

func TestMissingMotoServer(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, tc := range []struct {
		ci       string
		wantFail bool
	}{{"1", true}, {"", false}} {
		t.Run("CI="+tc.ci, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			done := make(chan struct{})
			go func() { defer close(done); Start(r) }()
			<-done
			if r.failed != tc.wantFail || r.skipped == tc.wantFail {
				t.Fatalf("failed=%v skipped=%v, want failed=%v: %s", r.failed, r.skipped, tc.wantFail, r.msg)
			}
			if strings.Count(r.msg, "\n") != 0 || !strings.Contains(r.msg, "moto_server") {
				t.Errorf("message %q is not one line naming moto_server", r.msg)
			}
		})
	}
}

// recorder stands in for the testing.TB of a test that wants moto_server.
type recorder struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
