package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/ekstoken"
)

const role = "arn:aws:iam::1:role/r"

func opts(o ekstoken.Options) command { return command{opts: o} }

func TestParseArgs(t *testing.T) {
	demo := ekstoken.Options{ClusterName: "demo"}
	for _, tc := range []struct {
		name    string
		args    []string
		want    command
		wantErr string
	}{
		{name: "GNU", args: []string{"--cluster-name", "demo"}, want: opts(demo)},
		{name: "GNU =", args: []string{"--cluster-name=demo", "--region=eu-west-1"}, want: opts(ekstoken.Options{ClusterName: "demo", Region: "eu-west-1"})},
		{name: "every flag", args: []string{"--cluster-id", "abc", "--role-arn", role, "--session-name", "me", "--external-id", "x:y/z"},
			want: opts(ekstoken.Options{ClusterID: "abc", RoleARN: role, SessionName: "me", ExternalID: "x:y/z"})},
		{name: "output json", args: []string{"--cluster-name", "demo", "--output", "json", "--profile", "p"}, want: opts(ekstoken.Options{ClusterName: "demo", Profile: "p"})},
		{name: "help", args: []string{"--help"}, want: command{help: true}},
		{name: "-h", args: []string{"-h"}, want: command{help: true}},
		{name: "version", args: []string{"--version"}, want: command{version: true}},

		// eks-auth's command lines: Go's flag package takes -name value,
		// -name=value, --name value and --name=value; its fork's README
		// passes --region and --role.
		{name: "eks-auth -name value", args: []string{"-cluster-name", "demo", "-role-arn", role}, want: opts(ekstoken.Options{ClusterName: "demo", RoleARN: role})},
		{name: "eks-auth -name=value", args: []string{"-cluster-name=demo", "-role-arn=" + role}, want: opts(ekstoken.Options{ClusterName: "demo", RoleARN: role})},
		{name: "eks-auth fork kubeconfig", args: []string{"--region", "ap-northeast-1", "--cluster-name", "my-k8s-cluster", "--role", role},
			want: opts(ekstoken.Options{ClusterName: "my-k8s-cluster", Region: "ap-northeast-1", RoleARN: role})},
		{name: "--role=", args: []string{"-cluster-name", "demo", "--role=" + role, "-region=us-east-1"}, want: opts(ekstoken.Options{ClusterName: "demo", Region: "us-east-1", RoleARN: role})},
		{name: "single-dash everything", args: []string{"-cluster-id", "abc", "-profile", "p", "-role", role, "-session-name", "me", "-external-id", "ext", "-output=json"},
			want: opts(ekstoken.Options{ClusterID: "abc", Profile: "p", RoleARN: role, SessionName: "me", ExternalID: "ext"})},
		{name: "-help", args: []string{"-help"}, want: command{help: true}},
		{name: "-version", args: []string{"-version"}, want: command{version: true}},
		{name: "-- ends the flags", args: []string{"-cluster-name", "demo", "--"}, want: opts(demo)},
		{name: "= with an empty value", args: []string{"--cluster-name", "demo", "--region="}, want: opts(demo)},

		// Mistakes stay mistakes, in either syntax.
		{name: "unknown flag", args: []string{"--cluster-name", "demo", "--bogus"}, wantErr: "unknown flag: --bogus"},
		{name: "unknown single-dash flag", args: []string{"-cluster-name", "demo", "-bogus=1"}, wantErr: "unknown flag: -bogus"},
		{name: "unknown shorthand", args: []string{"-c", "demo"}, wantErr: "unknown flag: -c"},
		{name: "pflag bundle", args: []string{"-hv"}, wantErr: "unknown flag: -hv"},
		{name: "three dashes", args: []string{"---cluster-name", "demo"}, wantErr: "bad flag syntax: ---cluster-name"},
		{name: "-=", args: []string{"-=x"}, wantErr: "bad flag syntax"},
		{name: "error after --version", args: []string{"--version", "--bogus-after-version-is-still-an-error"}, wantErr: "unknown flag"},
		{name: "no value", args: []string{"--cluster-name"}, wantErr: "flag needs an argument: --cluster-name"},
		{name: "single-dash no value", args: []string{"-role"}, wantErr: "flag needs an argument: -role"},
		{name: "a flag for a value", args: []string{"-cluster-name", "-region", "eu-west-1"}, wantErr: "flag needs an argument: -cluster-name"},
		{name: "boolean with a bad value", args: []string{"--help=maybe"}, wantErr: "--help: want true or false"},
		{name: "given twice", args: []string{"--cluster-name", "a", "-cluster-name", "b"}, wantErr: "--cluster-name given twice"},
		{name: "role and role-arn", args: []string{"--cluster-name", "a", "--role", role, "--role-arn", role}, wantErr: "--role-arn given twice"},
		{name: "nothing", args: nil, wantErr: "either --cluster-name or --cluster-id"},
		{name: "empty name", args: []string{"--cluster-name", ""}, wantErr: "either --cluster-name or --cluster-id"},
		{name: "name and id", args: []string{"-cluster-name", "a", "-cluster-id", "b"}, wantErr: "cannot be used together"},
		{name: "line break", args: []string{"--cluster-name", "a\nb"}, wantErr: "line break"},
		{name: "external id without role", args: []string{"--cluster-name", "demo", "--external-id", "x"}, wantErr: "need --role-arn"},
		{name: "session name too long", args: []string{"--cluster-name", "demo", "--role-arn", "arn:x", "--session-name", strings.Repeat("a", 65)}, wantErr: "--session-name"},
		{name: "bad external id", args: []string{"--cluster-name", "demo", "--role-arn", "arn:x", "--external-id", "a b"}, wantErr: "--external-id"},
		{name: "role not an ARN", args: []string{"-cluster-name", "demo", "-role", "deployer"}, wantErr: "not an ARN"},
		{name: "output yaml", args: []string{"--cluster-name", "demo", "--output", "yaml"}, wantErr: "only json"},
		{name: "positional", args: []string{"--cluster-name", "demo", "extra"}, wantErr: `unexpected argument "extra"`},
		{name: "positional then flags", args: []string{"get-token", "-cluster-name", "demo"}, wantErr: `unexpected argument "get-token"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseArgs(tc.args)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !cli.IsUsage(err) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err %v, want a one-line usage error with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestBuilderRoundTrip: what the injector and kcc-connect write with
// contract.EKS is what kcc-eks reads, field for field. The two structs
// must keep the same fields: a field added to one and not the other fails
// here.
func TestBuilderRoundTrip(t *testing.T) {
	for _, e := range []contract.EKS{
		{ClusterName: "demo"},
		{ClusterName: "demo", Region: "eu-west-1"},
		{ClusterID: "0123-abcd", Region: "us-west-2", Profile: "prod"},
		{ClusterName: "demo", Region: "eu-west-1", Profile: "p", RoleARN: role, SessionName: "alice@example.com", ExternalID: "ext:42/x"},
		// Values the AWS CLI takes after "=" that read as flags here.
		{ClusterName: "-x", Region: "-1", Profile: "-2.5"},
	} {
		got, err := parseArgs(e.Args())
		if err != nil {
			t.Fatalf("%q: %v", e.Args(), err)
		}
		if got.help || got.version {
			t.Fatalf("%q: help or version", e.Args())
		}
		if w, g := fields(t, e), fields(t, got.opts); !reflect.DeepEqual(w, g) {
			t.Errorf("%q parsed as %v, want %v", e.Args(), g, w)
		}
	}
}

// fields maps the string fields of a struct by name.
func fields(t *testing.T, v any) map[string]string {
	t.Helper()
	rv := reflect.ValueOf(v)
	m := map[string]string{}
	for i := range rv.NumField() {
		if rv.Field(i).Kind() != reflect.String {
			t.Fatalf("%T.%s is not a string", v, rv.Type().Field(i).Name)
		}
		m[rv.Type().Field(i).Name] = rv.Field(i).String()
	}
	return m
}

// FuzzParseArgs: any command line gives options or a one-line usage error,
// never a panic; accepted options are consistent.
func FuzzParseArgs(f *testing.F) {
	f.Add("--cluster-name\x00demo\x00--region\x00eu-west-1")
	f.Add("--cluster-id=x\x00--role-arn\x00arn:aws:iam::1:role/r\x00--session-name\x00s-1\x00--external-id\x00e")
	f.Add("-cluster-name\x00demo\x00-role=arn:aws:iam::1:role/r")
	f.Add("--help")
	f.Add("--output\x00text")
	f.Fuzz(func(t *testing.T, joined string) {
		c, err := parseArgs(strings.Split(joined, "\x00"))
		if err != nil {
			if !cli.IsUsage(err) {
				t.Fatalf("not a usage error: %v", err)
			}
			return
		}
		if c.help || c.version {
			return
		}
		o := c.opts
		if (o.ClusterName == "") == (o.ClusterID == "") || strings.ContainsAny(o.ClusterIdentifier(), "\r\n") {
			t.Fatalf("accepted %+v", o)
		}
	})
}
