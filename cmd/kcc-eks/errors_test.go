package main

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// TestErrors: every failure is one line on stderr prefixed kcc-eks:, nothing
// on stdout, exit 2 for the command line or the configuration, 1 otherwise,
// and no secret shown.
func TestErrors(t *testing.T) {
	t.Parallel()
	keys := []string{"AWS_ACCESS_KEY_ID=" + keyID, "AWS_SECRET_ACCESS_KEY=" + secretKey, "AWS_SESSION_TOKEN=" + sessionToken}
	for _, tc := range []struct {
		name   string
		args   []string
		env    []string
		config string
		code   int
		text   string
	}{
		{name: "unknown flag", args: []string{"--cluster-name", "demo", "--bogus"}, env: keys, code: 2, text: "unknown flag: --bogus"},
		{name: "no cluster", args: []string{"--region", "eu-west-1"}, env: keys, code: 2, text: "--cluster-name or --cluster-id is required"},
		{name: "name and id", args: []string{"--cluster-name", "a", "--cluster-id", "b"}, env: keys, code: 2, text: "cannot be used together"},
		{name: "flag without value", args: []string{"--cluster-name"}, env: keys, code: 2, text: "flag needs an argument"},
		{name: "unknown single-dash flag", args: []string{"-cluster-name", "demo", "-bogus"}, env: keys, code: 2, text: "unknown flag: -bogus"},
		{name: "role and role-arn", args: []string{"-cluster-name", "demo", "--role", "arn:aws:iam::123456789012:role/x", "-role-arn=arn:aws:iam::123456789012:role/x"}, env: keys, code: 2, text: "--role-arn given twice"},
		{name: "positional argument", args: []string{"--cluster-name", "demo", "get-token"}, env: keys, code: 2, text: `unexpected argument "get-token"`},
		{name: "output text", args: []string{"--cluster-name", "demo", "--output", "text"}, env: keys, code: 2, text: "only json"},
		{name: "session name without role", args: []string{"--cluster-name", "demo", "--session-name", "me"}, env: keys, code: 2, text: "need --role-arn"},
		{name: "bad session name", args: []string{"--cluster-name", "demo", "--role-arn", "arn:aws:iam::123456789012:role/x", "--session-name", "a b"}, env: keys, code: 2, text: "--session-name"},
		{name: "role not an ARN", args: []string{"--cluster-name", "demo", "--role-arn", "deployer"}, env: keys, code: 2, text: "not an ARN"},
		{name: "unknown profile", args: []string{"--cluster-name", "demo"}, env: []string{"AWS_PROFILE=nope"}, config: "[default]\nregion = eu-west-1\n", code: 2, text: "nope"},
		{name: "unknown profile flag", args: []string{"--cluster-name", "demo", "--profile", "nope"}, env: keys, code: 2, text: "nope"},
		{name: "bad AWS_STS_REGIONAL_ENDPOINTS", args: []string{"--cluster-name", "demo"}, env: append([]string{"AWS_STS_REGIONAL_ENDPOINTS=global"}, keys...), code: 2, text: "AWS_STS_REGIONAL_ENDPOINTS"},
		{name: "bad sts_regional_endpoints of the profile", args: []string{"--cluster-name", "demo"}, env: keys, config: "[default]\nsts_regional_endpoints = LEGACY\n", code: 2, text: "sts_regional_endpoints of profile default"},
		{name: "endpoint URL without region", args: []string{"--cluster-name", "demo"}, env: append([]string{"AWS_ENDPOINT_URL_STS=https://sts.example.internal"}, keys...), code: 2, text: "no region"},
		{name: "credential_process fails", args: []string{"--cluster-name", "demo"}, config: "[default]\ncredential_process = /bin/false\n", code: 1, text: "could not get AWS credentials (profile default)"},
		// The SDK quotes output that is not valid credentials JSON whole.
		{name: "credential_process prints bad JSON", args: []string{"--cluster-name", "demo"},
			config: "[default]\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"" + keyID + "\", \"SecretAccessKey\": \"" + secretKey + "\", \"SessionToken\": \"" + sessionToken + "\", \"Expiration\": 5}'\n",
			code:   1, text: "credential_process printed no valid credentials"},
		{name: "web identity token file missing", args: []string{"--cluster-name", "demo", "--region", "eu-west-1"},
			env: []string{"AWS_ROLE_ARN=arn:aws:iam::123456789012:role/ci", "AWS_WEB_IDENTITY_TOKEN_FILE=/nonexistent/token", "AWS_ENDPOINT_URL=http://127.0.0.1:1"}, code: 1, text: "could not get AWS credentials"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := append(home(t, tc.config, ""), "AWS_EC2_METADATA_DISABLED=true")
			r := kccEKS(t, append(env, tc.env...), "", tc.args...)
			wantOneLineError(t, r, tc.code, tc.text, secretKey, sessionToken)
		})
	}
}

