package connect

import (
	"reflect"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect/kubeconfig"
)

func eksCluster(name, account, region, profile string) Cluster {
	return Cluster{
		ID:       "arn:aws:eks:" + region + ":" + account + ":cluster/" + name,
		Provider: "eks", Name: name, Account: account, Region: region, Profile: profile,
		Endpoint: "https://" + name + "." + region + ".example", Status: "ACTIVE",
	}
}

func entriesFor(cs ...Cluster) []Entry {
	es := make([]Entry, len(cs))
	for i, c := range cs {
		es[i] = Entry{Cluster: c, ClusterName: c.ID, UserName: UserName(c)}
	}
	return es
}

func contextsOf(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ContextName
	}
	return out
}

func TestContextNames(t *testing.T) {
	a := eksCluster("demo", "111111111111", "us-east-1", "dev")
	b := eksCluster("demo", "111111111111", "eu-west-1", "dev")
	c := eksCluster("demo", "222222222222", "us-east-1", "prod")
	d := eksCluster("other", "111111111111", "us-east-1", "dev")
	aProd := a
	aProd.Profile = "prod"
	aRole := a
	aRole.RoleARN = "arn:aws:iam::111111111111:role/admin"
	// Clusters of an oidc list: no account, region or profile; the ID
	// tells them apart.
	listA := Cluster{ID: "a", Provider: "oidc", Name: "team", Endpoint: "https://a"}
	listB := Cluster{ID: "b", Provider: "oidc", Name: "team", Endpoint: "https://b"}
	tests := []struct {
		name     string
		clusters []Cluster
		existing []kubeconfig.Context
		opts     NameOptions
		want     []string
	}{
		{"unique names", []Cluster{a, d}, nil, NameOptions{}, []string{"demo", "other"}},
		{"same name in two regions", []Cluster{a, b}, nil, NameOptions{}, []string{"demo@us-east-1", "demo@eu-west-1"}},
		{"same name in two accounts", []Cluster{a, c}, nil, NameOptions{}, []string{"demo@111111111111", "demo@222222222222"}},
		{"accounts and regions differ", []Cluster{a, b, c}, nil, NameOptions{}, []string{"demo@111111111111:us-east-1", "demo@111111111111:eu-west-1", "demo@222222222222:us-east-1"}},
		{"one cluster, two profiles", []Cluster{a, aProd}, nil, NameOptions{}, []string{"demo@dev", "demo@prod"}},
		{"one cluster, with and without a role", []Cluster{a, aRole}, nil, NameOptions{}, []string{"demo@dev", "demo@dev+admin"}},
		{"list clusters of one name", []Cluster{listA, listB}, nil, NameOptions{}, []string{"team@a", "team@b"}},
		{"list cluster, name taken in the file", []Cluster{listA}, []kubeconfig.Context{{Name: "team", Cluster: "x", User: "x"}}, NameOptions{}, []string{"team@a"}},
		{"name taken in the file", []Cluster{a}, []kubeconfig.Context{{Name: "demo", Cluster: "kind-demo", User: "kind-demo"}}, NameOptions{}, []string{"demo@us-east-1"}},
		{"all candidates taken", []Cluster{a}, []kubeconfig.Context{
			{Name: "demo", Cluster: "x"}, {Name: "demo@us-east-1", Cluster: "x"}, {Name: "demo@111111111111:us-east-1", Cluster: "x"}, {Name: "demo@111111111111:us-east-1/dev", Cluster: "x"},
		}, NameOptions{}, []string{"demo@111111111111:us-east-1/dev-2"}},
		{"existing context of the same entry is reused", []Cluster{a}, []kubeconfig.Context{{Name: "my-demo", Cluster: a.ID, User: UserName(a)}}, NameOptions{}, []string{"my-demo"}},
		{"a reused name is not given to another", []Cluster{a, b}, []kubeconfig.Context{{Name: "demo@eu-west-1", Cluster: a.ID, User: UserName(a)}}, NameOptions{}, []string{"demo@eu-west-1", "demo@111111111111:eu-west-1"}},
		{"alias", []Cluster{a}, nil, NameOptions{Alias: "prod-db"}, []string{"prod-db"}},
		{"template", []Cluster{a, b}, nil, NameOptions{ContextTemplate: "{{.Name}}-{{.Region}}"}, []string{"demo-us-east-1", "demo-eu-west-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := entriesFor(tt.clusters...)
			if err := contextNames(es, tt.existing, tt.opts); err != nil {
				t.Fatal(err)
			}
			if got := contextsOf(es); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("contexts %q, want %q", got, tt.want)
			}
		})
	}
}

