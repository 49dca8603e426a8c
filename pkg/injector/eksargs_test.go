package injector

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNativeEKSArgs(t *testing.T) {
	tests := []struct {
		name    string
		command string
		args    string // split on spaces
		want    string // kcc-eks's args after "kcc-eks", split on spaces; "" when refused
		notEKS  bool
		refused string // when set: an EKS plugin, refused with this text
		at      int    // the index of the argument at fault (-1: none)
	}{
		// aws eks get-token, as aws eks update-kubeconfig and people write it.
		{name: "update-kubeconfig", command: "aws", args: "--region us-east-1 eks get-token --cluster-name prod --output json", want: "--cluster-name prod --region us-east-1"},
		{name: "minimal", command: "aws", args: "eks get-token --cluster-name prod", want: "--cluster-name prod"},
		{name: "globals after the operation", command: "aws", args: "eks get-token --cluster-name prod --region eu-west-1 --output json", want: "--cluster-name prod --region eu-west-1"},
		{name: "globals between", command: "aws", args: "eks --region eu-west-1 get-token --cluster-name=prod", want: "--cluster-name prod --region eu-west-1"},
		{name: "role and profile", command: "/usr/local/bin/aws", args: "--profile dev eks get-token --cluster-name prod --role-arn arn:aws:iam::111122223333:role/admin", want: "--cluster-name prod --role-arn arn:aws:iam::111122223333:role/admin --profile dev"},
		{name: "outposts cluster id", command: "aws.exe", args: "eks get-token --cluster-id 0123-abcd --region=us-west-2", want: "--cluster-id 0123-abcd --region us-west-2"},
		{name: "dropped options", command: "aws", args: "eks get-token --cluster-name p --no-paginate --color off --cli-read-timeout 5 --cli-connect-timeout=5", want: "--cluster-name p"},
		{name: "other aws command", command: "aws", args: "sso login --profile p", notEKS: true},
		{name: "other program", command: "gke-gcloud-auth-plugin", args: "", notEKS: true},
		{name: "aws-vault wrapping aws", command: "aws-vault", args: "exec p -- aws eks get-token --cluster-name x", notEKS: true},
		{name: "endpoint url", command: "aws", args: "eks get-token --cluster-name p --endpoint-url https://sts.example", refused: "--endpoint-url has no kcc-eks equivalent", at: 4},
		{name: "query", command: "aws", args: "eks get-token --cluster-name p --query status.token", refused: "--query", at: 4},
		{name: "debug", command: "aws", args: "--debug eks get-token --cluster-name p", refused: "--debug", at: 0},
		{name: "output text", command: "aws", args: "eks get-token --cluster-name p --output text", refused: "--output with a value", at: 4},
		// argparse reads "--cluster-name p" before the command as an
		// unknown option and p as the command.
		{name: "option before the operation", command: "aws", args: "--cluster-name p eks get-token", refused: "command other than eks", at: 1},
		{name: "name and id", command: "aws", args: "eks get-token --cluster-name p --cluster-id q", refused: "--cluster-name and --cluster-id together", at: 4},
		{name: "no cluster", command: "aws", args: "eks get-token --region us-east-1", refused: "no cluster name", at: -1},
		{name: "missing value", command: "aws", args: "eks get-token --cluster-name", refused: "has no value", at: 2},
		{name: "option-like value", command: "aws", args: "eks get-token --cluster-name --region", refused: "--region has no value", at: 3},
		{name: "option-like value of an operation option", command: "aws", args: "eks get-token --cluster-name -x", refused: "--cluster-name has no value", at: 2},
		{name: "extra positional", command: "aws", args: "eks get-token extra --cluster-name p", refused: "other than", at: 2},
		{name: "short option", command: "aws", args: "eks get-token -x --cluster-name p", refused: "-x", at: 2},
		{name: "double dash", command: "aws", args: "eks get-token --cluster-name p --", refused: "argument -- is not", at: 4},
		{name: "flag with value", command: "aws", args: "eks get-token --cluster-name p --no-paginate=1", refused: "takes no value", at: 4},

		// The AWS CLI's argparse: abbreviations, "--opt=value", the last of
		// repeated options, get-token's options before the operation when
		// written with "=" (the main and service parsers pass them on).
		{name: "update-kubeconfig --role-arn writes --role", command: "aws", args: "--region us-east-1 eks get-token --cluster-name prod --output json --role arn:aws:iam::111122223333:role/admin", want: "--cluster-name prod --region us-east-1 --role-arn arn:aws:iam::111122223333:role/admin"},
		{name: "abbreviations", command: "aws", args: "--reg eu-west-1 eks get-token --cluster-n prod --ro=arn:r --prof dev --out=json --no-p --col off --cli-r 5", want: "--cluster-name prod --region eu-west-1 --role-arn arn:r --profile dev"},
		{name: "cluster id abbreviated", command: "aws", args: "eks get-token --cluster-i 0123", want: "--cluster-id 0123"},
		{name: "--r is the main parser's --region", command: "aws", args: "eks get-token --cluster-name p --r eu-west-1", want: "--cluster-name p --region eu-west-1"},
		{name: "ambiguous among the globals", command: "aws", args: "eks get-token --c p", refused: "ambiguous option --c (--color, --ca-bundle, --cli-read-timeout, ...)", at: 2},
		{name: "ambiguous among get-token's", command: "aws", args: "eks get-token --clu p", refused: "ambiguous option --clu (--cluster-name, --cluster-id)", at: 2},
		{name: "ambiguous with a value", command: "aws", args: "eks get-token --cluster-name p --no=s3cr3t", refused: "ambiguous option --no (--no-verify-ssl, --no-paginate, --no-sign-request)", at: 4},
		{name: "last wins", command: "aws", args: "eks get-token --cluster-name p --cluster-name q --region a --region=b", want: "--cluster-name q --region b"},
		{name: "last output wins", command: "aws", args: "eks get-token --cluster-name p --output text --output json", want: "--cluster-name p"},
		{name: "last output is text", command: "aws", args: "eks get-token --cluster-name p --output json --output text", refused: "--output with a value kcc-eks", at: 6},
		{name: "output not a choice", command: "aws", args: "eks get-token --cluster-name p --output yaml", refused: "--output with a value it does not take", at: 4},
		{name: "color not a choice", command: "aws", args: "eks get-token --cluster-name p --color=never", refused: "--color with a value it does not take", at: 4},
		{name: "timeout not a number", command: "aws", args: "eks get-token --cluster-name p --cli-read-timeout soon", refused: "not a number of seconds", at: 4},
		{name: "operation option before the operation", command: "aws", args: "--cluster-name=p eks --role-arn=arn:r get-token", want: "--cluster-name p --role-arn arn:r"},
		{name: "value after =, even option-like", command: "aws", args: "eks get-token --cluster-name=-x", want: "--cluster-name=-x"},
		{name: "negative number is a value", command: "aws", args: "eks get-token --cluster-name -1", want: "--cluster-name=-1"},
		{name: "empty value", command: "aws", args: "eks get-token --cluster-name p --region=", refused: "--region with an empty value", at: 4},
		{name: "version", command: "aws", args: "eks get-token --cluster-name p --vers", refused: "--version has no kcc-eks", at: 4},
		{name: "help", command: "aws", args: "eks get-token help", refused: "help", at: 2},
		{name: "other operation", command: "aws", args: "eks get-token-x --cluster-name p", notEKS: true},
		{name: "describe then get-token", command: "aws", args: "eks describe-cluster get-token", refused: "operation other than get-token", at: 1},

		// aws-iam-authenticator token, as kconnect and older guides write it.
		{name: "iam-authenticator", command: "aws-iam-authenticator", args: "token -i prod", want: "--cluster-name prod"},
		{name: "iam-authenticator role region", command: "aws-iam-authenticator", args: "token -i prod -r arn:aws:iam::1:role/r --region eu-west-1", want: "--cluster-name prod --region eu-west-1 --role-arn arn:aws:iam::1:role/r"},
		{name: "iam-authenticator long forms", command: "aws-iam-authenticator", args: "--cluster-id=prod token --role arn:r --session-name s --external-id x --cache", want: "--cluster-name prod --role-arn arn:r --session-name s --external-id x"},
		{name: "iam-authenticator glued shorthands", command: "aws-iam-authenticator", args: "token -iprod -r=arn:r", want: "--cluster-name prod --role-arn arn:r"},
		{name: "iam-authenticator token-only", command: "aws-iam-authenticator", args: "token -i p --token-only", refused: "--token-only", at: 3},
		{name: "iam-authenticator forward session name", command: "aws-iam-authenticator", args: "token -i p -r arn:r --forward-session-name", refused: "--forward-session-name", at: 5},
		{name: "iam-authenticator cache=false", command: "aws-iam-authenticator", args: "token -i p --cache=false", refused: "other than true", at: 3},
		{name: "iam-authenticator verify", command: "aws-iam-authenticator", args: "verify -i p", refused: "other than \"token\"", at: -1},
		{name: "iam-authenticator unknown shorthand", command: "aws-iam-authenticator", args: "token -i p -f", refused: "-f", at: 3},

		// eks-auth: the Go tool with only a cluster and a role.
		{name: "eks-auth", command: "eks-auth", args: "--cluster-name prod", want: "--cluster-name prod"},
		{name: "eks-auth role, flag-package forms", command: "eks-auth", args: "-cluster-name=prod -role-arn arn:r", want: "--cluster-name prod --role-arn arn:r"},
		{name: "eks-auth region", command: "eks-auth", args: "--cluster-name prod --region us-east-1", refused: "--region", at: 2},
		{name: "eks-auth positional", command: "eks-auth", args: "prod", refused: "not options", at: -1},
		{name: "eks-auth nothing", command: "eks-auth", args: "", refused: "no cluster name", at: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := strings.Fields(tt.args)
			out, isEKS, err := nativeEKSArgs(tt.command, args)
			if isEKS == tt.notEKS {
				t.Fatalf("isEKS = %v, want %v", isEKS, !tt.notEKS)
			}
			if tt.notEKS {
				if out != nil || err != nil {
					t.Fatalf("not an EKS plugin, yet out %q err %v", out, err)
				}
				return
			}
			if tt.refused != "" {
				u, ok := err.(*unmappable)
				if !ok || !strings.Contains(u.why, tt.refused) || u.arg != tt.at || out != nil {
					t.Fatalf("got out %q err %#v, want a refusal saying %q at argument %d", out, err, tt.refused, tt.at)
				}
				return
			}
			want := append([]string{EKSCommand}, strings.Fields(tt.want)...)
			if err != nil || !reflect.DeepEqual(out, want) {
				t.Fatalf("got %q, %v; want %q", out, err, want)
			}
		})
	}
}

