package settings

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

type flags struct {
	fs      *pflag.FlagSet
	profile *string
	region  *[]string
	limit   *int
	noCheck *bool
	timeout *time.Duration
}

func newFlags() flags {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	return flags{
		fs:      fs,
		profile: fs.String("profile", "builtin", ""),
		region:  fs.StringSlice("region", nil, ""),
		limit:   fs.Int("history-limit", 100, ""),
		noCheck: fs.Bool("no-version-check", false, ""),
		timeout: fs.Duration("request-timeout", 0, ""),
	}
}

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestApplyPrecedence(t *testing.T) {
	file := New()
	file.Set("profile", "from-file")
	file.Set("region", "f1", "f2")
	file.Set("history-limit", "7")
	file.Set("no-version-check", "true")
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		profile string
		source  Source
	}{
		{"built-in", nil, nil, "builtin", FromDefault},
		{"file", nil, nil, "from-file", FromConfig},
		{"env over file", nil, map[string]string{"KCC_CONNECT_PROFILE": "from-env"}, "from-env", FromEnv},
		{"empty env is unset", nil, map[string]string{"KCC_CONNECT_PROFILE": ""}, "from-file", FromConfig},
		{"flag over env", []string{"--profile", "from-flag"}, map[string]string{"KCC_CONNECT_PROFILE": "from-env"}, "from-flag", FromFlag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlags()
			if err := f.fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			s := file
			if tt.name == "built-in" {
				s = New()
			}
			src, err := Apply(f.fs, s, "KCC_CONNECT_", env(tt.env), nil)
			if err != nil {
				t.Fatal(err)
			}
			if *f.profile != tt.profile || src["profile"] != tt.source {
				t.Fatalf("profile %q from %s, want %q from %s", *f.profile, src["profile"], tt.profile, tt.source)
			}
			if f.fs.Changed("profile") != (tt.source == FromFlag) {
				t.Fatal("a default from env or file marked the flag as changed")
			}
		})
	}
}

func TestApplyTypes(t *testing.T) {
	f := newFlags()
	file := New()
	file.Set("region", "f1", "f2")
	file.Set("history-limit", "7")
	file.Set("no-version-check", "true")
	e := env(map[string]string{"KCC_CONNECT_REQUEST_TIMEOUT": "3s", "KCC_CONNECT_HISTORY_LIMIT": "9"})
	if _, err := Apply(f.fs, file, "KCC_CONNECT_", e, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Join(*f.region, ",") != "f1,f2" || *f.limit != 9 || !*f.noCheck || *f.timeout != 3*time.Second {
		t.Fatalf("region %v limit %d noCheck %v timeout %v", *f.region, *f.limit, *f.noCheck, *f.timeout)
	}
	// A region list on the command line replaces the file's, not appends.
	f = newFlags()
	f.fs.Parse([]string{"--region", "c1"})
	Apply(f.fs, file, "KCC_CONNECT_", env(nil), nil)
	if strings.Join(*f.region, ",") != "c1" {
		t.Fatalf("region %v, want only the flag's", *f.region)
	}
}

func TestApplyErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		file map[string][]string
		want string
	}{
		{"bad env", map[string]string{"KCC_CONNECT_HISTORY_LIMIT": "many"}, nil, `$KCC_CONNECT_HISTORY_LIMIT: invalid value "many" for --history-limit`},
		{"bad file value", nil, map[string][]string{"no-version-check": {"sure"}}, `config no-version-check: invalid value "sure"`},
		{"list for a single flag", nil, map[string][]string{"profile": {"a", "b"}}, "takes one value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			for k, v := range tt.file {
				s.Set(k, v...)
			}
			_, err := Apply(newFlags().fs, s, "KCC_CONNECT_", env(tt.env), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Apply = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestApplySkip(t *testing.T) {
	f := newFlags()
	s := New()
	s.Set("profile", "x")
	src, _ := Apply(f.fs, s, "KCC_CONNECT_", env(nil), func(n string) bool { return n == "profile" })
	if *f.profile != "builtin" || src["profile"] != "" {
		t.Fatal("a skipped flag took a default")
	}
}

func TestCheck(t *testing.T) {
	f := newFlags()
	known := map[string]*pflag.Flag{}
	f.fs.VisitAll(func(fl *pflag.Flag) { known[fl.Name] = fl })
	tests := []struct {
		key  string
		vals []string
		want string
	}{
		{"profile", []string{"x"}, ""},
		{"region", []string{"a", "b"}, ""},
		{"request-timeout", []string{"2s"}, ""},
		{"nope", []string{"x"}, `unknown key "nope"`},
		{"history-limit", []string{"x"}, "invalid value"},
		{"request-timeout", []string{"soon"}, "invalid value"},
		{"profile", []string{"a", "b"}, "takes one value"},
	}
	for _, tt := range tests {
		s := New()
		s.Set(tt.key, tt.vals...)
		err := Check(s, known)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("Check(%s=%v) = %v, want %q", tt.key, tt.vals, err, tt.want)
		}
	}
	if *f.limit != 100 || *f.profile != "builtin" {
		t.Fatal("Check changed the flags it checked against")
	}
}

func TestEnvName(t *testing.T) {
	if got := EnvName("KCC_CONNECT_", "no-version-check"); got != "KCC_CONNECT_NO_VERSION_CHECK" {
		t.Fatal(got)
	}
}
