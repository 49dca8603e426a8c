package inputs

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkFingerprint is what a hit pays on top of the lookup, per plugin
// family, for a user with 30 AWS profiles; bench/hit.sh measures it in the
// whole process.
func BenchmarkFingerprint(b *testing.B) {
	var awsConfig strings.Builder
	for i := range 30 {
		fmt.Fprintf(&awsConfig, "[profile p%d]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = base\nregion = eu-west-1\n\n", i)
	}
	w := newWorld(b, baseFiles, map[string]string{"AWS_PROFILE": "p17"})
	w.write(".aws/config", awsConfig.String())
	for _, tc := range []struct {
		name string
		argv []string
	}{
		{"none", []string{"my-plugin"}},
		{"aws", []string{"aws", "eks", "get-token"}},
		{"gcloud", []string{"gke-gcloud-auth-plugin"}},
		{"azure", []string{"kubelogin"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				ForPlugin(tc.argv, w.lookup, nil).Fingerprint()
			}
		})
	}
}
