package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/ekstoken"
)

// command is what kcc-eks's command line asks for.
type command struct {
	opts          ekstoken.Options
	help, version bool
}

// flag is one of kcc-eks's flags: its names (the first is the one the help
// shows, the others aliases), and either the string it sets or the boolean.
type flag struct {
	names   []string
	usage   string
	str     func(*parsed) *string
	boolean func(*parsed) *bool
}

// parsed is a command line being read: the command and what is only
// checked (--output).
type parsed struct {
	command
	output string
}

// flags are `aws eks get-token`'s (contract's names), plus eks-auth's
// --role for --role-arn, so that its command lines work unchanged.
var flags = []flag{
	{names: []string{contract.EKSClusterName}, usage: "name of the EKS cluster (signed as x-k8s-aws-id)",
		str: func(p *parsed) *string { return &p.opts.ClusterName }},
	{names: []string{contract.EKSClusterID}, usage: "id of an EKS local cluster on AWS Outposts, instead of --cluster-name",
		str: func(p *parsed) *string { return &p.opts.ClusterID }},
	{names: []string{contract.EKSRegion}, usage: "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region; none: the global STS endpoint)",
		str: func(p *parsed) *string { return &p.opts.Region }},
	{names: []string{contract.EKSProfile}, usage: "profile of ~/.aws/config (default: AWS_PROFILE)",
		str: func(p *parsed) *string { return &p.opts.Profile }},
	{names: []string{contract.EKSRoleARN, "role"}, usage: "assume this role to sign the token (also --role, as eks-auth)",
		str: func(p *parsed) *string { return &p.opts.RoleARN }},
	{names: []string{contract.EKSSessionName}, usage: "role session name for --role-arn (default " + ekstoken.DefaultSessionName + ")",
		str: func(p *parsed) *string { return &p.opts.SessionName }},
	{names: []string{contract.EKSExternalID}, usage: "external id for --role-arn",
		str: func(p *parsed) *string { return &p.opts.ExternalID }},
	{names: []string{contract.EKSOutput}, usage: "accepted for compatibility with aws eks get-token (which update-kubeconfig gives --output json); only json",
		str: func(p *parsed) *string { return &p.output }},
	{names: []string{"help", "h"}, usage: "show this help",
		boolean: func(p *parsed) *bool { return &p.help }},
	{names: []string{"version"}, usage: "show the version",
		boolean: func(p *parsed) *bool { return &p.version }},
}

func lookup(name string) (flag, bool) {
	for _, f := range flags {
		for _, n := range f.names {
			if n == name {
				return f, true
			}
		}
	}
	return flag{}, false
}

// parseArgs reads kcc-eks's command line with the syntax of Go's flag
// package, which eks-auth uses: -name or --name, a value as the next
// argument or after "=", the flags end at the first non-flag or "--". It
// is stricter in three ways: a flag given twice (also as --role and
// --role-arn), a value that looks like a flag ("--cluster-name --region"),
// and any argument left over are errors. Every error is a *cli.UsageError.
func parseArgs(args []string) (command, error) {
	c := parsed{output: "json"}
	seen := map[string]bool{} // by first name
	for len(args) > 0 {
		a := args[0]
		if len(a) < 2 || a[0] != '-' {
			break // "-" or a non-flag: the flags are over
		}
		args = args[1:]
		if a == "--" {
			break
		}
		spelled, value, hasValue := strings.Cut(a, "=")
		name := strings.TrimPrefix(spelled[1:], "-")
		if name == "" || name[0] == '-' {
			return command{}, cli.Usagef("bad flag syntax: %s", spelled)
		}
		f, ok := lookup(name)
		if !ok {
			return command{}, cli.Usagef("unknown flag: %s", spelled)
		}
		if seen[f.names[0]] {
			return command{}, cli.Usagef("--%s given twice", f.names[0])
		}
		seen[f.names[0]] = true
		if f.boolean != nil {
			v := true
			if hasValue {
				var err error
				if v, err = strconv.ParseBool(value); err != nil {
					return command{}, cli.Usagef("%s: want true or false, got %q", spelled, value)
				}
			}
			*f.boolean(&c) = v
			continue
		}
		if !hasValue {
			if len(args) == 0 || len(args[0]) > 1 && args[0][0] == '-' {
				return command{}, cli.Usagef("flag needs an argument: %s", spelled)
			}
			value, args = args[0], args[1:]
		}
		*f.str(&c) = value
	}
	if c.help || c.version {
		return command{help: c.help, version: c.version}, nil
	}
	if len(args) > 0 {
		return command{}, cli.Usagef("unexpected argument %q", args[0])
	}
	if c.output != "json" {
		return command{}, cli.Usagef("--output %q: only json is supported (kubectl reads JSON)", c.output)
	}
	if err := validate(c.opts, seen); err != nil {
		return command{}, err
	}
	return c.command, nil
}

// validate checks what the flags say together, and each value against what
// STS would take, so that a typo is a usage error rather than a round trip.
func validate(o ekstoken.Options, given map[string]bool) error {
	switch {
	case o.ClusterName == "" && o.ClusterID == "":
		return cli.Usagef("either --cluster-name or --cluster-id is required")
	case o.ClusterName != "" && o.ClusterID != "":
		return cli.Usagef("--cluster-name and --cluster-id cannot be used together")
	case strings.ContainsAny(o.ClusterIdentifier(), "\r\n"):
		return cli.Usagef("the cluster name or id contains a line break")
	case o.RoleARN == "" && (given[contract.EKSSessionName] || given[contract.EKSExternalID]):
		return cli.Usagef("--session-name and --external-id need --role-arn")
	case o.RoleARN != "" && !strings.HasPrefix(o.RoleARN, "arn:"):
		return cli.Usagef("--role-arn %q is not an ARN", o.RoleARN)
	case given[contract.EKSSessionName] && !validName(o.SessionName, 2, 64, ""):
		return cli.Usagef("--session-name must be 2-64 characters of letters, digits and +=,.@_-")
	case o.ExternalID != "" && !validName(o.ExternalID, 2, 1224, ":/"):
		return cli.Usagef("--external-id must be 2-1224 characters of letters, digits and +=,.@:/_-")
	}
	return nil
}

// validName checks s against STS's pattern for AssumeRole's parameters:
// [\w+=,.@-] (plus extra), min to max characters. No regexp, whose package
// init would cost every run.
func validName(s string, min, max int, extra string) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, c := range s {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("_+=,.@-"+extra, c)
		if !ok {
			return false
		}
	}
	return true
}

// printFlags writes the flags' help, one per line, names then usage in a
// column.
func printFlags(w io.Writer) {
	names := make([]string, len(flags))
	width := 0
	for i, f := range flags {
		names[i] = "--" + f.names[0]
		if f.names[0] == "help" {
			names[i] = "-h, --help"
		}
		if f.str != nil {
			names[i] += " string"
		}
		width = max(width, len(names[i]))
	}
	for i, f := range flags {
		fmt.Fprintf(w, "  %-*s   %s\n", width, names[i], f.usage)
	}
}
