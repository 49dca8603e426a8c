package ekstoken

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// legacyGlobalRegions is botocore's LEGACY_GLOBAL_STS_REGIONS: the regions
// whose STS calls went to sts.amazonaws.com before regional endpoints
// became the default.
var legacyGlobalRegions = []string{
	"ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"aws-global", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1",
	"eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2",
	"us-west-1", "us-west-2",
}

func stsOptions(region, base string, fips, dualStack bool) sts.Options {
	cfg := aws.Config{Region: region}
	if base != "" {
		cfg.BaseEndpoint = aws.String(base)
	}
	o := sts.NewFromConfig(cfg).Options()
	if fips {
		o.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled
	}
	if dualStack {
		o.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateEnabled
	}
	return o
}

func TestResolveEndpoint(t *testing.T) {
	for _, tc := range []struct {
		name, region, base string
		legacy, fips, dual bool
		wantURL, wantSign  string
	}{
		{name: "regional", region: "eu-west-1", wantURL: "https://sts.eu-west-1.amazonaws.com/", wantSign: "eu-west-1"},
		{name: "no region", wantURL: "https://sts.amazonaws.com/", wantSign: "us-east-1"},
		{name: "no region, legacy", legacy: true, wantURL: "https://sts.amazonaws.com/", wantSign: "us-east-1"},
		{name: "legacy, non-legacy region", region: "eu-south-1", legacy: true, wantURL: "https://sts.eu-south-1.amazonaws.com/", wantSign: "eu-south-1"},
		{name: "China", region: "cn-northwest-1", wantURL: "https://sts.cn-northwest-1.amazonaws.com.cn/", wantSign: "cn-northwest-1"},
		{name: "GovCloud FIPS", region: "us-gov-west-1", fips: true, wantURL: "https://sts.us-gov-west-1.amazonaws.com/", wantSign: "us-gov-west-1"},
		{name: "FIPS", region: "us-east-2", fips: true, wantURL: "https://sts-fips.us-east-2.amazonaws.com/", wantSign: "us-east-2"},
		{name: "dual-stack", region: "eu-west-1", dual: true, wantURL: "https://sts.eu-west-1.api.aws/", wantSign: "eu-west-1"},
		{name: "endpoint URL", region: "eu-west-1", base: "http://127.0.0.1:5000", wantURL: "http://127.0.0.1:5000/", wantSign: "eu-west-1"},
		{name: "endpoint URL with a path", region: "eu-west-1", base: "https://proxy.example/sts", wantURL: "https://proxy.example/sts", wantSign: "eu-west-1"},
		{name: "endpoint URL, legacy", region: "eu-west-1", base: "https://proxy.example/", legacy: true, wantURL: "https://proxy.example/", wantSign: "eu-west-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ep, err := resolveEndpoint(context.Background(), stsOptions(tc.region, tc.base, tc.fips, tc.dual), tc.legacy)
			if err != nil {
				t.Fatal(err)
			}
			if ep.url.String() != tc.wantURL || ep.signingRegion != tc.wantSign {
				t.Errorf("got %s signed for %s, want %s for %s", ep.url, ep.signingRegion, tc.wantURL, tc.wantSign)
			}
		})
	}
}

// TestLegacyGlobalRegions: with sts_regional_endpoints=legacy exactly
// botocore's list of regions goes to the global endpoint.
func TestLegacyGlobalRegions(t *testing.T) {
	for _, region := range append(legacyGlobalRegions, "eu-south-1", "me-south-1", "ap-east-1", "af-south-1", "eu-central-2", "ca-west-1") {
		ep, err := resolveEndpoint(context.Background(), stsOptions(region, "", false, false), true)
		if err != nil {
			t.Fatalf("%s: %v", region, err)
		}
		global := ep.url.Host == "sts.amazonaws.com"
		want := false
		for _, r := range legacyGlobalRegions {
			want = want || r == region
		}
		if global != want || global && ep.signingRegion != "us-east-1" {
			t.Errorf("%s: %s signed for %s; want global: %v", region, ep.url, ep.signingRegion, want)
		}
	}
}

func TestResolveEndpointNoRegionWithEndpointURL(t *testing.T) {
	_, err := resolveEndpoint(context.Background(), stsOptions("", "https://proxy.example", false, false), false)
	if err == nil || !strings.Contains(err.Error(), "no region") {
		t.Fatalf("err %v", err)
	}
}
