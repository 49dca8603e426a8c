package rolecache

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// placeholderCode is what the wrapped token provider hands the SDK on a
// cache hit, where no code is needed: the wrapped client answers from the
// cache and never sends it.
const placeholderCode = "000000"

// Wrap makes o, an SDK AssumeRole provider's options once everything else
// set them, use cache: the session cached under botocore's key for o is
// used while valid (without calling the token provider, so without an MFA
// prompt); otherwise the call goes out as botocore makes it (no
// DurationSeconds unless configured, so STS's default hour) and its result
// is cached. Options the key cannot tell apart (policies, tags) are left
// uncached. o.Duration is zero unless the profile set duration_seconds
// above 900 (the SDK drops smaller ones), so a profile's 900 is left out of
// the key where botocore keeps it: no shared session, never a wrong one.
func Wrap(o *stscreds.AssumeRoleOptions, cache Cache) { WrapFor(o, cache, "") }

// WrapFor is Wrap for a session the CLI does not cache, called with the
// credentials of access key id caller (see Params.CallerKeyID).
func WrapFor(o *stscreds.AssumeRoleOptions, cache Cache, caller string) {
	if o.Policy != nil || len(o.PolicyARNs) > 0 || len(o.Tags) > 0 || len(o.TransitiveTagKeys) > 0 {
		return
	}
	c := &cachedClient{
		client: o.Client,
		cache:  cache,
		params: Params{
			RoleARN:         o.RoleARN,
			RoleSessionName: o.RoleSessionName,
			ExternalID:      aws.ToString(o.ExternalID),
			MFASerial:       aws.ToString(o.SerialNumber),
			SourceIdentity:  aws.ToString(o.SourceIdentity),
			DurationSeconds: int32(o.Duration / time.Second),
			CallerKeyID:     caller,
		},
	}
	c.key = Key(c.params)
	o.Client = c
	if o.TokenProvider != nil {
		prompt := o.TokenProvider
		o.TokenProvider = func() (string, error) {
			if s, ok := c.cache.Load(c.key); ok {
				c.hit = &s
				return placeholderCode, nil
			}
			return prompt()
		}
	}
}

type cachedClient struct {
	client stscreds.AssumeRoleAPIClient
	cache  Cache
	params Params
	key    string
	// hit is the session the token provider found, so that the call it
	// precedes returns that one and not a newer file's.
	hit *Session
}

func (c *cachedClient) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	hit := c.hit
	c.hit = nil
	if hit == nil {
		if s, ok := c.cache.Load(c.key); ok {
			hit = &s
		}
	}
	if hit != nil {
		return output(*hit)
	}
	call := *in
	if c.params.DurationSeconds == 0 {
		call.DurationSeconds = nil
	}
	out, err := c.client.AssumeRole(ctx, &call, optFns...)
	if err != nil {
		return nil, err
	}
	// A session that cannot be cached is still good for this run; the next
	// one asks STS (and the user, for MFA) again, as without a cache.
	_ = c.cache.Store(c.key, session(out))
	return out, nil
}

// session is what is cached of an AssumeRole response.
func session(out *sts.AssumeRoleOutput) Session {
	var s Session
	if cr := out.Credentials; cr != nil {
		s.Credentials = Credentials{
			AccessKeyID:     aws.ToString(cr.AccessKeyId),
			SecretAccessKey: aws.ToString(cr.SecretAccessKey),
			SessionToken:    aws.ToString(cr.SessionToken),
			Expiration:      aws.ToTime(cr.Expiration).UTC().Format(time.RFC3339),
		}
	}
	if u := out.AssumedRoleUser; u != nil {
		s.AssumedRoleUser = &AssumedRoleUser{AssumedRoleID: aws.ToString(u.AssumedRoleId), Arn: aws.ToString(u.Arn)}
		s.Credentials.AccountID = accountID(s.AssumedRoleUser.Arn)
	}
	return s
}

// output is a cached session as the SDK's provider expects STS's answer.
func output(s Session) (*sts.AssumeRoleOutput, error) {
	exp, err := s.Credentials.Expires()
	if err != nil {
		return nil, err
	}
	out := &sts.AssumeRoleOutput{Credentials: &ststypes.Credentials{
		AccessKeyId:     aws.String(s.Credentials.AccessKeyID),
		SecretAccessKey: aws.String(s.Credentials.SecretAccessKey),
		SessionToken:    aws.String(s.Credentials.SessionToken),
		Expiration:      aws.Time(exp),
	}}
	if u := s.AssumedRoleUser; u != nil {
		out.AssumedRoleUser = &ststypes.AssumedRoleUser{AssumedRoleId: aws.String(u.AssumedRoleID), Arn: aws.String(u.Arn)}
	}
	return out, nil
}

// accountID is the account of an ARN (its fifth field), as botocore adds
// it to the cached response.
func accountID(arn string) string {
	f := strings.SplitN(arn, ":", 6)
	if len(f) < 6 || f[0] != "arn" {
		return ""
	}
	return f[4]
}
