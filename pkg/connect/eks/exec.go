package eks

import (
	"fmt"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// execAPIVersion is the ExecCredential version both plugins answer in.
const execAPIVersion = execcred.APIVersionV1beta1

// Plugins a user can run for its token.
const (
	PluginKccEKS = contract.EKSCommand
	PluginAWS    = "aws"
)

// Exec is the plugin of a cluster's user: kcc-eks by default, or
// `aws eks get-token` (with --output json: a config's output=text broke
// kubectl, aws-cli #7719). AWS_PROFILE is set to the profile that found the
// cluster, so the token is made with the identity that could see it; aws
// also gets --profile, since the AWS CLI takes a shell's AWS_DEFAULT_PROFILE
// before AWS_PROFILE (kcc-eks, like the Go SDK, does not).
func (p *Provider) Exec(c connect.Cluster, plugin string) (connect.Exec, error) {
	e := connect.Exec{APIVersion: execAPIVersion}
	switch plugin {
	case "", PluginKccEKS:
		// AWS_PROFILE (below) names the profile: kcc-eks needs no --profile.
		kccEKS := contract.EKS{ClusterName: c.Name, Region: c.Region, RoleARN: c.RoleARN}
		e.Command, e.Args = kccEKS.Command(), kccEKS.Args()
	case PluginAWS:
		e.Command = PluginAWS
		e.Args = []string{"--region", c.Region, "eks", "get-token", "--cluster-name", c.Name, "--output", "json"}
		if c.RoleARN != "" {
			e.Args = append(e.Args, "--role-arn", c.RoleARN)
		}
		if c.Profile != "" {
			e.Args = append(e.Args, "--profile", c.Profile)
		}
	default:
		return connect.Exec{}, fmt.Errorf("unknown exec plugin %q (want %s or %s)", plugin, PluginKccEKS, PluginAWS)
	}
	if c.Profile != "" {
		e.Env = append(e.Env, connect.EnvVar{Name: "AWS_PROFILE", Value: c.Profile})
	}
	return e, nil
}
