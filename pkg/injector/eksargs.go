package injector

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// EKSCommand is the program --native-eks puts first in args: kcc-cache runs
// it (from PATH) instead of the EKS token plugin the user had.
const EKSCommand = contract.EKSCommand

// NativeEKS replaces the EKS token plugins with kcc-eks.
var NativeEKS = Native{
	Command: EKSCommand,
	replaces: func(base string) bool {
		_, ok := eksTools[base]
		return ok
	},
	mapArgs: nativeEKSArgs,
}

// eksToken is what a token plugin's command line says about the token: the
// identity (profile, role and its session parameters) and the cluster.
// Everything else a plugin may be told is either dropped because it cannot
// change the token (--output json) or makes the plugin unmappable.
type eksToken struct {
	clusterName, clusterID, region, roleARN, sessionName, externalID, profile string
}

// args is the kcc-eks command line that makes the same token.
func (t eksToken) args() []string {
	return contract.Argv(contract.EKS{
		ClusterName: t.clusterName,
		ClusterID:   t.clusterID,
		Region:      t.region,
		Profile:     t.profile,
		RoleARN:     t.roleARN,
		SessionName: t.sessionName,
		ExternalID:  t.externalID,
	})
}

// unmappable says why a token plugin's command line cannot be rewritten for
// kcc-eks without changing what it does. arg is the index in args of the
// argument at fault, -1 when none is.
type unmappable struct {
	arg int
	why string
}

func (e *unmappable) Error() string { return e.why }

// refuse keeps every string it quotes from the kubeconfig short and on one
// line (printable), so the warning stays one line whatever the file holds.
func refuse(arg int, format string, a ...interface{}) *unmappable {
	for i, v := range a {
		if s, ok := v.(string); ok {
			a[i] = printable(s)
		}
	}
	return &unmappable{arg: arg, why: fmt.Sprintf(format, a...)}
}

// nativeEKSArgs maps an EKS token plugin's command line to kcc-eks's. isEKS
// is false for any other plugin; for an EKS plugin whose arguments cannot be
// carried over faithfully, err says which and why. It is pure, so it can be
// fuzzed, and never puts an argument's value in an error (a value could be
// anything a user typed).
func nativeEKSArgs(command string, args []string) (out []string, isEKS bool, err error) {
	parse, ok := eksTools[commandBase(command)]
	if !ok || (parse == nil && !awsGetToken(args)) {
		return nil, false, nil
	}
	var t eksToken
	var u *unmappable
	if parse == nil {
		t, u = parseAWS(args)
	} else {
		t, u = parseFlags(args, *parse)
	}
	if u == nil && t.clusterName == "" && t.clusterID == "" {
		u = refuse(-1, "no cluster name")
	}
	if u != nil {
		return nil, true, u
	}
	return t.args(), true, nil
}

// eksTools are the programs whose plugins make EKS tokens, with their flags;
// aws (nil) makes them only with "eks get-token".
var eksTools = map[string]*flagSet{
	"aws":                   nil,
	"aws-iam-authenticator": &iamAuthenticatorFlags,
	"eks-auth":              &eksAuthFlags,
}

