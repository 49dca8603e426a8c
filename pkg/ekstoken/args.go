package ekstoken

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// DefaultSessionName is the role session name `aws eks get-token --role-arn`
// uses.
const DefaultSessionName = "EKSGetTokenAuth"

// Options are kcc-eks's flags: `aws eks get-token`'s, plus the session name
// and external id its users ask for.
type Options struct {
	ClusterName string
	// ClusterID replaces ClusterName for EKS local clusters on Outposts.
	ClusterID   string
	Region      string
	Profile     string
	RoleARN     string
	SessionName string
	ExternalID  string

	Help, Version bool
}

// ClusterIdentifier is the value of the signed x-k8s-aws-id header.
func (o Options) ClusterIdentifier() string {
	if o.ClusterID != "" {
		return o.ClusterID
	}
	return o.ClusterName
}

// UsageError is a bad command line (exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// validName checks s against STS's pattern for AssumeRole's parameters:
// [\w+=,.@-] (plus extra), min to max characters. Checked here so that a
// typo is a usage error rather than a round trip; no regexp, whose package
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

// flagSet declares the flags into o.
func flagSet(o *Options) *pflag.FlagSet {
	fs := pflag.NewFlagSet("kcc-eks", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVar(&o.ClusterName, "cluster-name", "", "name of the EKS cluster (signed as x-k8s-aws-id)")
	fs.StringVar(&o.ClusterID, "cluster-id", "", "id of an EKS local cluster on AWS Outposts, instead of --cluster-name")
	fs.StringVar(&o.Region, "region", "", "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region; none: the global STS endpoint)")
	fs.StringVar(&o.Profile, "profile", "", "profile of ~/.aws/config (default: AWS_PROFILE)")
	fs.StringVar(&o.RoleARN, "role-arn", "", "assume this role to sign the token")
	fs.StringVar(&o.SessionName, "session-name", DefaultSessionName, "role session name for --role-arn")
	fs.StringVar(&o.ExternalID, "external-id", "", "external id for --role-arn")
	fs.String("output", "json", "accepted for compatibility with aws eks get-token (which update-kubeconfig gives --output json); only json")
	fs.BoolVarP(&o.Help, "help", "h", false, "show this help")
	fs.BoolVar(&o.Version, "version", false, "show the version")
	return fs
}

// ParseArgs parses kcc-eks's command line (GNU style: --flag value or
// --flag=value). Errors are *UsageError.
func ParseArgs(args []string) (Options, error) {
	var o Options
	fs := flagSet(&o)
	if err := fs.Parse(args); err != nil {
		return Options{}, &UsageError{Err: err}
	}
	if o.Help || o.Version {
		return o, nil
	}
	if fs.NArg() > 0 {
		return Options{}, usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	if out, _ := fs.GetString("output"); out != "json" {
		return Options{}, usageErrorf("--output %q: only json is supported (kubectl reads JSON)", out)
	}
	return o, o.validate(fs)
}

func (o Options) validate(fs *pflag.FlagSet) error {
	switch {
	case o.ClusterName == "" && o.ClusterID == "":
		return usageErrorf("either --cluster-name or --cluster-id is required")
	case o.ClusterName != "" && o.ClusterID != "":
		return usageErrorf("--cluster-name and --cluster-id cannot be used together")
	case strings.ContainsAny(o.ClusterIdentifier(), "\r\n"):
		return usageErrorf("the cluster name or id contains a line break")
	case o.RoleARN == "" && (fs.Changed("session-name") || fs.Changed("external-id")):
		return usageErrorf("--session-name and --external-id need --role-arn")
	case o.RoleARN != "" && !strings.HasPrefix(o.RoleARN, "arn:"):
		return usageErrorf("--role-arn %q is not an ARN", o.RoleARN)
	case !validName(o.SessionName, 2, 64, ""):
		return usageErrorf("--session-name must be 2-64 characters of letters, digits and +=,.@_-")
	case o.ExternalID != "" && !validName(o.ExternalID, 2, 1224, ":/"):
		return usageErrorf("--external-id must be 2-1224 characters of letters, digits and +=,.@:/_-")
	}
	return nil
}

// Usage writes the flags' help.
func Usage(w io.Writer) {
	var o Options
	fs := flagSet(&o)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// IsUsage reports whether err is a command-line error.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}
