package ekstoken

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	// TokenPrefix starts every EKS token.
	TokenPrefix = "k8s-aws-v1."
	// clusterIDHeader carries the cluster's name or id, signed, so that a
	// token for one cluster is refused by another.
	clusterIDHeader = "x-k8s-aws-id"
	// presignExpires is the CLI's X-Amz-Expires; EKS ignores it and accepts a
	// token for 15 minutes after X-Amz-Date.
	presignExpires = "60"
	// emptyPayloadHash is the SHA-256 of no bytes: botocore and the Go SDK
	// presign STS's GET with it (only S3 presigns with UNSIGNED-PAYLOAD).
	emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// queryOrder is the order of the parameters in botocore's presigned URL.
// The SDK's signer encodes them sorted (url.Values.Encode); the signature is
// the same either way, since SigV4 signs the sorted form, but the URL, and so
// the token, differs when a session token sorts before X-Amz-Signature's
// neighbours.
var queryOrder = []string{
	"Action", "Version", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
	"X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature",
}

// presign returns the token for clusterID: the presigned GetCallerIdentity
// URL of ep signed with creds at signedAt, in botocore's query order.
func presign(ctx context.Context, creds aws.Credentials, ep endpoint, clusterID string, signedAt time.Time) (string, error) {
	u := *ep.url
	u.RawQuery = "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=" + presignExpires
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", fmt.Errorf("could not build the STS request for %s: %w", ep.url.Redacted(), err)
	}
	req.Header.Set(clusterIDHeader, clusterID)
	signed, _, err := v4.NewSigner().PresignHTTP(ctx, creds, req, emptyPayloadHash, "sts", ep.signingRegion, signedAt)
	if err != nil {
		return "", fmt.Errorf("could not sign the STS request: %w", err)
	}
	su, err := url.Parse(signed)
	if err != nil {
		return "", fmt.Errorf("the signer returned a bad URL: %w", err)
	}
	q, err := botocoreQuery(su.Query())
	if err != nil {
		return "", err
	}
	su.RawQuery = q
	return TokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(su.String())), nil
}

// botocoreQuery encodes q in queryOrder with botocore's escaping (only
// A-Za-z0-9-_.~ left as they are).
func botocoreQuery(q url.Values) (string, error) {
	var b strings.Builder
	for _, k := range queryOrder {
		vs, ok := q[k]
		if !ok {
			continue
		}
		if len(vs) != 1 {
			return "", fmt.Errorf("the signed URL has %d values of %s", len(vs), k)
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(escape(vs[0]))
		delete(q, k)
	}
	for k := range q {
		return "", fmt.Errorf("the signed URL has an unexpected parameter %s", k)
	}
	return b.String(), nil
}

// escape percent-encodes every byte but A-Za-z0-9-_.~ (Python's
// urllib.parse.quote with safe='-_.~', as botocore does).
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
