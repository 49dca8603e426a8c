package eks_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/eks"
)

// Example finds the EKS clusters of two profiles in two regions and writes
// entries for all of them into ~/.kube/config, as `kcc-connect use --all`
// does. (Not run: it needs AWS credentials.)
func Example() {
	ctx := context.Background()
	p := eks.New(eks.Options{AppID: "my-tool/1.0"})
	clusters, warnings, err := p.Discover(ctx, connect.Selection{
		Profiles: []string{"dev", "prod"},
		Regions:  []string{"us-east-1", "eu-west-1"},
	})
	if err != nil {
		panic(err)
	}
	for _, w := range warnings {
		fmt.Fprintln(os.Stderr, "warning:", w)
	}
	home, _ := os.UserHomeDir()
	entries, err := connect.Use(ctx, p, clusters, connect.UseOptions{
		Kubeconfig: filepath.Join(home, ".kube", "config"),
	})
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		fmt.Println(e.ContextName, "→", e.ClusterName)
	}
}
