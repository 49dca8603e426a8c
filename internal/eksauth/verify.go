// Package eksauth checks EKS bearer tokens the way EKS's authenticator
// (aws-iam-authenticator's server) does, for tests: the token's shape, the
// presigned STS GetCallerIdentity URL, the signed x-k8s-aws-id header and the
// 15-minute window. Where EKS then sends the URL to STS, which checks the
// SigV4 signature, this package recomputes the signature itself with the
// test's known secret keys, so a token signed with a wrong key, for another
// cluster or with a changed parameter is refused.
//
// It is written from the SigV4 specification, independently of the signer
// under test, so that one bug cannot hide in both.
package eksauth

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	// Prefix starts every EKS token.
	Prefix = "k8s-aws-v1."
	// Window is how long after X-Amz-Date EKS accepts a token.
	Window = 15 * time.Minute
	// maxTokenLen is aws-iam-authenticator's limit.
	maxTokenLen     = 4096
	clusterIDHeader = "x-k8s-aws-id"
	amzDateFormat   = "20060102T150405Z"
)

// Verifier checks tokens for one cluster.
type Verifier struct {
	// ClusterID is the value the token must have signed as x-k8s-aws-id: the
	// cluster's name, or its id for a local cluster on Outposts.
	ClusterID string
	// Secret returns the secret access key of an access key id, false for a
	// key it does not know.
	Secret func(accessKeyID string) (secretKey string, ok bool)
	// Hosts the presigned URL may point at, "host" or "host:port"; empty means
	// the STS hosts of AWS's partitions (sts.amazonaws.com,
	// sts.REGION.amazonaws.com, sts.REGION.amazonaws.com.cn, and the -fips
	// forms), the set aws-iam-authenticator accepts.
	Hosts []string
	// Now is the verifier's clock; nil means time.Now.
	Now func() time.Time
}

// Identity is what a valid token proves.
type Identity struct {
	AccessKeyID string
	// Region is the credential scope's region the URL was signed for.
	Region string
	// SignedAt is X-Amz-Date.
	SignedAt time.Time
	// SessionToken is X-Amz-Security-Token, empty for long-term keys.
	SessionToken string
}

// allowedParams are the query parameters aws-iam-authenticator lets through
// (lower case); any other one makes the token invalid.
var allowedParams = []string{
	"action", "version", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
	"x-amz-expires", "x-amz-security-token", "x-amz-signature", "x-amz-signedheaders",
}

// Verify checks token and returns the identity it proves.
func (v *Verifier) Verify(token string) (Identity, error) {
	if len(token) > maxTokenLen {
		return Identity{}, errors.New("token is too long")
	}
	enc, ok := strings.CutPrefix(token, Prefix)
	if !ok {
		return Identity{}, errors.New("token has no " + Prefix + " prefix")
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return Identity{}, fmt.Errorf("token is not unpadded base64url: %w", err)
	}
	u, err := url.Parse(string(raw))
	if err != nil {
		// Not the *url.Error itself: it quotes the whole URL, session token
		// and signature included, and refusals end up in test logs.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Identity{}, fmt.Errorf("token is not a URL: %w", err)
	}
	if err := v.checkHost(u); err != nil {
		return Identity{}, err
	}
	q, err := params(u.RawQuery)
	if err != nil {
		return Identity{}, err
	}
	if q["action"] != "GetCallerIdentity" || q["version"] != "2011-06-15" {
		return Identity{}, fmt.Errorf("action %q version %q, want GetCallerIdentity 2011-06-15", q["action"], q["version"])
	}
	if q["x-amz-algorithm"] != "AWS4-HMAC-SHA256" {
		return Identity{}, fmt.Errorf("algorithm %q, want AWS4-HMAC-SHA256", q["x-amz-algorithm"])
	}
	signed := strings.Split(q["x-amz-signedheaders"], ";")
	if !slices.Contains(signed, clusterIDHeader) || !slices.Contains(signed, "host") {
		return Identity{}, fmt.Errorf("signed headers %q lack host or %s", q["x-amz-signedheaders"], clusterIDHeader)
	}
	if !slices.IsSorted(signed) || len(signed) != 2 {
		return Identity{}, fmt.Errorf("signed headers %q: want exactly host;%s", q["x-amz-signedheaders"], clusterIDHeader)
	}
	signedAt, err := time.Parse(amzDateFormat, q["x-amz-date"])
	if err != nil {
		return Identity{}, fmt.Errorf("bad X-Amz-Date: %w", err)
	}
	if err := v.checkWindow(signedAt, q["x-amz-expires"]); err != nil {
		return Identity{}, err
	}
	scope, err := parseScope(q["x-amz-credential"], signedAt)
	if err != nil {
		return Identity{}, err
	}
	secret, ok := v.Secret(scope.accessKeyID)
	if !ok {
		return Identity{}, fmt.Errorf("unknown access key id %s", scope.accessKeyID)
	}
	want := signature(secret, scope, stringToSign(u, v.ClusterID, q["x-amz-date"], scope))
	got, err := hex.DecodeString(q["x-amz-signature"])
	if err != nil || !hmac.Equal(got, want) {
		return Identity{}, errors.New("signature does not match (wrong key, another cluster, or a changed URL)")
	}
	return Identity{
		AccessKeyID:  scope.accessKeyID,
		Region:       scope.region,
		SignedAt:     signedAt,
		SessionToken: q["x-amz-security-token"],
	}, nil
}

