package injector

import (
	"encoding/base64"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// awsValues are values each option of the table works with at run time
// (against moto_server), so that a real aws run fails only where the CLI
// rejects the command line.
func awsValues(endpoint, caBundle string) map[string]string {
	return map[string]string{
		"--cluster-name": "demo", "--cluster-id": "demo", "--role-arn": "arn:aws:iam::123456789012:role/admin",
		"--region": "us-west-2", "--profile": "demo", "--output": "json", "--color": "off",
		"--query": "status", "--endpoint-url": endpoint, "--ca-bundle": caBundle,
		"--cli-read-timeout": "5", "--cli-connect-timeout": "5",
	}
}

// awsCase is one command line for the real aws and for parseAWSCLI.
type awsCase struct {
	name string
	args []string
}

// awsPrefixCases derives command lines from the option table: for each
// option, the shortest abbreviation parseAWSCLI takes for it and the one a
// letter shorter (ambiguous, or another option's), "--opt value" and
// "--opt=value" in turn, each with a value the option it stands for works
// with. Two runs an option keep the real aws runs bounded (~0.7 s each).
func awsPrefixCases(tables awsTables, values map[string]string) []awsCase {
	var cases []awsCase
	alternate := false
	for _, table := range []awsParserTable{tables.Main, tables.GetToken} {
		for _, o := range table.Options {
			name := o.Option
			shortest := len(name)
			for n := len(name) - 1; n > len("--") && awsResolve(name[:n]) == name; n-- {
				shortest = n
			}
			for _, n := range []int{shortest - 1, shortest} {
				if n == len("--") {
					continue // "--" alone is no abbreviation
				}
				prefix := name[:n]
				var opt []string
				switch v, ok := values[awsResolve(prefix)]; {
				case !ok:
					opt = []string{prefix}
				case alternate:
					opt = []string{prefix + "=" + v}
				default:
					opt = []string{prefix, v}
				}
				alternate = !alternate
				args := append([]string{"eks", "get-token", "--cluster-name", "demo"}, opt...)
				if name == "--cluster-name" || name == "--cluster-id" {
					args = append([]string{"eks", "get-token"}, opt...)
				}
				cases = append(cases, awsCase{name + " as " + prefix, args})
			}
		}
	}
	return cases
}

// awsResolve is the option an argument alone stands for, read as the AWS
// CLI reads it: first by the main parser, then by get-token's; "" when
// ambiguous or unknown.
func awsResolve(arg string) string {
	for _, p := range []*pyParser{&awsMainParser, &awsGetTokenParser} {
		t, err := p.parseOptional(pyArg{s: arg})
		if err != nil || t == nil {
			return ""
		}
		if t.opt != nil {
			return t.opt.name
		}
	}
	return ""
}

// awsShapeCases are the argparse rules beyond abbreviations.
var awsShapeCases = []awsCase{
	{"update-kubeconfig --role-arn", strings.Fields("--region us-west-2 eks get-token --cluster-name demo --output json --role arn:aws:iam::123456789012:role/admin")},
	{"get-token option before the operation", strings.Fields("--cluster-name=demo eks get-token")},
	{"get-token option before the operation, no =", strings.Fields("--cluster-name demo eks get-token")},
	{"get-token option between", strings.Fields("eks --cluster-n=demo get-token --reg us-west-2")},
	{"last wins", strings.Fields("--region eu-west-1 eks get-token --cluster-name x --cluster-name demo --region=us-west-2")},
	{"negative number value", strings.Fields("eks get-token --cluster-name -1")},
	{"option-like value after =", strings.Fields("eks get-token --cluster-name=-x")},
	{"option-like value", strings.Fields("eks get-token --cluster-name -x")},
	{"value with a space", []string{"eks", "get-token", "--cluster-name", "-x y"}},
	{"name and id", strings.Fields("eks get-token --cluster-name demo --cluster-id demo")},
	{"extra argument", strings.Fields("eks get-token --cluster-name demo extra")},
	{"ambiguous after =", strings.Fields("eks get-token --cluster-name demo --no=1")},
	{"flag with a value", strings.Fields("eks get-token --cluster-name demo --debug=1")},
	{"output not a choice", strings.Fields("eks get-token --cluster-name demo --output yaml")},
}

// TestAWSCLIAgrees runs the real aws (v1) on command lines derived from its
// option table and holds parseAWSCLI to its verdict: the CLI fails on a
// line (argparse's exit 2, "Unknown options", ...) exactly when parseAWSCLI
// rejects it;
// and a line nativeEKSArgs maps makes the CLI print a token signed for the
// region of the mapping. aws runs offline against moto_server with static
// keys, four at a time.
func TestAWSCLIAgrees(t *testing.T) {
	aws := awsProgram(t)
	endpoint := motoserver.Start(t)
	data, err := os.ReadFile(awsTablePath)
	if err != nil {
		t.Fatal(err)
	}
	// The committed table must be the installed CLI's, or the cases below
	// test another CLI than the one parseAWSCLI mimics.
	if installed := readAWSTables(t, installedAWSTables(t)); !sameParsers(installed, readAWSTables(t, data)) {
		t.Fatalf("the installed aws (%s) parses otherwise than %s: regenerate it with -update-awscli and update awscli.go", installed.AWSCLI, awsTablePath)
	}

	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	if err := os.WriteFile(config, []byte("[profile demo]\naws_access_key_id = AKIAPROFILEDEMO\naws_secret_access_key = x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"HOME=" + dir, "PATH=" + os.Getenv("PATH"),
		"AWS_CONFIG_FILE=" + config, "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "none"),
		"AWS_ACCESS_KEY_ID=AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY=x", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_ENDPOINT_URL=" + endpoint, "AWS_EC2_METADATA_DISABLED=true",
	}
	cases := append(awsPrefixCases(readAWSTables(t, data), awsValues(endpoint, config)), awsShapeCases...)
	t.Logf("%d aws runs", len(cases))

	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	results := make([]testbin.Result, len(cases))
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cmd := exec.Command(aws, c.args...)
			cmd.Env = env
			results[i] = testbin.Run(t, cmd)
		}()
	}
	wg.Wait()

	for i, c := range cases {
		r := results[i]
		// Each value works at run time: aws fails only on a line it rejects.
		_, perr := parseAWSCLI(c.args)
		if (r.Code == 0) != (perr == nil) {
			t.Errorf("%s: aws %q: exit %d (%s), parseAWSCLI: %v", c.name, c.args, r.Code, firstLine(r.Stderr), perr)
			continue
		}
		out, _, err := nativeEKSArgs("aws", c.args)
		if err != nil {
			continue
		}
		want := "us-east-1"
		for i, a := range out {
			if a == "--region" {
				want = out[i+1]
			}
		}
		if got := tokenRegion(r.Stdout); r.Code != 0 || got != want {
			t.Errorf("%s: mapped to %q, but aws %q: exit %d (%s), token for region %q", c.name, out, c.args, r.Code, firstLine(r.Stderr), got)
		}
	}
}

// sameParsers compares what the tables say about parsing, not versions.
func sameParsers(a, b awsTables) bool {
	a.AWSCLI, a.Python, b.AWSCLI, b.Python = "", "", "", ""
	return reflect.DeepEqual(a, b)
}

// tokenRegion is the region in the credential scope of the presigned STS
// URL inside the ExecCredential's token, "" when there is none.
func tokenRegion(stdout string) string {
	const prefix = "k8s-aws-v1."
	i := strings.Index(stdout, prefix)
	if i < 0 {
		return ""
	}
	token, _, _ := strings.Cut(stdout[i+len(prefix):], `"`)
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return ""
	}
	u, err := url.Parse(string(raw))
	if err != nil {
		return ""
	}
	scope := strings.Split(u.Query().Get("X-Amz-Credential"), "/")
	if len(scope) != 5 {
		return ""
	}
	return scope[2]
}

func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "usage:") && !strings.HasPrefix(line, "Note:") {
			return line
		}
	}
	return ""
}
