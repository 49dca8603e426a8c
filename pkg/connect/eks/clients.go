package eks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/smithy-go/logging"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

// clusterAPI is the part of the EKS API discovery uses; *eks.Client in
// production.
type clusterAPI interface {
	ListClusters(ctx context.Context, in *eks.ListClustersInput, opts ...func(*eks.Options)) (*eks.ListClustersOutput, error)
	DescribeCluster(ctx context.Context, in *eks.DescribeClusterInput, opts ...func(*eks.Options)) (*eks.DescribeClusterOutput, error)
}

// regionAPI lists the regions an account has enabled; *ec2.Client in
// production.
type regionAPI interface {
	DescribeRegions(ctx context.Context, in *ec2.DescribeRegionsInput, opts ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error)
}

// ErrUnknownProfile is returned (wrapped) for a profile that no shared
// config or credentials file defines.
var ErrUnknownProfile = errors.New("unknown profile")

// loadConfig builds the SDK configuration of one profile. An empty profile
// means the default chain (environment, AWS_PROFILE, the default profile).
func (p *Provider) loadConfig(ctx context.Context, profile, region string) (aws.Config, error) {
	opts, final := endpointOptions()
	opts = append(opts,
		config.WithAppID(p.opts.AppID),
		config.WithLogger(sdkLogger(p.opts.Logger)),
	)
	switch {
	case p.opts.Credentials != nil:
		// The profile only labels the clusters (a kcc-saml-… profile that
		// may not be written yet).
		opts = append(opts, config.WithCredentialsProvider(p.opts.Credentials))
	case profile != "":
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if p.opts.MaxRetries >= 0 {
		opts = append(opts, config.WithRetryMaxAttempts(p.opts.MaxRetries+1))
	}
	if p.opts.RequestTimeout > 0 {
		opts = append(opts, config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(p.opts.RequestTimeout)))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	var missing config.SharedConfigProfileNotExistError
	if errors.As(err, &missing) {
		return aws.Config{}, fmt.Errorf("%w %q: no [profile %s] in the AWS config or credentials files", ErrUnknownProfile, profile, profile)
	}
	if err != nil {
		return aws.Config{}, fmt.Errorf("could not load the AWS configuration: %w", err)
	}
	*final = cfg
	return cfg, nil
}

// LoadConfig is the SDK configuration kcc-connect uses for profile in
// region (the global flags applied; "" for the default chain).
func (p *Provider) LoadConfig(ctx context.Context, profile, region string) (aws.Config, error) {
	return p.loadConfig(ctx, profile, region)
}

// Options tune the provider. The zero value works.
type Options struct {
	// AppID is sent in every request's User-Agent, e.g. "kcc-connect/1.2.0".
	AppID string
	// RequestTimeout bounds each HTTP request; 0 leaves the SDK's default.
	RequestTimeout time.Duration
	// MaxRetries is the number of retries per request; negative leaves the
	// SDK's default (or AWS_MAX_ATTEMPTS).
	MaxRetries int
	// Concurrency bounds the requests in flight; 0 means 16.
	Concurrency int
	// Logger gets the SDK's own notes (IMDS fallbacks, retries) at debug
	// level; nil drops them. Request and response logging stays off, as it
	// would show signed requests.
	Logger *slog.Logger
	// Progress, when set, is called as (profile, region) scans start and
	// finish; calls never overlap.
	Progress func(connect.Progress)
	// Credentials, when set, sign every request instead of the selected
	// profiles' (a SAML login's role session); the profile names then only
	// label the clusters.
	Credentials aws.CredentialsProvider
}

// sdkLogger sends the SDK's log lines to l at debug level, so that they do
// not land on stderr unasked.
func sdkLogger(l *slog.Logger) logging.Logger {
	return logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
		if l != nil {
			l.Debug(fmt.Sprintf(format, v...), "source", "aws-sdk", "class", string(c))
		}
	})
}

// Provider discovers EKS clusters.
type Provider struct {
	opts Options
	// Stubbable for tests of failure paths; real clients otherwise.
	newClusterAPI func(aws.Config) clusterAPI
	newRegionAPI  func(aws.Config) regionAPI
	// profiles lists every profile of the shared files (--all-profiles).
	profiles func() ([]string, error)
}

// New returns the EKS provider.
func New(opts Options) *Provider {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 16
	}
	return &Provider{
		opts:          opts,
		newClusterAPI: func(c aws.Config) clusterAPI { return eks.NewFromConfig(c) },
		newRegionAPI:  func(c aws.Config) regionAPI { return ec2.NewFromConfig(c) },
		profiles:      SharedProfiles,
	}
}

// Name is the provider's id.
func (p *Provider) Name() string { return "eks" }