// TestNativeEKSArgsHideValues: a refusal names the option, never the value
// after it, since a kubeconfig's args may hold anything.
func TestNativeEKSArgsHideValues(t *testing.T) {
	for _, args := range [][]string{
		{"eks", "get-token", "--cluster-name", "p", "--endpoint-url=s3cr3t"},
		{"eks", "get-token", "--cluster-name", "p", "--output", "s3cr3t"},
		{"eks", "get-token", "--cluster-name", "p", "--query", "s3cr3t"},
		{"eks", "get-token", "--cluster-name", "-s3cr3t"},
	} {
		_, _, err := nativeEKSArgs("aws", args)
		if err == nil || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%q: error %v shows the value", args, err)
		}
	}
}

// FuzzNativeEKSArgs holds the mapper to its contract on any command line:
// it never panics; a mapping starts with kcc-eks, names exactly one cluster
// with a value taken verbatim from the input and has only flags kcc-eks
// knows, each once with a non-empty value; a refusal is one printable line
// pointing at an argument that exists. Pure: no I/O, thousands of runs a
// second. Run: go test ./pkg/injector -fuzz FuzzNativeEKSArgs
func FuzzNativeEKSArgs(f *testing.F) {
	f.Add("aws", "--region\x00us-east-1\x00eks\x00get-token\x00--cluster-name\x00prod\x00--output\x00json")
	f.Add("aws", "eks\x00get-token\x00--cluster-id=x\x00--role-arn\x00arn:aws:iam::1:role/r\x00--profile\x00p")
	f.Add("aws", "eks\x00get-token\x00--cluster-name\x00p\x00--endpoint-url\x00u")
	f.Add("aws-iam-authenticator", "token\x00-i\x00prod\x00-r\x00arn:r\x00--region\x00eu-west-1")
	f.Add("aws-iam-authenticator", "token\x00-iprod\x00--cache=true\x00--session-name=s")
	f.Add("eks-auth", "-cluster-name=prod\x00--role-arn\x00arn:r")
	known := map[string]bool{"--cluster-name": true, "--cluster-id": true, "--region": true, "--role-arn": true, "--session-name": true, "--external-id": true, "--profile": true}
	f.Fuzz(func(t *testing.T, command, joined string) {
		args := strings.Split(joined, "\x00")
		out, isEKS, err := nativeEKSArgs(command, args)
		if !checkMapping(t, args, out, isEKS, err, 200) {
			return
		}
		if len(out) < 3 || len(out)%2 != 1 || out[0] != EKSCommand {
			t.Fatalf("mapping %q has the wrong shape", out)
		}
		seen := map[string]bool{}
		clusters := 0
		for i := 1; i < len(out); i += 2 {
			flag, v := out[i], out[i+1]
			// A value may start with "-" (aws --cluster-name=-x): kcc-eks's
			// flags take the argument after a flag whatever it is.
			if !known[flag] || seen[flag] || v == "" || (commandBase(command) != "aws" && strings.HasPrefix(v, "-")) {
				t.Fatalf("mapping %q: bad flag %q or value", out, flag)
			}
			seen[flag] = true
			if flag == "--cluster-name" || flag == "--cluster-id" {
				clusters++
			}
			if !inArgs(args, v) {
				t.Fatalf("mapping %q: value %q is not in the input %q", out, v, args)
			}
		}
		if clusters != 1 {
			t.Fatalf("mapping %q names %d clusters", out, clusters)
		}
	})
}

