package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/eksauth"
	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
)

// motoEnv is the environment of a kcc-eks that talks to moto at endpoint
// with static keys of moto's default account.
func motoEnv(t *testing.T, endpoint string, extra ...string) []string {
	env := append(home(t, "", ""),
		"AWS_ENDPOINT_URL="+endpoint,
		"AWS_ACCESS_KEY_ID=AKIDMOTOCALLER",
		"AWS_SECRET_ACCESS_KEY=moto-caller-secret",
		"AWS_DEFAULT_REGION=eu-west-1",
		"AWS_EC2_METADATA_DISABLED=true",
	)
	return append(env, extra...)
}

// session is the role session moto issued whose key signed tok, checked the
// way EKS checks it (STS knows the session's secret).
func session(t *testing.T, endpoint, tok, cluster string) motoserver.AssumedRole {
	t.Helper()
	return sessionVia(t, endpoint, mustHost(t, endpoint), tok, cluster)
}

// sessionVia is session for a token whose URL points at host, not moto.
func sessionVia(t *testing.T, endpoint, host, tok, cluster string) motoserver.AssumedRole {
	t.Helper()
	id := verify(t, tok, cluster, host, motoserver.SessionSecret(t, endpoint))
	for _, s := range motoserver.AssumedRoles(t, endpoint) {
		if s.AccessKeyID == id.AccessKeyID {
			if id.SessionToken != s.SessionToken {
				t.Errorf("the token carries another session token than %s's", s)
			}
			return s
		}
	}
	t.Fatalf("no role session has key %s", id.AccessKeyID)
	return motoserver.AssumedRole{}
}

// TestRoleARN: --role-arn assumes the role with the caller's credentials,
// as the CLI does (session EKSGetTokenAuth), and signs with the session;
// --session-name and --external-id reach STS; a role of another account
// gives that account's identity.
func TestRoleARN(t *testing.T) {
	t.Parallel()
	endpoint := motoserver.Start(t)
	for _, tc := range []struct {
		name        string
		args        []string
		wantARN     string
		wantExtID   string
		wantAccount string
	}{
		{"default session name", []string{"--role-arn", "arn:aws:iam::123456789012:role/deployer"},
			"arn:aws:sts::123456789012:assumed-role/deployer/EKSGetTokenAuth", "", "123456789012"},
		{"cross-account, session name, external id", []string{"--role-arn", "arn:aws:iam::210987654321:role/admin", "--session-name", "alice@example.com", "--external-id", "ext-42"},
			"arn:aws:sts::210987654321:assumed-role/admin/alice@example.com", "ext-42", "210987654321"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := kccEKS(t, motoEnv(t, endpoint), "", append([]string{"--cluster-name", "prod"}, tc.args...)...)
			s := session(t, endpoint, token(t, r), "prod")
			if s.ARN != tc.wantARN || s.AccountID != tc.wantAccount {
				t.Errorf("signed by %s in account %s, want %s in %s", s.ARN, s.AccountID, tc.wantARN, tc.wantAccount)
			}
			if got := deref(s.ExternalID); got != tc.wantExtID {
				t.Errorf("external id %q, want %q", got, tc.wantExtID)
			}
		})
	}
}

