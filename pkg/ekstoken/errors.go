package ekstoken

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
)

// ConfigError is a bad or missing setting (exit code 2, like a bad flag).
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// IsConfig reports whether err is a configuration error: a bad setting or
// a profile that does not exist.
func IsConfig(err error) bool {
	var c *ConfigError
	var p config.SharedConfigProfileNotExistError
	return errors.As(err, &c) || errors.As(err, &p)
}

// explainCredentials turns the SDK's error for failed credentials into one
// that says what to do, for the two cases users meet most: nothing
// configured at all, and an expired SSO session.
func explainCredentials(cfg aws.Config, err error) error {
	if sso, ok := ssoProfile(cfg); ok && isSSOExpiry(err) {
		return fmt.Errorf("the AWS SSO session of profile %s has expired or is invalid: run `aws sso login --profile %s` (%w)", sso, sso, err)
	}
	if aws.IsCredentialsProvider(cfg.Credentials, (*ec2rolecreds.Provider)(nil)) {
		// The instance role is the chain's last resort: nothing else, no
		// env keys, no profile with credentials, no web identity, no
		// container role, was configured.
		return fmt.Errorf("no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure ~/.aws (no EC2 instance role answered either: %w)", err)
	}
	return fmt.Errorf("could not get AWS credentials (profile %s): %w", profileName(cfg), err)
}

// ssoProfile is the profile of the chain that holds the SSO settings (the
// one `aws sso login --profile` needs): the loaded profile or the end of its
// source_profile chain.
func ssoProfile(cfg aws.Config) (string, bool) {
	sc, ok := sharedConfig(cfg)
	if !ok {
		return "", false
	}
	p := &sc
	for p.Source != nil {
		p = p.Source
	}
	if p.SSOSessionName == "" && p.SSOStartURL == "" {
		return "", false
	}
	return p.Profile, true
}

// isSSOExpiry recognises the SDK's errors for a missing, expired or
// unrefreshable cached SSO token (legacy profiles: InvalidTokenError;
// sso-session profiles: the token provider's errors, which have no type).
func isSSOExpiry(err error) bool {
	var invalid *ssocreds.InvalidTokenError
	if errors.As(err, &invalid) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "cached SSO token") || strings.Contains(msg, "SSO token file")
}
