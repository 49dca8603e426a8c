package ekstoken

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/IvMisticos/kube-credential-cache/internal/rolecache"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// Env is what Generate uses besides its options and the process
// environment the SDK reads.
type Env struct {
	// Now is the clock; tests fix it. One reading gives both the signing
	// time and the expiry (the CLI reads the clock twice).
	Now func() time.Time
	// Stdin and Stderr are for the MFA prompt; Stderr also gets warnings.
	Stdin  io.Reader
	Stderr io.Writer
}

// Generate makes the ExecCredential for o.
func Generate(ctx context.Context, o Options, env Env) (Credential, error) {
	cfg, err := loadConfig(ctx, o, env.Stdin, env.Stderr)
	if err != nil {
		return Credential{}, err
	}
	creds, err := credentials(ctx, cfg, o)
	if err != nil {
		return Credential{}, err
	}
	legacy, err := legacyGlobalSTS(os.Getenv, configFile(cfg), profileName(cfg))
	if err != nil {
		return Credential{}, &ConfigError{Err: err}
	}
	ep, err := resolveEndpoint(ctx, sts.NewFromConfig(cfg).Options(), legacy)
	if err != nil {
		return Credential{}, &ConfigError{Err: err}
	}
	now := env.Now()
	token, err := presign(ctx, creds, ep, o.ClusterIdentifier(), now)
	if err != nil {
		return Credential{}, err
	}
	apiVersion, warning := APIVersion(os.Getenv(execcred.ExecInfoEnv))
	if warning != "" {
		fmt.Fprintln(env.Stderr, "kcc-eks: "+warning)
	}
	return Credential{APIVersion: apiVersion, Token: token, Expires: now.Add(Expiry)}, nil
}

// credentials are the signing credentials: the configuration's, or those of
// --role-arn assumed with them.
func credentials(ctx context.Context, cfg aws.Config, o Options) (aws.Credentials, error) {
	if cfg.Credentials == nil {
		return aws.Credentials{}, explainCredentials(cfg, fmt.Errorf("no credential provider"))
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, explainCredentials(cfg, err)
	}
	if o.RoleARN == "" {
		return creds, nil
	}
	client := sts.NewFromConfig(cfg, func(so *sts.Options) {
		so.Credentials = aws.NewCredentialsCache(staticProvider{creds})
		if so.Region == "" {
			// botocore calls the global endpoint; us-east-1 is the same
			// service, and the Go SDK needs a region.
			so.Region = globalSigningRegion
		}
	})
	role := stscreds.NewAssumeRoleProvider(client, o.RoleARN, func(ao *stscreds.AssumeRoleOptions) {
		ao.RoleSessionName = o.sessionName()
		if o.ExternalID != "" {
			ao.ExternalID = aws.String(o.ExternalID)
		}
		if sessions, ok := rolecache.Default(); ok {
			rolecache.WrapFor(ao, sessions, creds.AccessKeyID)
		}
	})
	assumed, err := role.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("could not assume role %s: %w", o.RoleARN, err)
	}
	return assumed, nil
}

// staticProvider hands out credentials already retrieved.
type staticProvider struct{ creds aws.Credentials }

func (p staticProvider) Retrieve(context.Context) (aws.Credentials, error) { return p.creds, nil }