// TestSourceProfileChain: a profile assuming a role with the credentials of
// a profile that assumes a role (two accounts), then --role-arn on top.
func TestSourceProfileChain(t *testing.T) {
	t.Parallel()
	endpoint := motoserver.Start(t)
	const config = `[profile base]
region = eu-west-1

[profile dev]
role_arn = arn:aws:iam::111111111111:role/dev
source_profile = base
role_session_name = dev-hop

[profile prod]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = dev
role_session_name = prod-hop
region = eu-west-1
`
	const creds = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"
	env := func() []string {
		return append(home(t, config, creds), "AWS_ENDPOINT_URL="+endpoint, "AWS_PROFILE=prod", "AWS_EC2_METADATA_DISABLED=true")
	}

	s := session(t, endpoint, token(t, kccEKS(t, env(), "", "--cluster-name", "prod")), "prod")
	if s.ARN != "arn:aws:sts::222222222222:assumed-role/prod/prod-hop" {
		t.Errorf("signed by %s, want the prod role's session", s.ARN)
	}
	var hops []string
	for _, s := range motoserver.AssumedRoles(t, endpoint) {
		hops = append(hops, s.ARN)
	}
	if len(hops) != 2 || hops[0] != "arn:aws:sts::111111111111:assumed-role/dev/dev-hop" {
		t.Errorf("role sessions %v, want dev's then prod's", hops)
	}

	s = session(t, endpoint, token(t, kccEKS(t, env(), "", "--cluster-name", "prod", "--role-arn", "arn:aws:iam::333333333333:role/eks")), "prod")
	if s.ARN != "arn:aws:sts::333333333333:assumed-role/eks/EKSGetTokenAuth" {
		t.Errorf("with --role-arn: signed by %s", s.ARN)
	}
}

// TestWebIdentity: IRSA-style AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE.
func TestWebIdentity(t *testing.T) {
	t.Parallel()
	endpoint := motoserver.Start(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2ln"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(home(t, "", ""), "AWS_ENDPOINT_URL="+endpoint, "AWS_REGION=eu-west-1",
		"AWS_ROLE_ARN=arn:aws:iam::123456789012:role/pod", "AWS_WEB_IDENTITY_TOKEN_FILE="+tokenFile,
		"AWS_ROLE_SESSION_NAME=ci-runner", "AWS_EC2_METADATA_DISABLED=true")
	s := session(t, endpoint, token(t, kccEKS(t, env, "", "--cluster-name", "prod")), "prod")
	if s.ARN != "arn:aws:sts::123456789012:assumed-role/pod/ci-runner" {
		t.Errorf("signed by %s", s.ARN)
	}
}

// TestMFAPrompt: a role profile with mfa_serial asks for the code on
// stderr, reads it from stdin and sends it to STS (seen by a proxy in front
// of moto); stdout stays only the ExecCredential.
func TestMFAPrompt(t *testing.T) {
	t.Parallel()
	endpoint := motoserver.Start(t)
	target, _ := url.Parse(endpoint)
	var mu sync.Mutex
	var bodies []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		httputil.NewSingleHostReverseProxy(target).ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)

	const config = `[profile mfa]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/alice
region = eu-west-1
`
	const creds = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"
	env := append(home(t, config, creds), "AWS_ENDPOINT_URL="+proxy.URL, "AWS_PROFILE=mfa", "AWS_EC2_METADATA_DISABLED=true")

	r := kccEKS(t, env, "123456\n", "--cluster-name", "prod")
	tok := token(t, r)
	if r.stderr != "Enter MFA code for arn:aws:iam::123456789012:mfa/alice: " {
		t.Errorf("stderr %q, want only the prompt", r.stderr)
	}
	s := sessionVia(t, endpoint, mustHost(t, proxy.URL), tok, "prod")
	if s.ARN != "arn:aws:sts::123456789012:assumed-role/admin/"+s.SessionName {
		t.Errorf("signed by %s", s.ARN)
	}
	mu.Lock()
	sent := strings.Join(bodies, "\n")
	mu.Unlock()
	if !strings.Contains(sent, "TokenCode=123456") || !strings.Contains(sent, "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice") {
		t.Errorf("AssumeRole did not carry the MFA code and serial:\n%s", sent)
	}

	// kubectl gives a non-interactive plugin no stdin (a HOME of its own:
	// the first run's session is cached in the other one).
	env = append(home(t, config, creds), "AWS_ENDPOINT_URL="+proxy.URL, "AWS_PROFILE=mfa", "AWS_EC2_METADATA_DISABLED=true")
	r = kccEKS(t, env, "", "--cluster-name", "prod")
	if !strings.HasPrefix(r.stderr, "Enter MFA code for ") {
		t.Errorf("no prompt: %q", r.stderr)
	}
	r.stderr = r.stderr[strings.Index(r.stderr, ": kcc-eks:")+2:]
	wantOneLineError(t, r, 1, "stdin is closed", "base-secret")
}

