package motoserver

import (
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TokenCaller replays an EKS token's presigned GetCallerIdentity query to
// moto's STS at endpoint, as EKS does with AWS's, and returns the access key
// id that signed it and the caller's ARN. moto routes on the Authorization
// header's Credential, not on Host, so the header carries the token's
// X-Amz-Credential (DESIGN.md §9).
func TokenCaller(t testing.TB, endpoint, token string) (accessKeyID, arn string) {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(token, "k8s-aws-v1."))
	if err != nil {
		t.Fatalf("token is not k8s-aws-v1.<base64url>: %v", err)
	}
	u, err := url.Parse(string(raw))
	if err != nil {
		t.Fatalf("token URL: %v", err)
	}
	credential := u.Query().Get("X-Amz-Credential")
	accessKeyID, _, _ = strings.Cut(credential, "/")
	req, err := http.NewRequestWithContext(ctx(t), http.MethodGet, endpoint+"/?"+u.RawQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+credential+", SignedHeaders=host, Signature=replayed")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("moto: replay token: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("moto: replay token: %s: %s", resp.Status, body)
	}
	var out struct {
		Arn string `xml:"GetCallerIdentityResult>Arn"`
	}
	if err := xml.Unmarshal(body, &out); err != nil || out.Arn == "" {
		t.Fatalf("moto: replay token: no Arn in %s (%v)", body, err)
	}
	return accessKeyID, out.Arn
}