// commandBase is the program name of a command, as IsCacheCommand sees it.
func commandBase(command string) string {
	base := command[strings.LastIndexAny(command, `/\`)+1:]
	return strings.TrimSuffix(strings.ToLower(base), ".exe")
}

// awsGetToken reports an AWS CLI command line that runs "eks get-token"; any
// other aws command is no EKS token plugin and is left to plain injection.
func awsGetToken(args []string) bool {
	for i, a := range args {
		if a == "eks" {
			for _, b := range args[i+1:] {
				if b == "get-token" {
					return true
				}
			}
		}
	}
	return false
}

// option describes one flag a plugin takes: the eksToken field it sets (nil
// for one dropped because it cannot change the token) and whether it takes a
// value. A value-taking flag dropped is accepted only with the values in
// keep.
type option struct {
	field func(*eksToken) *string
	value bool
	keep  []string // for a dropped flag with a value: the values allowed
}

var (
	clusterName = func(t *eksToken) *string { return &t.clusterName }
	clusterID   = func(t *eksToken) *string { return &t.clusterID }
	region      = func(t *eksToken) *string { return &t.region }
	roleARN     = func(t *eksToken) *string { return &t.roleARN }
	sessionName = func(t *eksToken) *string { return &t.sessionName }
	externalID  = func(t *eksToken) *string { return &t.externalID }
	profile     = func(t *eksToken) *string { return &t.profile }
)

// setOption stores the value of an option that takes one, checking it is a
// value the plugin would have taken the same way.
func setOption(t *eksToken, opt option, name, val string, at int) *unmappable {
	// Both parsers refuse a value that looks like an option; an empty one
	// is no value to kcc-eks.
	if val == "" || strings.HasPrefix(val, "-") {
		return refuse(at, "option --%s has an empty or option-like value", name)
	}
	if opt.field == nil {
		if opt.keep != nil && !contains(opt.keep, val) {
			return refuse(at, "option --%s with a value kcc-eks does not reproduce", name)
		}
		return nil
	}
	*opt.field(t) = val
	if t.clusterName != "" && t.clusterID != "" {
		return refuse(at, "option --%s: both a cluster name and a cluster id", name)
	}
	return nil
}

// flagSet is a Go command's flags: long names (and pflag shorthands) to
// options, and the one positional argument it needs ("" for none).
type flagSet struct {
	tool  string
	want  string // the one positional argument expected, "" for none
	long  map[string]option
	short map[byte]string // shorthand -> long name (pflag)
	// goFlag: the standard flag package, which also takes -name.
	goFlag bool
}

// iamAuthenticatorFlags are "aws-iam-authenticator token"'s flags
// (spf13/pflag): -i/--cluster-id names the cluster the token is for, the
// same x-k8s-aws-id header kcc-eks's --cluster-name sets.
var iamAuthenticatorFlags = flagSet{
	tool: "aws-iam-authenticator",
	want: "token",
	long: map[string]option{
		"cluster-id":   {field: clusterName, value: true},
		"role":         {field: roleARN, value: true},
		"region":       {field: region, value: true},
		"session-name": {field: sessionName, value: true},
		"external-id":  {field: externalID, value: true},
		// It caches AWS credentials on disk; kcc-cache caches the token.
		"cache": {},
	},
	short: map[byte]string{'i': "cluster-id", 'r': "role"},
}

// eksAuthFlags are eks-auth's: a cluster and a role, nothing else.
var eksAuthFlags = flagSet{
	tool: "eks-auth",
	long: map[string]option{
		"cluster-name": {field: clusterName, value: true},
		"role-arn":     {field: roleARN, value: true},
	},
	goFlag: true,
}

// parseFlags reads a Go tool's command line: "--name value", "--name=value",
// pflag's "-x value", "-x=value" and "-xvalue", or the flag package's
// "-name value".
func parseFlags(args []string, fs flagSet) (eksToken, *unmappable) {
	var t eksToken
	var positional []string
	seen := map[string]bool{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		name, val, hasVal, ok := fs.lookup(a)
		if !ok {
			return t, refuse(i, "%s argument %s has no kcc-eks equivalent", fs.tool, quoteArg(a))
		}
		opt := fs.long[name]
		if seen[name] {
			return t, refuse(i, "%s option --%s given twice", fs.tool, name)
		}
		seen[name] = true
		if !opt.value {
			// A boolean given a value: only "true" means what it says.
			if hasVal && val != "true" {
				return t, refuse(i, "%s option --%s with a value other than true", fs.tool, name)
			}
			continue
		}
		at := i
		if !hasVal {
			if i+1 == len(args) {
				return t, refuse(i, "%s option --%s has no value", fs.tool, name)
			}
			i++
			val = args[i]
		}
		if u := setOption(&t, opt, name, val, at); u != nil {
			u.why = fs.tool + " " + u.why
			return t, u
		}
	}
	switch {
	case fs.want == "" && len(positional) > 0:
		return t, refuse(-1, "%s arguments that are not options", fs.tool)
	case fs.want != "" && (len(positional) != 1 || positional[0] != fs.want):
		return t, refuse(-1, "%s arguments other than %q and options", fs.tool, fs.want)
	}
	return t, nil
}

// lookup splits one flag argument into its long name and inline value.
func (fs flagSet) lookup(a string) (name, val string, hasVal, ok bool) {
	if a == "--" {
		return "", "", false, false
	}
	if strings.HasPrefix(a, "--") || fs.goFlag {
		name, val, hasVal = strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		_, ok = fs.long[name]
		return name, val, hasVal, ok
	}
	// pflag shorthand: -x, -x=value, -xvalue.
	name, ok = fs.short[a[1]]
	if !ok {
		return "", "", false, false
	}
	rest := a[2:]
	switch {
	case rest == "":
		return name, "", false, true
	case !fs.long[name].value:
		return "", "", false, false // -xy: combined booleans, none we know
	case rest[0] == '=':
		return name, rest[1:], true, true
	}
	return name, rest, true, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// quoteArg shows an argument that is not a known option: up to its "=",
// since what follows may be a value.
func quoteArg(a string) string {
	name, _, _ := strings.Cut(a, "=")
	return name
}

// printable keeps a warning short and on one line whatever the kubeconfig
// holds.
func printable(s string) string {
	const max = 60 // bytes of the escaped form, which is ASCII
	q := strconv.QuoteToASCII(s)
	if q = q[1 : len(q)-1]; len(q) > max {
		q = q[:max] + "..."
	}
	return q
}
