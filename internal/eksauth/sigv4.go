package eksauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// emptySHA256 is the hex SHA-256 of no bytes.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// scope is the parsed X-Amz-Credential: KEY/DATE/REGION/SERVICE/aws4_request.
type scope struct {
	accessKeyID, date, region, service string
}

func (s scope) String() string {
	return s.date + "/" + s.region + "/" + s.service + "/aws4_request"
}

func parseScope(credential string, signedAt time.Time) (scope, error) {
	parts := strings.Split(credential, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[0] == "" {
		return scope{}, fmt.Errorf("bad X-Amz-Credential %q", credential)
	}
	s := scope{accessKeyID: parts[0], date: parts[1], region: parts[2], service: parts[3]}
	if s.service != "sts" {
		return scope{}, fmt.Errorf("credential scope's service %q is not sts", s.service)
	}
	if s.date != signedAt.Format("20060102") {
		return scope{}, fmt.Errorf("credential scope's date %s is not X-Amz-Date's", s.date)
	}
	return s, nil
}

// stringToSign builds SigV4's string to sign for the presigned GET as STS
// would receive it from EKS: headers host and x-k8s-aws-id (with the value
// EKS expects, not one the token claims), and the hash of the empty body as
// the payload hash (botocore and the Go SDKs presign non-S3 requests so; only
// S3 uses UNSIGNED-PAYLOAD).
func stringToSign(u *url.URL, clusterID, amzDate string, s scope) string {
	canonical := strings.Join([]string{
		"GET",
		canonicalPath(u),
		canonicalQuery(u.Query()),
		"host:" + canonicalHost(u) + "\n" + clusterIDHeader + ":" + strings.TrimSpace(clusterID) + "\n",
		"host;" + clusterIDHeader,
		emptySHA256,
	}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	return "AWS4-HMAC-SHA256\n" + amzDate + "\n" + s.String() + "\n" + hex.EncodeToString(sum[:])
}

func signature(secret string, s scope, toSign string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), s.date)
	k = hmacSHA256(k, s.region)
	k = hmacSHA256(k, s.service)
	k = hmacSHA256(k, "aws4_request")
	return hmacSHA256(k, toSign)
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// canonicalQuery: every parameter but the signature, sorted by encoded name,
// names and values encoded leaving only A-Za-z0-9-_.~.
func canonicalQuery(q url.Values) string {
	var pairs []string
	for k, vs := range q {
		if k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, uriEncode(k)+"="+uriEncode(v))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

// canonicalPath encodes each segment of the path (for non-S3 services SigV4
// encodes the already-encoded path once more).
func canonicalPath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = uriEncode(s)
	}
	return strings.Join(segs, "/")
}

// canonicalHost is the Host header a client sends: the default port of the
// scheme is left out.
func canonicalHost(u *url.URL) string {
	host, port := u.Hostname(), u.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" || (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		return host
	}
	return host + ":" + port
}

func uriEncode(s string) string {
	const hexdigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdigits[c>>4])
		b.WriteByte(hexdigits[c&15])
	}
	return b.String()
}