func TestContextNamesRefuses(t *testing.T) {
	a := eksCluster("demo", "111111111111", "us-east-1", "dev")
	b := eksCluster("demo", "111111111111", "eu-west-1", "dev")
	tests := []struct {
		name     string
		clusters []Cluster
		existing []kubeconfig.Context
		opts     NameOptions
		want     string
	}{
		{"alias for two", []Cluster{a, b}, nil, NameOptions{Alias: "x"}, "--alias names one cluster"},
		{"alias taken", []Cluster{a}, []kubeconfig.Context{{Name: "x", Cluster: "other", User: "u"}}, NameOptions{Alias: "x"}, `context "x" already exists`},
		{"template gives one name twice", []Cluster{a, b}, nil, NameOptions{ContextTemplate: "{{.Name}}"}, "would name both"},
		{"template with an unknown field", []Cluster{a}, nil, NameOptions{ContextTemplate: "{{.Nope}}"}, "--context-template"},
		{"template that does not parse", []Cluster{a}, nil, NameOptions{ContextTemplate: "{{"}, "--context-template"},
		{"empty name", []Cluster{a}, nil, NameOptions{ContextTemplate: "{{if false}}x{{end}}"}, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := contextNames(entriesFor(tt.clusters...), tt.existing, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one with %q", err, tt.want)
			}
		})
	}
}

// TestUserNamesNeverCollide: two identities (cluster, profile, role) never
// share a user name, which is also KUBE_CREDENTIAL_CACHE_USER: a user
// written later would take over the contexts of the other. The default
// credential chain (no profile: whatever the environment holds when kubectl
// runs) is not the profile named "default".
func TestUserNamesNeverCollide(t *testing.T) {
	ids := []string{"arn:aws:eks:us-east-1:111111111111:cluster/demo", "a", "a@b", "a+b", "a%40b", "a@"}
	profiles := []string{"", "default", "b", "b@c", "b+arn:x", "%2B", "@", "+"}
	roles := []string{"", "arn:x", "c@d+arn:x", "b+arn:x"}
	seen := map[string]Cluster{}
	for _, id := range ids {
		for _, p := range profiles {
			for _, r := range roles {
				c := Cluster{ID: id, Profile: p, RoleARN: r}
				name := UserName(c)
				if other, dup := seen[name]; dup {
					t.Errorf("%+v and %+v are both user %q", other, c, name)
				}
				seen[name] = c
				if name == id {
					t.Errorf("%+v is user %q, the bare ID (aws eks update-kubeconfig's user)", c, name)
				}
			}
		}
	}
}

func TestUserName(t *testing.T) {
	a := eksCluster("demo", "111111111111", "us-east-1", "")
	if got, want := UserName(a), a.ID+"@"; got != want {
		t.Errorf("UserName = %q, want %q", got, want)
	}
	a.Profile = "default"
	if got, want := UserName(a), a.ID+"@default"; got != want {
		t.Errorf("UserName = %q, want %q", got, want)
	}
	a.Profile, a.RoleARN = "dev", "arn:aws:iam::1:role/r"
	if got, want := UserName(a), a.ID+"@dev+arn:aws:iam::1:role/r"; got != want {
		t.Errorf("UserName = %q, want %q", got, want)
	}
	a.Profile = "dev+ops"
	if got, want := UserName(a), a.ID+"@dev%2Bops+arn:aws:iam::1:role/r"; got != want {
		t.Errorf("UserName = %q, want %q", got, want)
	}
}