// TestNoCredentialsFailsFast: with no credentials anywhere, the SDK's chain
// ends at the EC2 instance-metadata service. Where it does not answer (a
// listener that accepts and never replies stands in for a firewall that
// swallows packets), the SDK alone tries each call three times with back-off
// (~5 s here); kcc-eks tries once per call, as botocore does.
func TestNoCredentialsFailsFast(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			t.Cleanup(func() { c.Close() })
		}
	}()
	t.Cleanup(func() { l.Close() })

	env := append(home(t, "", ""), "AWS_EC2_METADATA_SERVICE_ENDPOINT=http://"+l.Addr().String())
	r := kccEKS(t, env, "", "--cluster-name", "demo", "--region", "eu-west-1")
	wantOneLineError(t, r, 1, "no AWS credentials found")
	// One token request, then one IMDSv1 metadata request: no retries.
	if n := conns.Load(); n != 2 {
		t.Errorf("the metadata service got %d connections, want 2 (one try per call)", n)
	}
	// The server accepts and never answers, so only kcc-eks's own bounds end
	// the call (a missing one is caught by the run's hang guard, not by a
	// clock here); how long they take is logged, not asserted.
	t.Logf("no credentials reported after %v", r.elapsed)
}

// TestExpiredSSOSession: the error names the profile to log in with, also
// when the SSO profile is the source of a role profile.
func TestExpiredSSOSession(t *testing.T) {
	t.Parallel()
	const legacy = `[profile sso-legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Admin
region = eu-west-1
`
	const session = `[profile sso-dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin
region = eu-west-1

[profile app]
role_arn = arn:aws:iam::123456789012:role/app
source_profile = sso-dev
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`
	for _, tc := range []struct{ name, config, profile, cacheKey, want string }{
		{"legacy profile", legacy, "sso-legacy", "https://legacy.awsapps.com/start", "sso-legacy"},
		{"sso-session profile", session, "sso-dev", "corp", "sso-dev"},
		{"role with an SSO source profile", session, "app", "corp", "sso-dev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := append(home(t, tc.config, ""), "AWS_PROFILE="+tc.profile, "AWS_ENDPOINT_URL=http://127.0.0.1:1")
			h := env[0][len("HOME="):]
			// An expired cached token without a refresh token: what `aws sso
			// login` left a day ago.
			sum := sha1.Sum([]byte(tc.cacheKey))
			cache := filepath.Join(h, ".aws", "sso", "cache")
			if err := os.MkdirAll(cache, 0o700); err != nil {
				t.Fatal(err)
			}
			tok := `{"accessToken":"expired-sso-access-token","expiresAt":"2020-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://x.awsapps.com/start"}`
			if err := os.WriteFile(filepath.Join(cache, hex.EncodeToString(sum[:])+".json"), []byte(tok), 0o600); err != nil {
				t.Fatal(err)
			}
			r := kccEKS(t, env, "", "--cluster-name", "demo")
			wantOneLineError(t, r, 1, "run `aws sso login --profile "+tc.want+"`", "expired-sso-access-token")
		})
	}
}

// TestSTSRefusalIsOneReadableLine: STS refusing the role is one line that
// says which operation failed and why, with the request id for AWS support,
// not the SDK's "operation error ... https response error StatusCode ...".
func TestSTSRefusalIsOneReadableLine(t *testing.T) {
	t.Parallel()
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("x-amzn-RequestId", "c6104cbe-af31-11e0-8154-cbc7ccf896c7")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>`+
			"<Message>User: arn:aws:iam::123456789012:user/dev is not authorized\nto perform: sts:AssumeRole</Message></Error>"+
			`<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`)
	}))
	t.Cleanup(sts.Close)
	env := append(home(t, "", ""), "AWS_ACCESS_KEY_ID="+keyID, "AWS_SECRET_ACCESS_KEY="+secretKey, "AWS_SESSION_TOKEN="+sessionToken,
		"AWS_ENDPOINT_URL="+sts.URL, "AWS_EC2_METADATA_DISABLED=true")
	r := kccEKS(t, env, "", "--cluster-name", "demo", "--region", "eu-west-1", "--role-arn", "arn:aws:iam::123456789012:role/x")
	want := "kcc-eks: could not assume role arn:aws:iam::123456789012:role/x: STS AssumeRole: AccessDenied: " +
		"User: arn:aws:iam::123456789012:user/dev is not authorized to perform: sts:AssumeRole " +
		"(HTTP 403, request id c6104cbe-af31-11e0-8154-cbc7ccf896c7)\n"
	wantOneLineError(t, r, 1, "AccessDenied", secretKey, sessionToken)
	if r.stderr != want {
		t.Errorf("stderr\n%q\nwant\n%q", r.stderr, want)
	}
}
