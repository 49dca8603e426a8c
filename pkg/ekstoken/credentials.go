package ekstoken

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/smithy-go/logging"

	"github.com/IvMisticos/kube-credential-cache/internal/rolecache"
	"github.com/IvMisticos/kube-credential-cache/internal/stsclient"
)

// loadConfig loads the SDK's configuration the standard way (env, shared
// files, the profile), with the region and profile flags applied, an MFA
// prompt on stderr for profiles with mfa_serial, and the instance-metadata
// lookup bounded.
func loadConfig(ctx context.Context, o Options, stdin io.Reader, stderr io.Writer) (aws.Config, error) {
	// final is the loaded configuration, for the STS clients of the
	// credential providers (see package stsclient); they are called only
	// after LoadDefaultConfig returned.
	final := &aws.Config{}
	sessions, cached := rolecache.Default()
	opts := []func(*config.LoadOptions) error{
		// The SDK would log warnings (IMDSv1 fallback, …) on stderr; errors
		// are reported once, as one line, by the caller.
		config.WithLogger(logging.Nop{}),
		config.WithAssumeRoleCredentialOptions(func(ao *stscreds.AssumeRoleOptions) {
			ao.TokenProvider = mfaPrompt(stdin, stderr, aws.ToString(ao.SerialNumber))
			ao.Client = stsclient.AssumeRole(ao.Client, final)
			if cached {
				rolecache.Wrap(ao, sessions)
			}
		}),
		config.WithWebIdentityRoleCredentialOptions(func(wo *stscreds.WebIdentityRoleOptions) {
			if wo.Client == nil {
				wo.Client = stsclient.WebIdentity(final)
			}
		}),
	}
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	caClient, restore := hideCABundle()
	if caClient != nil {
		opts = append(opts, config.WithHTTPClient(caClient))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	restore()
	if err != nil {
		return aws.Config{}, &ConfigError{Err: fmt.Errorf("could not load the AWS configuration: %w", err)}
	}
	boundIMDS(&cfg)
	*final = cfg
	return cfg, nil
}

// boundIMDS replaces the instance-role provider, the chain's last resort
// when nothing else is configured, by one whose metadata client tries each
// call once (botocore's default, AWS_METADATA_SERVICE_NUM_ATTEMPTS) instead
// of the SDK's three attempts with back-off: off EC2, where nothing answers
// or a firewall swallows the packets, a run with no credentials fails in
// about a second rather than many.
func boundIMDS(cfg *aws.Config) {
	if !aws.IsCredentialsProvider(cfg.Credentials, (*ec2rolecreds.Provider)(nil)) {
		return
	}
	attempts := 1
	if n, err := strconv.Atoi(os.Getenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS")); err == nil && n > 0 {
		attempts = n
	}
	client := imds.NewFromConfig(*cfg, func(o *imds.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) { so.MaxAttempts = attempts })
		// The SDK's own client, to which imds adds its short dial and
		// response timeouts (it cannot to another kind, such as the CA
		// bundle's lazy one; IMDS is plain HTTP anyway).
		o.HTTPClient = awshttp.NewBuildableClient()
	})
	cfg.Credentials = aws.NewCredentialsCache(ec2rolecreds.New(func(o *ec2rolecreds.Options) {
		o.Client = client
	}))
}

// sharedConfig is the profile the SDK loaded, if any.
func sharedConfig(cfg aws.Config) (config.SharedConfig, bool) {
	for _, src := range cfg.ConfigSources {
		if sc, ok := src.(config.SharedConfig); ok {
			return sc, true
		}
	}
	return config.SharedConfig{}, false
}

// profileName is the profile the SDK used ("default" when none was named).
func profileName(cfg aws.Config) string {
	if sc, ok := sharedConfig(cfg); ok && sc.Profile != "" {
		return sc.Profile
	}
	return "default"
}

// configFile is the shared config file the SDK read (AWS_CONFIG_FILE, else
// ~/.aws/config).
func configFile(cfg aws.Config) string {
	for _, src := range cfg.ConfigSources {
		if ec, ok := src.(config.EnvConfig); ok && ec.SharedConfigFile != "" {
			return ec.SharedConfigFile
		}
	}
	return config.DefaultSharedConfigFilename()
}
