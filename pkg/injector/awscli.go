package injector

import (
	"fmt"
	"sort"
	"strings"
)

// The AWS CLI (v1, awscli/clidriver.py) reads "aws eks get-token" with
// three argparse parsers in turn, each getting what the one before left
// over (parse_known_args): the main parser takes the global options
// wherever they are and the command, the service parser the operation, and
// the operation's parser its own options; anything left then is an error.
// So a global option may come anywhere, an operation's option written
// "--opt=value" even before the operation, and each parser expands
// abbreviations of its own options: "--r" is --region (the main parser
// sees it first) while "--role" is --role-arn. testdata/awscli holds these
// tables as the installed CLI builds them; TestAWSOptionTables compares.
var (
	awsMainParser = pyParser{
		options: []pyOption{
			{name: "--debug"},
			{name: "--endpoint-url", value: true},
			{name: "--no-verify-ssl"},
			{name: "--no-paginate"},
			{name: "--output", value: true, choices: []string{"json", "text", "table"}},
			{name: "--query", value: true},
			{name: "--profile", value: true},
			{name: "--region", value: true},
			{name: "--color", value: true, choices: []string{"on", "off", "auto"}},
			{name: "--no-sign-request"},
			{name: "--ca-bundle", value: true},
			{name: "--cli-read-timeout", value: true},
			{name: "--cli-connect-timeout", value: true},
			{name: "--v2-debug"},
			{name: "--version"},
		},
		positionals: []string{"command"},
	}
	awsServiceParser  = pyParser{positionals: []string{"operation"}}
	awsGetTokenParser = pyParser{options: []pyOption{
		{name: "--cluster-name", value: true},
		{name: "--role-arn", value: true},
		{name: "--cluster-id", value: true},
	}}
)

// awsCall is what the AWS CLI parsed from an "aws eks get-token" command
// line: the global options and get-token's, by option name.
type awsCall struct {
	globals, options map[string]pyValue
}

// parseAWSCLI reads args as the AWS CLI does, up to the point where it
// would start making the token; err is a command line it rejects, or one
// that runs something other than "eks get-token".
func parseAWSCLI(args []string) (awsCall, *pyError) {
	in := make([]pyArg, len(args))
	for i, a := range args {
		in[i] = pyArg{s: a, at: i}
	}
	globals, rest, err := awsMainParser.parseKnown(in)
	if err != nil {
		return awsCall{}, err
	}
	if c := globals["command"]; c.v != "eks" {
		return awsCall{}, &pyError{at: c.at, why: "aws command other than eks"}
	}
	service, rest, err := awsServiceParser.parseKnown(rest)
	if err != nil {
		return awsCall{}, err
	}
	if op := service["operation"]; op.v != "get-token" {
		return awsCall{}, &pyError{at: op.at, why: "aws eks operation other than get-token"}
	}
	// ArgTableArgParser: "help" alone asks for the help page.
	if len(rest) == 1 && rest[0].s == "help" {
		return awsCall{}, &pyError{at: rest[0].at, why: "aws eks get-token help"}
	}
	options, rest, err := awsGetTokenParser.parseKnown(rest)
	if err != nil {
		return awsCall{}, err
	}
	// BasicCommand: what no parser took is an error, positionals too.
	if len(rest) > 0 {
		if strings.HasPrefix(rest[0].s, "-") {
			return awsCall{}, &pyError{at: rest[0].at, why: fmt.Sprintf("aws rejects the unknown option %s", printable(quoteArg(rest[0].s)))}
		}
		return awsCall{}, &pyError{at: rest[0].at, why: "aws arguments other than \"eks get-token\" and options"}
	}
	// get_token.py: validate_mutually_exclusive (any value, even empty).
	if _, name := options["--cluster-name"]; name {
		if id, ok := options["--cluster-id"]; ok {
			return awsCall{}, &pyError{at: id.at, why: "aws options --cluster-name and --cluster-id together"}
		}
	}
	return awsCall{globals: globals, options: options}, nil
}

// parseAWS maps "aws [options] eks get-token [options]" to kcc-eks's
// options: the CLI's own reading of the line (parseAWSCLI), then the
// options kcc-eks honours, each with the value the CLI would use (the last
// one given). Any other option, --endpoint-url, --query, --debug,
// --no-sign-request, --ca-bundle and --no-verify-ssl among them, makes the
// plugin unmappable; so does a line the CLI would reject.
func parseAWS(args []string) (eksToken, *unmappable) {
	var t eksToken
	for i, a := range args {
		// "--" is read differently by argparse from one Python release
		// to another; no generated plugin has it.
		if a == "--" {
			return t, refuse(i, "aws argument -- is not one kcc-eks can take")
		}
	}
	call, err := parseAWSCLI(args)
	if err != nil {
		return t, &unmappable{arg: err.at, why: err.why} // quotes nothing but option names
	}
	type given struct {
		name string
		pyValue
	}
	var all []given
	for _, opts := range []map[string]pyValue{call.globals, call.options} {
		for name, v := range opts {
			if name != "command" {
				all = append(all, given{name, v})
			}
		}
	}
	// The first option kcc-eks cannot take is the one the warning names.
	sort.Slice(all, func(i, j int) bool { return all[i].at < all[j].at })
	for _, g := range all {
		if u := awsOption(&t, g.name, g.pyValue); u != nil {
			return eksToken{}, u
		}
	}
	return t, nil
}

// awsFields are the aws options kcc-eks takes, by the eksToken field each
// sets.
var awsFields = map[string]func(*eksToken) *string{
	"--cluster-name": clusterName, "--cluster-id": clusterID, "--role-arn": roleARN,
	"--region": region, "--profile": profile,
}

// awsOption checks one option the CLI took and stores its value in t's
// field for it, if kcc-eks has one.
func awsOption(t *eksToken, name string, v pyValue) *unmappable {
	field, mapped := awsFields[name]
	switch {
	case mapped && v.v == "":
		// The CLI ignores an empty --profile and rejects an empty
		// region, role or cluster; kcc-eks takes none.
		return refuse(v.at, "aws option %s with an empty value", name)
	case mapped:
		*field(t) = v.v
	// aws eks update-kubeconfig writes --output json; kcc-eks prints JSON.
	case name == "--output":
		if v.v != "json" {
			return refuse(v.at, "aws option --output with a value kcc-eks does not reproduce")
		}
	// They change how output looks or how long the CLI waits, never the
	// token; the CLI rejects a timeout that is not a whole number.
	case name == "--no-paginate", name == "--color":
	case name == "--cli-read-timeout", name == "--cli-connect-timeout":
		if v.v == "" || strings.Trim(v.v, "0123456789") != "" {
			return refuse(v.at, "aws option %s with a value that is not a number of seconds", name)
		}
	default:
		return refuse(v.at, "aws option %s has no kcc-eks equivalent", name)
	}
	return nil
}
