package eks

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"

	"github.com/IvMisticos/kube-credential-cache/internal/rolecache"
	"github.com/IvMisticos/kube-credential-cache/internal/stsclient"
)

// endpointOptions returns the load options that make the STS clients of
// role profiles and web identity use the configured endpoint URL and app
// id (see package stsclient), and role profiles use the role sessions the
// AWS CLI and kcc-eks cache (package rolecache), and the configuration to
// fill in once LoadDefaultConfig returns.
func endpointOptions() ([]func(*config.LoadOptions) error, *aws.Config) {
	final := &aws.Config{}
	return []func(*config.LoadOptions) error{
		config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
			o.Client = stsclient.AssumeRole(o.Client, final)
			if o.SerialNumber != nil {
				o.TokenProvider = noMFAPrompt(aws.ToString(o.SerialNumber))
			}
			if sessions, ok := rolecache.Default(); ok {
				rolecache.Wrap(o, sessions)
			}
		}),
		config.WithWebIdentityRoleCredentialOptions(func(o *stscreds.WebIdentityRoleOptions) {
			if o.Client == nil {
				o.Client = stsclient.WebIdentity(final)
			}
		}),
	}, final
}

// noMFAPrompt stands for the MFA prompt kcc-connect does not show (it asks
// many profiles at once): a profile with mfa_serial works while a session
// cached by kcc-eks or the AWS CLI is valid, and says how to get one.
func noMFAPrompt(serial string) func() (string, error) {
	return func() (string, error) {
		return "", fmt.Errorf("the role needs a code from MFA device %s, which kcc-connect does not ask for: run `aws sts get-caller-identity` with this profile once, and kcc-connect uses the role session it caches", serial)
	}
}