// params decodes the query, refusing duplicated and unknown parameters as
// aws-iam-authenticator does. Keys are lower-cased.
func params(rawQuery string) (map[string]string, error) {
	values, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, fmt.Errorf("bad query: %w", err)
	}
	out := map[string]string{}
	for k, vs := range values {
		lk := strings.ToLower(k)
		if !slices.Contains(allowedParams, lk) {
			return nil, fmt.Errorf("query parameter %q is not allowed", k)
		}
		if _, dup := out[lk]; dup || len(vs) != 1 {
			return nil, fmt.Errorf("query parameter %q appears more than once", k)
		}
		out[lk] = vs[0]
	}
	return out, nil
}

func (v *Verifier) checkWindow(signedAt time.Time, expires string) error {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	t := now()
	if t.After(signedAt.Add(Window)) {
		return fmt.Errorf("token expired: signed at %s, %v window", signedAt.Format(time.RFC3339), Window)
	}
	// STS refuses a request dated too far ahead of its clock.
	if signedAt.After(t.Add(5 * time.Minute)) {
		return fmt.Errorf("token signed in the future (%s)", signedAt.Format(time.RFC3339))
	}
	n, err := strconv.Atoi(expires)
	if err != nil || n < 1 || n > 604800 {
		return fmt.Errorf("bad X-Amz-Expires %q", expires)
	}
	return nil
}

func (v *Verifier) checkHost(u *url.URL) error {
	if u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return errors.New("presigned URL has user info, a fragment or an opaque part")
	}
	if len(v.Hosts) > 0 {
		if !slices.Contains(v.Hosts, u.Host) {
			return fmt.Errorf("presigned URL's host %q is not an accepted STS endpoint", u.Host)
		}
		return nil
	}
	if u.Scheme != "https" {
		return fmt.Errorf("presigned URL's scheme %q is not https", u.Scheme)
	}
	if u.Path != "/" {
		return fmt.Errorf("presigned URL's path %q is not /", u.Path)
	}
	if !isSTSHost(u.Host) {
		return fmt.Errorf("presigned URL's host %q is not an STS endpoint", u.Host)
	}
	return nil
}

// isSTSHost: sts.amazonaws.com or sts[-fips].REGION.amazonaws.com[.cn].
func isSTSHost(host string) bool {
	if host == "sts.amazonaws.com" {
		return true
	}
	rest, ok := strings.CutPrefix(host, "sts.")
	if !ok {
		rest, ok = strings.CutPrefix(host, "sts-fips.")
	}
	if !ok {
		return false
	}
	region, ok := strings.CutSuffix(rest, ".amazonaws.com")
	if !ok {
		region, ok = strings.CutSuffix(rest, ".amazonaws.com.cn")
	}
	return ok && isRegion(region)
}

func isRegion(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}
