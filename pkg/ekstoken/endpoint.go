package ekstoken

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithyauth "github.com/aws/smithy-go/auth"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// globalSigningRegion signs requests to the global endpoint sts.amazonaws.com.
const globalSigningRegion = "us-east-1"

// endpoint is where the presigned URL points and the region it is signed
// for.
type endpoint struct {
	url           *url.URL
	signingRegion string
}

// resolveEndpoint picks STS's endpoint as botocore does for the CLI:
// regional (sts.REGION.amazonaws.com, or the partition's DNS suffix, -fips,
// dual-stack as configured); the global sts.amazonaws.com signed for
// us-east-1 for the legacy global regions when sts_regional_endpoints is
// legacy, and when no region is set at all (where the Go SDK alone would fail
// with "Missing Region"); a configured endpoint URL (AWS_ENDPOINT_URL_STS,
// AWS_ENDPOINT_URL, endpoint_url, a services section) replaces the host.
// o are the options an STS client built from the config resolved: its
// region, endpoint URL and FIPS/dual-stack settings.
func resolveEndpoint(ctx context.Context, o sts.Options, legacyGlobal bool) (endpoint, error) {
	region, global := o.Region, legacyGlobal
	if region == "" && o.BaseEndpoint != nil {
		// The CLI refuses this too: the signing region of a custom
		// endpoint cannot be guessed.
		return endpoint{}, errors.New("an STS endpoint URL is configured but no region: set --region, AWS_REGION or the profile's region")
	}
	if region == "" {
		region, global = globalSigningRegion, true
	}
	params := sts.EndpointParameters{
		Region:            aws.String(region),
		UseGlobalEndpoint: aws.Bool(global),
		UseFIPS:           aws.Bool(o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
		UseDualStack:      aws.Bool(o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled),
		Endpoint:          o.BaseEndpoint,
	}
	resolver := o.EndpointResolverV2
	if resolver == nil {
		resolver = sts.NewDefaultEndpointResolverV2()
	}
	ep, err := resolver.ResolveEndpoint(ctx, params)
	if err != nil {
		return endpoint{}, fmt.Errorf("could not resolve the STS endpoint for region %q: %w", region, err)
	}
	u := ep.URI
	// botocore joins the endpoint and the request path "/": an endpoint
	// without a path gets "/", one with a path keeps it as it is.
	if u.Path == "" && u.RawPath == "" {
		u.Path = "/"
	}
	u.RawQuery, u.Fragment = "", ""
	return endpoint{url: &u, signingRegion: signingRegion(ep.Properties, region)}, nil
}

// signingRegion is the SigV4 region the endpoint rules chose, else region.
func signingRegion(p smithy.Properties, region string) string {
	if opts, ok := smithyauth.GetAuthOptions(&p); ok {
		for _, opt := range opts {
			if r, ok := smithyhttp.GetSigV4SigningRegion(&opt.SignerProperties); ok && r != "" {
				return r
			}
		}
	}
	return region
}
