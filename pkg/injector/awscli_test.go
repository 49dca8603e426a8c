package injector

import (
	"testing"

	"slices"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// TestAWSOptionLikeValues: the AWS CLI takes a value starting with "-" after
// "=" (or one that reads as a negative number); the mapped command line is
// contract.EKS's, which kcc-eks reads back with the same values
// (cmd/kcc-eks TestBuilderRoundTrip).
func TestAWSOptionLikeValues(t *testing.T) {
	args := []string{"--region=-1", "eks", "get-token", "--cluster-name=-x", "--profile", "-2.5"}
	out, isEKS, err := nativeEKSArgs("aws", args)
	if !isEKS || err != nil {
		t.Fatalf("nativeEKSArgs(%q) = %q, %v, %v", args, out, isEKS, err)
	}
	want := contract.EKS{ClusterName: "-x", Region: "-1", Profile: "-2.5"}.Args()
	if !slices.Equal(out[1:], want) {
		t.Fatalf("nativeEKSArgs(%q) = %q, want kcc-eks %q", args, out, want)
	}
}
