package eks

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// aws-sdk-go-v2's config builds the STS clients of profile role chains
// (role_arn + source_profile) and web identity before it resolves the
// global endpoint URL (AWS_ENDPOINT_URL, a profile's endpoint_url), and
// those clients skip it: with only AWS_ENDPOINT_URL set, the AssumeRole of
// a role profile goes to AWS while ListClusters goes to the configured
// endpoint. The AWS CLI and kcc-eks send both to the configured endpoint;
// so does kcc-connect, with these wrappers that read the complete
// configuration (*final) when they are called.

// endpointOptions returns the load options that apply the fix, and the
// configuration to fill in once LoadDefaultConfig returns.
func endpointOptions() ([]func(*config.LoadOptions) error, *aws.Config) {
	final := &aws.Config{}
	return []func(*config.LoadOptions) error{
		config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
			o.Client = assumeRoleEndpoint{client: o.Client, final: final}
		}),
		config.WithWebIdentityRoleCredentialOptions(func(o *stscreds.WebIdentityRoleOptions) {
			if o.Client == nil {
				o.Client = webIdentityClient{final: final}
			}
		}),
	}, final
}

// assumeRoleEndpoint gives a role chain's STS client the configuration's
// endpoint URL when it has none of its own, and its application id (the
// User-Agent's app/..., which the SDK leaves out of these clients too).
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
	if o.AppID == "" {
		o.AppID = c.final.AppID
	}
}

// webIdentityClient builds the web identity's STS client from the complete
// configuration when it is first used.
type webIdentityClient struct{ final *aws.Config }

func (c webIdentityClient) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	return sts.NewFromConfig(*c.final).AssumeRoleWithWebIdentity(ctx, in, optFns...)
}
