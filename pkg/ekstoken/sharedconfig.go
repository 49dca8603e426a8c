package ekstoken

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/IvMisticos/kube-credential-cache/internal/awsini"
)

// stsRegionalEndpointsKey is botocore's setting for the legacy global STS
// endpoint; aws-sdk-go-v2 does not read it (it is always regional), so it
// is read here: env first, then the profile, as botocore does.
const (
	stsRegionalEndpointsEnv = "AWS_STS_REGIONAL_ENDPOINTS"
	stsRegionalEndpointsKey = "sts_regional_endpoints"
)

// legacyGlobalSTS reports whether sts_regional_endpoints is "legacy" (from
// env, else from profile's section of the config file at path).
func legacyGlobalSTS(getenv func(string) string, path, profile string) (bool, error) {
	v, where := getenv(stsRegionalEndpointsEnv), stsRegionalEndpointsEnv
	if v == "" {
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("could not read the AWS config file: %w", err)
		}
		defer f.Close()
		if v, err = awsini.ProfileValue(f, profile, stsRegionalEndpointsKey); err != nil {
			return false, fmt.Errorf("could not read the AWS config file %s: %w", path, err)
		}
		where = stsRegionalEndpointsKey + " of profile " + profile + " in " + path
	}
	switch v {
	case "", "regional":
		return false, nil
	case "legacy":
		return true, nil
	}
	return false, fmt.Errorf("%s is %q, want legacy or regional", where, v)
}
