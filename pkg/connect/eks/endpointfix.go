package eks

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"

	"github.com/IvMisticos/kube-credential-cache/internal/stsclient"
)

// endpointOptions returns the load options that make the STS clients of
// role profiles and web identity use the configured endpoint URL and app
// id (see package stsclient), and the configuration to fill in once
// LoadDefaultConfig returns.
func endpointOptions() ([]func(*config.LoadOptions) error, *aws.Config) {
	final := &aws.Config{}
	return []func(*config.LoadOptions) error{
		config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
			o.Client = stsclient.AssumeRole(o.Client, final)
		}),
		config.WithWebIdentityRoleCredentialOptions(func(o *stscreds.WebIdentityRoleOptions) {
			if o.Client == nil {
				o.Client = stsclient.WebIdentity(final)
			}
		}),
	}, final
}
