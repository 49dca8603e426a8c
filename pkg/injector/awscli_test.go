package injector

import (
	"testing"

	"github.com/IvMisticos/kube-credential-cache/pkg/ekstoken"
)

// TestAWSOptionLikeValues: the AWS CLI takes a value starting with "-" after
// "=" (or one that reads as a negative number), and kcc-eks's own parser
// reads the mapped command line back with the same values.
func TestAWSOptionLikeValues(t *testing.T) {
	args := []string{"--region=-1", "eks", "get-token", "--cluster-name=-x", "--profile", "-2.5"}
	out, isEKS, err := nativeEKSArgs("aws", args)
	if !isEKS || err != nil {
		t.Fatalf("nativeEKSArgs(%q) = %q, %v, %v", args, out, isEKS, err)
	}
	o, err := ekstoken.ParseArgs(out[1:])
	if err != nil || o.ClusterName != "-x" || o.Region != "-1" || o.Profile != "-2.5" {
		t.Fatalf("kcc-eks reads %q as %+v, %v", out, o, err)
	}
}
