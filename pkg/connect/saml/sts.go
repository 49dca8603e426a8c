package saml

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// defaultTimeout bounds each request to the IdP when the caller's client
// sets none.
const defaultTimeout = 30 * time.Second

// maxChainedDuration is AWS's limit on a role session assumed from another
// role session (role chaining).
const maxChainedDuration = time.Hour

// AssumeInput is one AssumeRoleWithSAML, and the role chained after it.
type AssumeInput struct {
	SAMLResponse string
	Role         Role
	// Duration of the session; 0 leaves AWS's default (1 h).
	Duration time.Duration
	// ChainRoleARN, when set, is assumed with the SAML role's credentials
	// (at most 1 h, AWS's limit for chained roles), as SessionName.
	ChainRoleARN string
	SessionName  string
}

// Session is the credentials of the role that was assumed last.
type Session struct {
	Credentials aws.Credentials
	// ARN is the assumed role's ARN (arn:aws:sts::ACCOUNT:assumed-role/...).
	ARN string
}

// Assume trades the assertion for the role's credentials with cfg's
// region and endpoint (AssumeRoleWithSAML needs no AWS credentials), and
// then assumes ChainRoleARN when given.
func Assume(ctx context.Context, cfg aws.Config, in AssumeInput) (Session, error) {
	cfg = cfg.Copy()
	cfg.Credentials = aws.AnonymousCredentials{}
	req := &sts.AssumeRoleWithSAMLInput{
		RoleArn:       aws.String(in.Role.RoleARN),
		PrincipalArn:  aws.String(in.Role.PrincipalARN),
		SAMLAssertion: aws.String(in.SAMLResponse),
	}
	if in.Duration > 0 {
		req.DurationSeconds = aws.Int32(int32(in.Duration / time.Second))
	}
	out, err := sts.NewFromConfig(cfg).AssumeRoleWithSAML(ctx, req)
	if err != nil {
		return Session{}, fmt.Errorf("AssumeRoleWithSAML %s: %w", in.Role.RoleARN, err)
	}
	s := Session{Credentials: creds(out.Credentials.AccessKeyId, out.Credentials.SecretAccessKey, out.Credentials.SessionToken, out.Credentials.Expiration)}
	if out.AssumedRoleUser != nil {
		s.ARN = aws.ToString(out.AssumedRoleUser.Arn)
	}
	if in.ChainRoleARN == "" {
		return s, nil
	}
	cfg.Credentials = credentials.StaticCredentialsProvider{Value: s.Credentials}
	name := in.SessionName
	if name == "" {
		name = "kcc-connect"
	}
	chain := &sts.AssumeRoleInput{RoleArn: aws.String(in.ChainRoleARN), RoleSessionName: aws.String(name)}
	if in.Duration > 0 {
		chain.DurationSeconds = aws.Int32(int32(min(in.Duration, maxChainedDuration) / time.Second))
	}
	chained, err := sts.NewFromConfig(cfg).AssumeRole(ctx, chain)
	if err != nil {
		return Session{}, fmt.Errorf("AssumeRole %s (from %s): %w", in.ChainRoleARN, in.Role.RoleARN, err)
	}
	c := chained.Credentials
	s = Session{Credentials: creds(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, c.Expiration)}
	if chained.AssumedRoleUser != nil {
		s.ARN = aws.ToString(chained.AssumedRoleUser.Arn)
	}
	return s, nil
}

func creds(id, secret, token *string, exp *time.Time) aws.Credentials {
	c := aws.Credentials{
		AccessKeyID:     aws.ToString(id),
		SecretAccessKey: aws.ToString(secret),
		SessionToken:    aws.ToString(token),
		Source:          "kcc-connect SAML",
	}
	if exp != nil {
		c.CanExpire, c.Expires = true, *exp
	}
	return c
}
