package contract

import (
	"reflect"
	"testing"
)

func TestEKSArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    EKS
		want []string
	}{
		{"name only", EKS{ClusterName: "demo"}, []string{"kcc-eks", "--cluster-name", "demo"}},
		{"id", EKS{ClusterID: "abc", Region: "eu-west-1"}, []string{"kcc-eks", "--cluster-id", "abc", "--region", "eu-west-1"}},
		{"everything", EKS{ClusterName: "demo", Region: "r", Profile: "p", RoleARN: "arn:aws:iam::1:role/x", SessionName: "s", ExternalID: "e"},
			[]string{"kcc-eks", "--cluster-name", "demo", "--region", "r", "--role-arn", "arn:aws:iam::1:role/x", "--session-name", "s", "--external-id", "e", "--profile", "p"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Argv(tc.e); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestEKSArgsEveryField: a field added to EKS but not to Args would be
// silently dropped from every kubeconfig written.
func TestEKSArgsEveryField(t *testing.T) {
	var e EKS
	v := reflect.ValueOf(&e).Elem()
	for i := range v.NumField() {
		v.Field(i).SetString("v")
	}
	if got, want := len(e.Args()), 2*v.NumField(); got != want {
		t.Errorf("Args gives %d arguments for %d fields set: %q", got, v.NumField(), e.Args())
	}
}
