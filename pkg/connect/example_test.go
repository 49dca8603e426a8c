package connect_test

import (
	"context"
	"fmt"
	"os"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

// staticProvider is a provider with a fixed list of clusters, as a test or
// a new kind of cluster (AKS, Rancher) would start.
type staticProvider struct{ clusters []connect.Cluster }

func (p staticProvider) Name() string { return "static" }

func (p staticProvider) Discover(context.Context, connect.Selection) ([]connect.Cluster, []connect.Warning, error) {
	return p.clusters, nil, nil
}

func (p staticProvider) Describe(_ context.Context, c connect.Cluster) (connect.Cluster, error) {
	return c, nil
}

func (p staticProvider) Exec(c connect.Cluster, _ string) (connect.Exec, error) {
	return connect.Exec{
		APIVersion: "client.authentication.k8s.io/v1beta1",
		Command:    "my-token-plugin",
		Args:       []string{"--cluster", c.Name},
	}, nil
}

// ExampleUse discovers clusters with a provider and prints a standalone
// kubeconfig for them (Kubeconfig: a path merges into that file instead).
func ExampleUse() {
	p := staticProvider{clusters: []connect.Cluster{
		{ID: "lab/east/demo", Provider: "static", Name: "demo", Region: "east", Endpoint: "https://demo.east.example"},
		{ID: "lab/west/demo", Provider: "static", Name: "demo", Region: "west", Endpoint: "https://demo.west.example"},
	}}
	ctx := context.Background()
	clusters, _, err := p.Discover(ctx, connect.Selection{})
	if err != nil {
		panic(err)
	}
	entries, err := connect.Use(ctx, p, clusters[:1], connect.UseOptions{Kubeconfig: connect.Stdout, Out: os.Stdout})
	if err != nil {
		panic(err)
	}
	fmt.Println("# context:", entries[0].ContextName)
	// Output:
	// apiVersion: v1
	// clusters:
	// - cluster:
	//     server: https://demo.east.example
	//   name: lab/east/demo
	// contexts:
	// - context:
	//     cluster: lab/east/demo
	//     user: lab/east/demo@
	//   name: demo
	// current-context: demo
	// kind: Config
	// users:
	// - name: lab/east/demo@
	//   user:
	//     exec:
	//       apiVersion: client.authentication.k8s.io/v1beta1
	//       args:
	//       - my-token-plugin
	//       - --cluster
	//       - demo
	//       command: kcc-cache
	//       env:
	//       - name: KUBE_CREDENTIAL_CACHE_USER
	//         value: lab/east/demo@
	// # context: demo
}