// inArgs reports whether v is an argument, or the value part of one
// ("--x=v", "-xv", "-x=v").
func inArgs(args []string, v string) bool {
	for _, a := range args {
		if a == v || strings.HasSuffix(a, "="+v) || (len(a) > 2 && a[0] == '-' && a[1] != '-' && a[2:] == v) {
			return true
		}
	}
	return false
}

// checkMapping checks what a Native's mapArgs gave for args: nothing for a
// plugin it does not replace, or a refusal on one printable line (at most
// maxWhy bytes when maxWhy > 0) naming an argument in range. It reports
// whether out is a mapping, for the caller to check further.
func checkMapping(t *testing.T, args, out []string, mine bool, err error, maxWhy int) bool {
	t.Helper()
	if !mine {
		if out != nil || err != nil {
			t.Fatalf("not its plugin but out %q err %v", out, err)
		}
		return false
	}
	if err == nil {
		return true
	}
	u, ok := err.(*unmappable)
	if !ok || out != nil || u.arg < -1 || u.arg >= len(args) {
		t.Fatalf("bad refusal %#v (out %q) for %q", err, out, args)
	}
	if !utf8.ValidString(u.why) || strings.ContainsAny(u.why, "\r\n") || maxWhy > 0 && len(u.why) > maxWhy {
		t.Fatalf("refusal %q is not one short printable line", u.why)
	}
	return false
}
