package ekstoken

import (
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		want    Options
		wantErr string
	}{
		{args: []string{"--cluster-name", "demo"}, want: Options{ClusterName: "demo", SessionName: DefaultSessionName}},
		{args: []string{"--cluster-name=demo", "--region=eu-west-1"}, want: Options{ClusterName: "demo", Region: "eu-west-1", SessionName: DefaultSessionName}},
		{args: []string{"--cluster-id", "abc", "--role-arn", "arn:aws:iam::1:role/r", "--session-name", "me", "--external-id", "x:y/z"},
			want: Options{ClusterID: "abc", RoleARN: "arn:aws:iam::1:role/r", SessionName: "me", ExternalID: "x:y/z"}},
		{args: []string{"--cluster-name", "demo", "--output", "json", "--profile", "p"}, want: Options{ClusterName: "demo", Profile: "p", SessionName: DefaultSessionName}},
		{args: []string{"--help"}, want: Options{Help: true, SessionName: DefaultSessionName}},
		{args: []string{"-h"}, want: Options{Help: true, SessionName: DefaultSessionName}},
		{args: []string{"--version", "--bogus-after-version-is-still-an-error"}, wantErr: "unknown flag"},
		{args: []string{"--version"}, want: Options{Version: true, SessionName: DefaultSessionName}},
		{args: nil, wantErr: "either --cluster-name or --cluster-id"},
		{args: []string{"--cluster-name", ""}, wantErr: "either --cluster-name or --cluster-id"},
		{args: []string{"--cluster-name", "a\nb"}, wantErr: "line break"},
		{args: []string{"--cluster-name", "demo", "--external-id", "x"}, wantErr: "need --role-arn"},
		{args: []string{"--cluster-name", "demo", "--role-arn", "arn:x", "--session-name", strings.Repeat("a", 65)}, wantErr: "--session-name"},
		{args: []string{"--cluster-name", "demo", "--role-arn", "arn:x", "--external-id", "a b"}, wantErr: "--external-id"},
		{args: []string{"--cluster-name", "demo", "--output", "yaml"}, wantErr: "only json"},
		{args: []string{"--cluster-name", "demo", "extra"}, wantErr: "unexpected argument"},
		{args: []string{"-c", "demo"}, wantErr: "unknown shorthand"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			got, err := ParseArgs(tc.args)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !IsUsage(err) {
					t.Fatalf("err %v, want a usage error with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestClusterIdentifier(t *testing.T) {
	if got := (Options{ClusterName: "n"}).ClusterIdentifier(); got != "n" {
		t.Errorf("got %q", got)
	}
	if got := (Options{ClusterID: "i"}).ClusterIdentifier(); got != "i" {
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

// FuzzParseArgs: any command line gives options or a usage error, never a
// panic; accepted options are consistent.
func FuzzParseArgs(f *testing.F) {
	f.Add("--cluster-name\x00demo\x00--region\x00eu-west-1")
	f.Add("--cluster-id=x\x00--role-arn\x00arn:aws:iam::1:role/r\x00--session-name\x00s-1\x00--external-id\x00e")
	f.Add("--help")
	f.Add("--output\x00text")
	f.Fuzz(func(t *testing.T, joined string) {
		o, err := ParseArgs(strings.Split(joined, "\x00"))
		if err != nil {
			if !IsUsage(err) {
				t.Fatalf("not a usage error: %v", err)
			}
			return
		}
		if o.Help || o.Version {
			return
		}
		if (o.ClusterName == "") == (o.ClusterID == "") || strings.ContainsAny(o.ClusterIdentifier(), "\r\n") {
			t.Fatalf("accepted %+v", o)
		}
	})
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
