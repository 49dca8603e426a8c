package oidc

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
)

const twoClusters = `# team list
clusters:
- id: dev
  server: https://dev.example.com
  issuerUrl: https://issuer.example.com
  clientId: kube
  extraScopes: [groups, offline_access]
  labels: {env: dev, team: a}
- id: prod
  name: production
  server: https://prod.example.com
  issuerUrl: https://issuer.example.com
  clientId: kube
  labels: {env: prod, team: a}
`

func TestDiscoverLabels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clusters.yaml")
	if err := os.WriteFile(path, []byte(twoClusters), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   string
	}{
		{"none", nil, "dev,production"},
		{"one", map[string]string{"env": "prod"}, "production"},
		{"shared", map[string]string{"team": "a"}, "dev,production"},
		{"all must match", map[string]string{"team": "a", "env": "dev"}, "dev"},
		{"no match", map[string]string{"env": "test"}, ""},
		{"missing key", map[string]string{"zone": "a"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, _, err := New(Options{ConfigURL: path}).Discover(context.Background(), connect.Selection{Labels: tc.labels})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range cs {
				names = append(names, c.Name)
				if c.Provider != Name {
					t.Errorf("provider %q", c.Provider)
				}
			}
			if got := strings.Join(names, ","); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestStdinAndFlags(t *testing.T) {
	cs, _, err := New(Options{ConfigURL: Stdin, Stdin: strings.NewReader(twoClusters)}).Discover(context.Background(), connect.Selection{})
	if err != nil || len(cs) != 2 {
		t.Fatalf("stdin: %v %v", cs, err)
	}
	one := ListCluster{ID: "lab", Server: "https://lab", IssuerURL: "https://i", ClientID: "c"}
	cs, _, err = New(Options{Cluster: one}).Discover(context.Background(), connect.Selection{})
	if err != nil || len(cs) != 1 || cs[0].Name != "lab" || cs[0].Endpoint != "https://lab" {
		t.Fatalf("flags: %+v %v", cs, err)
	}
	one.IssuerURL = ""
	if _, _, err := New(Options{Cluster: one}).Discover(context.Background(), connect.Selection{}); err == nil || err.Error() != "cluster flags: cluster 1 (lab): issuerUrl: missing" {
		t.Errorf("flags without issuer: %v", err)
	}
}

// The exec is what kcc-oidc's own parser reads back as the cluster's
// issuer, client and scopes.
func TestExecRoundTrip(t *testing.T) {
	c := connect.Cluster{ID: "dev", IssuerURL: "https://issuer.example.com", ClientID: "kube", ExtraScopes: []string{"groups", "-x"}}
	e, err := New(Options{}).Exec(c, "")
	if err != nil {
		t.Fatal(err)
	}
	if e.Command != "kcc-oidc" || e.Args[0] != "get-token" {
		t.Fatalf("exec %s %q", e.Command, e.Args)
	}
	o, err := flags.Parse(e.Args[1:])
	if err != nil {
		t.Fatal(err)
	}
	if o.IssuerURL != c.IssuerURL || o.ClientID != c.ClientID || !reflect.DeepEqual(o.ExtraScopes, c.ExtraScopes) {
		t.Errorf("parsed %+v from %q", o, e.Args)
	}
	if _, err := New(Options{}).Exec(c, "kcc-eks"); err == nil {
		t.Error("kcc-eks accepted as an oidc plugin")
	}
}
