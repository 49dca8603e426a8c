package injector

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

var updateAWSCLI = flag.Bool("update-awscli", false, "regenerate testdata/awscli/options.json from the installed aws")

const awsTablePath = "testdata/awscli/options.json"

// awsTables is testdata/awscli/options.json: the parsers of the installed
// AWS CLI, as testdata/awscli/options.py prints them.
type awsTables struct {
	AWSCLI   string         `json:"awscli"`
	Python   string         `json:"python"`
	Main     awsParserTable `json:"main"`
	EKS      awsParserTable `json:"eks"`
	GetToken awsParserTable `json:"get-token"`
}

type awsParserTable struct {
	AllowAbbrev         bool    `json:"allow_abbrev"`
	PrefixChars         string  `json:"prefix_chars"`
	FromfilePrefixChars *string `json:"fromfile_prefix_chars"`
	Options             []struct {
		Option  string   `json:"option"`
		Action  string   `json:"action"`
		Nargs   *int     `json:"nargs"`
		Choices []string `json:"choices"`
	} `json:"options"`
	Positionals []struct {
		Dest  string `json:"dest"`
		Nargs *int   `json:"nargs"`
	} `json:"positionals"`
}

// parser is the pyParser the table describes; ok is false when the table
// holds anything pyParser does not implement.
func (p awsParserTable) parser() (pyParser, bool) {
	var out pyParser
	if !p.AllowAbbrev || p.PrefixChars != "-" || p.FromfilePrefixChars != nil {
		return out, false
	}
	for _, o := range p.Options {
		value := o.Nargs == nil && o.Action == "_StoreAction"
		flag := o.Nargs != nil && *o.Nargs == 0 && strings.Contains("_StoreTrueAction _StoreFalseAction _VersionAction", o.Action)
		if !value && !flag || !strings.HasPrefix(o.Option, "--") {
			return out, false
		}
		out.options = append(out.options, pyOption{name: o.Option, value: value, choices: o.Choices})
	}
	for _, p := range p.Positionals {
		if p.Nargs != nil {
			return out, false
		}
		out.positionals = append(out.positionals, p.Dest)
	}
	return out, true
}

func readAWSTables(t *testing.T, data []byte) awsTables {
	t.Helper()
	var tables awsTables
	if err := json.Unmarshal(data, &tables); err != nil {
		t.Fatalf("%s: %v", awsTablePath, err)
	}
	return tables
}

// TestAWSOptionTables: the parsers parseAWSCLI reads with are the installed
// AWS CLI's, option for option (regenerate the table with -update-awscli).
func TestAWSOptionTables(t *testing.T) {
	if *updateAWSCLI {
		if err := os.WriteFile(awsTablePath, installedAWSTables(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(awsTablePath)
	if err != nil {
		t.Fatal(err)
	}
	tables := readAWSTables(t, data)
	for _, tt := range []struct {
		name  string
		table awsParserTable
		ours  pyParser
	}{
		{"main", tables.Main, awsMainParser},
		{"eks", tables.EKS, awsServiceParser},
		{"get-token", tables.GetToken, awsGetTokenParser},
	} {
		got, ok := tt.table.parser()
		if !ok || !reflect.DeepEqual(got, tt.ours) {
			t.Errorf("aws %s parser (CLI %s, Python %s):\n%+v\nin Go:\n%+v", tt.name, tables.AWSCLI, tables.Python, got, tt.ours)
		}
	}
}

// installedAWSTables runs testdata/awscli/options.py with the Python of the
// aws on PATH, away from the user's AWS settings and aliases.
func installedAWSTables(t *testing.T) []byte {
	t.Helper()
	python := awsPython(t)
	abs, err := filepath.Abs("testdata/awscli/options.py")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python[0], append(python[1:], abs)...)
	home := t.TempDir()
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_CONFIG_FILE=" + filepath.Join(home, "none"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none")}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, stderr.String())
	}
	return out
}

// awsProgram is the aws script on PATH: past a pyenv shim, a shell script
// that costs each run a third of a second, the one pyenv names.
func awsProgram(t *testing.T) string {
	t.Helper()
	aws := testbin.Require(t, "aws")
	if out, err := exec.Command("pyenv", "which", "aws").Output(); err == nil {
		aws = strings.TrimSpace(string(out))
	}
	return aws
}

// awsPython is the command line of the Python interpreter aws runs with,
// from its "#!" line.
func awsPython(t *testing.T) []string {
	t.Helper()
	aws := awsProgram(t)
	script, err := os.ReadFile(aws)
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := bytes.Cut(script, []byte("\n"))
	python := strings.Fields(strings.TrimPrefix(string(line), "#!"))
	if !bytes.HasPrefix(line, []byte("#!")) || len(python) == 0 {
		t.Fatalf("%s does not start with #!python", aws)
	}
	return python
}