// TestRefusedAssumeRole: STS refuses the role (moto with IAM enforcement,
// a key whose user has no policy).
func TestRefusedAssumeRole(t *testing.T) {
	t.Parallel()
	endpoint := motoserver.Start(t)
	admin := motoserver.Config(endpoint, "eu-west-1", "AKIDADMIN", "admin-secret", "")
	id, secret := motoserver.CreateUserKey(t, admin, "nobody")
	motoserver.EnableAuth(t, endpoint)

	env := append(home(t, "", ""), "AWS_ENDPOINT_URL="+endpoint, "AWS_ACCESS_KEY_ID="+id, "AWS_SECRET_ACCESS_KEY="+secret,
		"AWS_REGION=eu-west-1", "AWS_EC2_METADATA_DISABLED=true")
	r := kccEKS(t, env, "", "--cluster-name", "prod", "--role-arn", "arn:aws:iam::123456789012:role/admin")
	wantOneLineError(t, r, 1, "could not assume role arn:aws:iam::123456789012:role/admin", secret)
	if !strings.Contains(r.stderr, "AccessDenied") {
		t.Errorf("the error does not carry STS's reason: %q", r.stderr)
	}
	// Without --role-arn nothing is asked of STS: the token is made offline
	// (EKS would then refuse the user, not kcc-eks).
	tok := token(t, kccEKS(t, env, "", "--cluster-name", "prod"))
	if _, err := (&eksauth.Verifier{ClusterID: "prod", Secret: eksauth.Keys(map[string]string{id: secret}), Hosts: []string{mustHost(t, endpoint)}}).Verify(tok); err != nil {
		t.Errorf("the user's own token: %v", err)
	}
}

func mustHost(t *testing.T, endpoint string) string {
	t.Helper()
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestEKSAuthCommandLines: a kubeconfig, Terraform exec block or Dockerfile
// written for eks-auth gets a token when only the program's name changes.
// eks-auth parses Go flag syntax (-name value, -name=value, --name value);
// its README passes --cluster-name and --role-arn, and its fork's kubeconfig
// example --region and --role.
func TestEKSAuthCommandLines(t *testing.T) {
	t.Parallel()
	endpoint := motoserver.Start(t)
	const admin = "arn:aws:iam::123456789012:role/cluster-admin-role"
	for _, tc := range []struct {
		name         string
		args         []string
		region, role string
	}{
		{"README, Go flag syntax", []string{"-cluster-name", "prod", "-role-arn", admin}, "eu-west-1", admin},
		{"= values", []string{"-cluster-name=prod", "--role-arn=" + admin}, "eu-west-1", admin},
		{"fork's kubeconfig", []string{"--region", "ap-northeast-1", "--cluster-name", "prod", "--role", admin}, "ap-northeast-1", admin},
		{"no role", []string{"-region=us-west-2", "-cluster-name", "prod"}, "us-west-2", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := token(t, kccEKS(t, motoEnv(t, endpoint), "", tc.args...))
			secret := eksauth.Keys(map[string]string{"AKIDMOTOCALLER": "moto-caller-secret"})
			if tc.role != "" {
				secret = motoserver.SessionSecret(t, endpoint)
			}
			id := verify(t, tok, "prod", mustHost(t, endpoint), secret)
			if id.Region != tc.region {
				t.Errorf("signed for region %s, want %s", id.Region, tc.region)
			}
			if tc.role == "" {
				if id.AccessKeyID != "AKIDMOTOCALLER" {
					t.Errorf("signed by %s, want the caller's keys", id.AccessKeyID)
				}
				return
			}
			if s := session(t, endpoint, tok, "prod"); s.ARN != "arn:aws:sts::123456789012:assumed-role/cluster-admin-role/EKSGetTokenAuth" {
				t.Errorf("signed by %s, want the role's session", s.ARN)
			}
		})
	}
}
