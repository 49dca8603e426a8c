// Package stsclient fixes the STS clients that aws-sdk-go-v2's config builds
// for role profiles (role_arn + source_profile) and web identity: it builds
// them before it resolves the global endpoint URL (AWS_ENDPOINT_URL, a
// profile's endpoint_url) and the application id, and they skip both. With
// only AWS_ENDPOINT_URL set, a role profile's AssumeRole would go to AWS
// while everything else goes to the configured endpoint; the AWS CLI sends
// both to the configured endpoint, and so do kcc-eks and kcc-connect with
// these wrappers, which read the complete configuration (*final, filled in
// once LoadDefaultConfig returned) when they are called.
package stsclient

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// AssumeRole wraps a role chain's STS client so that its calls get final's
// endpoint URL and application id when they have none of their own.
func AssumeRole(client stscreds.AssumeRoleAPIClient, final *aws.Config) stscreds.AssumeRoleAPIClient {
	return assumeRole{client: client, final: final}
}

type assumeRole struct {
	client stscreds.AssumeRoleAPIClient
	final  *aws.Config
}

func (c assumeRole) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	return c.client.AssumeRole(ctx, in, append([]func(*sts.Options){c.complete}, optFns...)...)
}

func (c assumeRole) complete(o *sts.Options) {
	if o.BaseEndpoint == nil {
		o.BaseEndpoint = c.final.BaseEndpoint
	}
	if o.AppID == "" {
		o.AppID = c.final.AppID
	}
}

// WebIdentity is a web identity STS client built from final when it is
// first used (the call is unsigned: the identity token is the credential).
func WebIdentity(final *aws.Config) stscreds.AssumeRoleWithWebIdentityAPIClient {
	return webIdentity{final: final}
}

type webIdentity struct{ final *aws.Config }

func (c webIdentity) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	return sts.NewFromConfig(*c.final).AssumeRoleWithWebIdentity(ctx, in, optFns...)
}
