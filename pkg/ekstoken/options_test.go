package ekstoken

import (
	"strings"
	"testing"
)

func TestClusterIdentifier(t *testing.T) {
	if got := (Options{ClusterName: "n"}).ClusterIdentifier(); got != "n" {
		t.Errorf("got %q", got)
	}
	if got := (Options{ClusterID: "i"}).ClusterIdentifier(); got != "i" {
		t.Errorf("got %q", got)
	}
}

func TestSessionName(t *testing.T) {
	if got := (Options{}).sessionName(); got != DefaultSessionName {
		t.Errorf("got %q", got)
	}
	if got := (Options{SessionName: "me"}).sessionName(); got != "me" {
		t.Errorf("got %q", got)
	}
}

func TestAPIVersion(t *testing.T) {
	const v1, v1beta1, v1alpha1 = "client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1", "client.authentication.k8s.io/v1alpha1"
	for _, tc := range []struct {
		execInfo, want string
		warns          bool
	}{
		{"", v1beta1, false},
		{`{"apiVersion":"` + v1 + `"}`, v1, false},
		{`{"kind":"ExecCredential","apiVersion":"` + v1beta1 + `","spec":{"interactive":false}}`, v1beta1, false},
		{`{"apiVersion":"` + v1alpha1 + `"}`, v1alpha1, true},
		{`{"apiVersion":"client.authentication.k8s.io/v2"}`, v1beta1, true},
		{`{"apiVersion":1}`, v1beta1, true},
		{`{}`, v1beta1, true},
		{`null`, v1beta1, true},
		{`[]`, v1beta1, true},
		{`{"apiVersion":`, v1beta1, true},
	} {
		got, warning := APIVersion(tc.execInfo)
		if got != tc.want || (warning != "") != tc.warns || strings.Contains(warning, "\n") {
			t.Errorf("APIVersion(%q) = %q, %q; want %q, warning %v", tc.execInfo, got, warning, tc.want, tc.warns)
		}
	}
}

// FuzzAPIVersion: any KUBERNETES_EXEC_INFO gives a version client-go
// speaks (or the one it asked for) and at most one line of warning.
func FuzzAPIVersion(f *testing.F) {
	f.Add(`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":true}}`)
	f.Add(`{"apiVersion":"client.authentication.k8s.io/v1alpha1"}`)
	f.Add(`{`)
	f.Fuzz(func(t *testing.T, execInfo string) {
		v, warning := APIVersion(execInfo)
		switch v {
		case "client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1", apiVersionV1alpha1:
		default:
			t.Fatalf("apiVersion %q", v)
		}
		if strings.Contains(warning, "\n") || strings.Contains(warning, execInfo) && len(execInfo) > 20 {
			t.Fatalf("warning %q", warning)
		}
	})
}
