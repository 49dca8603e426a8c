package motoserver

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// DefaultAccount is the account moto gives any access key it has not issued
// itself.
const DefaultAccount = "123456789012"

// Config is an SDK configuration for endpoint with static credentials (any
// key works on moto until EnableAuth) in region. It reads nothing from the
// environment or ~/.aws, so a test's own settings cannot leak into it.
func Config(endpoint, region, accessKeyID, secretKey, sessionToken string) aws.Config {
	return aws.Config{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKeyID, secretKey, sessionToken),
		HTTPClient:   &http.Client{Timeout: 30 * time.Second},
		// moto answers every request; a retry would only hide a failure.
		Retryer: func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// CreateRole creates the IAM role name (trusting any principal of any
// account) in the account of cfg's credentials and returns its ARN.
func CreateRole(t testing.TB, cfg aws.Config, name string) string {
	t.Helper()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`
	out, err := iam.NewFromConfig(cfg).CreateRole(ctx(t), &iam.CreateRoleInput{
		RoleName:                 aws.String(name),
		AssumeRolePolicyDocument: aws.String(trust),
	})
	if err != nil {
		t.Fatalf("moto: create role %s: %v", name, err)
	}
	return aws.ToString(out.Role.Arn)
}

// AssumeRole returns a configuration acting as roleARN, assumed with cfg's
// credentials: moto gives a role of another account credentials that act in
// that account.
func AssumeRole(t testing.TB, cfg aws.Config, roleARN string) aws.Config {
	t.Helper()
	out, err := sts.NewFromConfig(cfg).AssumeRole(ctx(t), &sts.AssumeRoleInput{
		RoleArn:         aws.String(roleARN),
		RoleSessionName: aws.String("motoserver-setup"),
	})
	if err != nil {
		t.Fatalf("moto: assume role %s: %v", roleARN, err)
	}
	c := out.Credentials
	assumed := cfg.Copy()
	assumed.Credentials = credentials.NewStaticCredentialsProvider(
		aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	return assumed
}

// CreateCluster creates the EKS cluster name in cfg's account and region and
// returns it as DescribeCluster shows it (endpoint, CA data, ARN).
func CreateCluster(t testing.TB, cfg aws.Config, name string) *ekstypes.Cluster {
	t.Helper()
	client := eks.NewFromConfig(cfg)
	account := CallerAccount(t, cfg)
	_, err := client.CreateCluster(ctx(t), &eks.CreateClusterInput{
		Name:    aws.String(name),
		RoleArn: aws.String(fmt.Sprintf("arn:aws:iam::%s:role/eks-cluster", account)),
		ResourcesVpcConfig: &ekstypes.VpcConfigRequest{
			SubnetIds: []string{"subnet-1", "subnet-2"},
		},
	})
	if err != nil {
		t.Fatalf("moto: create cluster %s in %s: %v", name, cfg.Region, err)
	}
	out, err := client.DescribeCluster(ctx(t), &eks.DescribeClusterInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("moto: describe cluster %s: %v", name, err)
	}
	return out.Cluster
}

// CallerAccount is the account cfg's credentials act in.
func CallerAccount(t testing.TB, cfg aws.Config) string {
	t.Helper()
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("moto: get caller identity: %v", err)
	}
	return aws.ToString(out.Account)
}

// CreateUserKey creates the IAM user name with no policy at all in cfg's
// account and returns an access key of it: once EnableAuth is on, moto
// refuses every action this key asks for.
func CreateUserKey(t testing.TB, cfg aws.Config, name string) (accessKeyID, secretKey string) {
	t.Helper()
	client := iam.NewFromConfig(cfg)
	if _, err := client.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatalf("moto: create user %s: %v", name, err)
	}
	out, err := client.CreateAccessKey(ctx(t), &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("moto: create access key of %s: %v", name, err)
	}
	return aws.ToString(out.AccessKey.AccessKeyId), aws.ToString(out.AccessKey.SecretAccessKey)
}

// EnableAuth makes moto authenticate and authorise every later request with
// its IAM data, as AWS does: unknown keys and actions no policy allows are
// refused. Do the setup first; it is not undone.
func EnableAuth(t testing.TB, endpoint string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPost, endpoint+"/moto-api/reset-auth", strings.NewReader("0"))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("moto: enable auth: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("moto: enable auth: %s", resp.Status)
	}
}

// ctx bounds one setup call.
func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}
