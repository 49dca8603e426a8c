package ekstoken

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// aws-sdk-go-v2's config builds the STS clients of profile role chains and
// web identity before it resolves the global endpoint URL (AWS_ENDPOINT_URL,
// a profile's endpoint_url), and those clients skip it: with only
// AWS_ENDPOINT_URL set, their calls go to AWS, not to the configured
// endpoint (AWS_ENDPOINT_URL_STS works). The CLI sends them to the
// configured endpoint; so do these wrappers, once the configuration is
// complete (*final).

// assumeRoleEndpoint gives a role chain's STS client the configuration's
// endpoint URL when it has none of its own.
type assumeRoleEndpoint struct {
	client stscreds.AssumeRoleAPIClient
	final  *aws.Config
}

func (c assumeRoleEndpoint) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	return c.client.AssumeRole(ctx, in, append([]func(*sts.Options){c.baseEndpoint}, optFns...)...)
}

func (c assumeRoleEndpoint) baseEndpoint(o *sts.Options) {
	if o.BaseEndpoint == nil {
		o.BaseEndpoint = c.final.BaseEndpoint
	}
}

// webIdentityClient builds the web identity's STS client from the complete
// configuration when it is first used (the call is unsigned: the identity
// token is the credential).
type webIdentityClient struct{ final *aws.Config }

func (c webIdentityClient) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	return sts.NewFromConfig(*c.final).AssumeRoleWithWebIdentity(ctx, in, optFns...)
}
