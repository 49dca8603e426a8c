package injector

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"os"
	"os/exec"
	"reflect"
	"testing"
)

// oracleParser has what the AWS CLI's parsers have, and an option that is
// a prefix of another, which they do not (yet).
var oracleParser = pyParser{
	options: []pyOption{
		{name: "--foo", value: true},
		{name: "--foobar", value: true},
		{name: "--flag"},
		{name: "--color", value: true, choices: []string{"on", "off"}},
	},
	positionals: []string{"cmd"},
}

// oracleLines are the argparse rules by example: exact names win over
// abbreviations, "=" values, the last value kept, negative numbers and
// arguments with a space as values, "--", unknown options passed on.
var oracleLines = [][]string{
	{"cmd", "--foo", "x"},
	{"--fo", "x", "cmd"},
	{"--foob=x", "cmd"},
	{"--foo=x=y", "cmd", "--foo", "z"},
	{"--zzz", "v", "cmd"},
	{"--zzz=v", "cmd", "-x", "--fla"},
	{"cmd", "--foo", "-1"},
	{"cmd", "--foo", "-x"},
	{"cmd", "--foo", "-x y"},
	{"cmd", "--", "--foo"},
	{"--", "cmd"},
	{"cmd", "--flag=1"},
	{"cmd", "--col", "bad"},
	{"--foo", "x"},
	{"", "--f=1"},
	{"-", "--=x"},
}

// TestPyParserMatchesArgparse holds pyParser to Python's own argparse, run
// on the Python aws runs with: the hand-picked lines above, then random
// lines of arguments that exercise each rule, on the parser above and on
// the AWS CLI's main and get-token parsers.
func TestPyParserMatchesArgparse(t *testing.T) {
	python := awsPython(t)
	words := []string{"--foo", "--fo", "--foobar=x", "--f", "--flag", "--flag=1", "--color", "--c=on", "on", "bad",
		"--region", "--reg=-x", "--r", "--cluster-n", "--clu", "--no", "--no-p", "--output", "json", "--profile=",
		"--role", "--cluster-name=x", "--v", "--ve", "--q",
		"cmd", "eks", "x", "", "-", "--", "-x", "-1", "-2.5", "a b", "-x y", "--zzz", "--zzz=v", "--=x", "-1\n", "help"}
	rng := rand.New(rand.NewSource(1))
	random := func(n int) [][]string {
		var lines [][]string
		for i := 0; i < n; i++ {
			line := []string{}
			for j := rng.Intn(7); j > 0; j-- {
				line = append(line, words[rng.Intn(len(words))])
			}
			lines = append(lines, line)
		}
		return lines
	}
	for _, tt := range []struct {
		name   string
		parser pyParser
		lines  [][]string
	}{
		{"oracle", oracleParser, append(oracleLines, random(400)...)},
		{"aws main", awsMainParser, random(400)},
		{"aws get-token", awsGetTokenParser, random(400)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := argparseOracle(t, python, tt.parser, tt.lines)
			for i, line := range tt.lines {
				in := make([]pyArg, len(line))
				for j, a := range line {
					in[j] = pyArg{s: a, at: j}
				}
				ns, extras, err := tt.parser.parseKnown(in)
				got := oracleResult{Error: err != nil, Extras: []string{}}
				if err == nil {
					got.Values = map[string]string{}
					for k, v := range ns {
						got.Values[k] = v.v
					}
					for _, a := range extras {
						got.Extras = append(got.Extras, a.s)
					}
				}
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%q: pyParser %+v (%v), argparse %+v", line, got, err, want[i])
				}
			}
		})
	}
}

type oracleResult struct {
	Error  bool              `json:"error"`
	Values map[string]string `json:"values"`
	Extras []string          `json:"extras"`
}

// argparseOracle parses lines with testdata/awscli/argparse_oracle.py.
func argparseOracle(t *testing.T, python []string, p pyParser, lines [][]string) []oracleResult {
	t.Helper()
	type option struct {
		Option  string   `json:"option"`
		Value   bool     `json:"value"`
		Choices []string `json:"choices"`
	}
	spec := struct {
		Options     []option   `json:"options"`
		Positionals []string   `json:"positionals"`
		Lines       [][]string `json:"lines"`
	}{Positionals: p.positionals, Lines: lines}
	if spec.Positionals == nil {
		spec.Positionals = []string{}
	}
	for _, o := range p.options {
		spec.Options = append(spec.Options, option{o.name, o.value, o.choices})
	}
	in, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python[0], append(python[1:], "testdata/awscli/argparse_oracle.py")...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("argparse oracle: %v\n%s", err, stderr.String())
	}
	var results []oracleResult
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(lines) {
		t.Fatalf("argparse oracle: %d results for %d lines (%v)", len(results), len(lines), err)
	}
	for i := range results {
		if results[i].Extras == nil {
			results[i].Extras = []string{}
		}
	}
	return results
}
