package ekstoken

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/IvMisticos/kube-credential-cache/internal/eksauth"
)

var signedAt = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

func mustEndpoint(t *testing.T, raw, region string) endpoint {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return endpoint{url: u, signingRegion: region}
}

// TestPresignVerifies: tokens verify with an independent SigV4
// implementation (internal/eksauth), for the right cluster and key only.
func TestPresignVerifies(t *testing.T) {
	for _, tc := range []struct {
		name, endpoint, region, session, cluster string
		hosts                                    []string
	}{
		{name: "regional", endpoint: "https://sts.eu-west-1.amazonaws.com/", region: "eu-west-1", cluster: "demo"},
		{name: "session token", endpoint: "https://sts.amazonaws.com/", region: "us-east-1", session: "tok/with+special=chars&more", cluster: "demo"},
		{name: "cluster id", endpoint: "https://sts.us-west-2.amazonaws.com/", region: "us-west-2", cluster: "5d8f3a2c-9b1e-4c7d-8e6f-0a1b2c3d4e5f"},
		{name: "custom endpoint with port", endpoint: "http://127.0.0.1:5000/", region: "eu-west-1", cluster: "demo", hosts: []string{"127.0.0.1:5000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			creds := aws.Credentials{AccessKeyID: "AKIDPRESIGN", SecretAccessKey: "presign/secret", SessionToken: tc.session}
			tok, err := presign(context.Background(), creds, mustEndpoint(t, tc.endpoint, tc.region), tc.cluster, signedAt)
			if err != nil {
				t.Fatal(err)
			}
			v := eksauth.Verifier{
				ClusterID: tc.cluster,
				Secret:    eksauth.Keys(map[string]string{"AKIDPRESIGN": "presign/secret"}),
				Hosts:     tc.hosts,
				Now:       func() time.Time { return signedAt.Add(14 * time.Minute) },
			}
			id, err := v.Verify(tok)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if id.Region != tc.region || id.SessionToken != tc.session || !id.SignedAt.Equal(signedAt) {
				t.Errorf("identity %+v", id)
			}
			v.ClusterID = "other"
			if _, err := v.Verify(tok); err == nil {
				t.Error("the token is accepted for another cluster")
			}
		})
	}
}

// TestPresignQueryOrder: botocore's order and escaping, with the session
// token between SignedHeaders and the signature (the SDK's presigner would
// sort it after X-Amz-Date).
func TestPresignQueryOrder(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "AKIDPRESIGN", SecretAccessKey: "s", SessionToken: "a/b+c=d~e"}
	tok, err := presign(context.Background(), creds, mustEndpoint(t, "https://sts.amazonaws.com/", "us-east-1"), "demo", signedAt)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(tok, '=') || !strings.HasPrefix(tok, TokenPrefix) {
		t.Fatalf("token is not unpadded base64url with the prefix: %s", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, TokenPrefix))
	if err != nil {
		t.Fatal(err)
	}
	u := string(raw)
	want := "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=AKIDPRESIGN%2F20250304%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20250304T050607Z" +
		"&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Security-Token=a%2Fb%2Bc%3Dd~e&X-Amz-Signature="
	if !strings.HasPrefix(u, want) || len(u) != len(want)+64 {
		t.Errorf("URL\n%s\nwant\n%s<64 hex>", u, want)
	}
}

func TestBotocoreQueryRefusesUnknownParameters(t *testing.T) {
	if _, err := botocoreQuery(url.Values{"Action": {"x"}, "X-Amz-Foo": {"y"}}); err == nil {
		t.Error("an unknown parameter was dropped silently")
	}
	if _, err := botocoreQuery(url.Values{"Action": {"x", "y"}}); err == nil {
		t.Error("a repeated parameter was accepted")
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"AZaz09-_.~": "AZaz09-_.~",
		"a/b+c=d&e":  "a%2Fb%2Bc%3Dd%26e",
		"sp ace;é":   "sp%20ace%3B%C3%A9",
	} {
		if got := escape(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}
