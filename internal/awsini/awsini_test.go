package awsini

import (
	"reflect"
	"strings"
	"testing"
)

func TestProfileNames(t *testing.T) {
	tests := []struct {
		name        string
		text        string
		credentials bool
		want        []string
	}{
		{"config file", "[default]\nregion=x\n[profile dev]\n[profile  spaced ]\n[sso-session corp]\n[services s]\n[plain]\n", false, []string{"default", "dev", "spaced"}},
		{"credentials file", "[dev]\naws_access_key_id=A\n[profile ignored]\n[ prod ] ; note\n", true, []string{"dev", "prod"}},
		{"comments and CRLF", "# [commented]\r\n; [also]\r\n[profile a]\r\n[profile b] # trailing\r\n", false, []string{"a", "b"}},
		{"not headers", "[\n[]\n[profile]\nkey = [x]\n", false, nil},
		{"DEFAULT any case", "[Default]\n", false, []string{"Default"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProfileNames(tt.text, tt.credentials); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("profileNames = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestProfileValue(t *testing.T) {
	const file = `# a comment
[default]
region = eu-west-1
sts_regional_endpoints = legacy

[profile dev]
; another comment
REGION: us-west-2
s3 =
    sts_regional_endpoints = nested, not top-level
sts_regional_endpoints=regional

[profile   spaced  ]
sts_regional_endpoints = legacy

[sso-session default]
sts_regional_endpoints = not a profile

[profileX]
sts_regional_endpoints = not a profile either

[profile default]
region = ap-south-1
`
	for _, tc := range []struct{ profile, key, want string }{
		{"default", "sts_regional_endpoints", "legacy"},
		// [default] and [profile default] both name the default profile.
		{"default", "region", "ap-south-1"},
		{"dev", "region", "us-west-2"},
		{"dev", "sts_regional_endpoints", "regional"},
		{"spaced", "sts_regional_endpoints", "legacy"},
		{"profileX", "sts_regional_endpoints", ""},
		{"missing", "region", ""},
	} {
		got, err := ProfileValue(strings.NewReader(file), tc.profile, tc.key)
		if err != nil || got != tc.want {
			t.Errorf("ProfileValue(%s, %s) = %q, %v; want %q", tc.profile, tc.key, got, err, tc.want)
		}
	}
}

// FuzzProfileNames: any file gives names without panicking, and every name
// is one the file spells inside brackets.
func FuzzProfileNames(f *testing.F) {
	f.Add("[default]\n[profile a b]\n[x] ; c\n", false)
	f.Add("[ a ]\r\n#[b]\n", true)
	f.Fuzz(func(t *testing.T, text string, credentials bool) {
		for _, n := range ProfileNames(text, credentials) {
			if n == "" {
				t.Fatalf("empty profile name from %q", text)
			}
		}
	})
}

// FuzzProfileValue: the config file is the user's; any content gives a
// value or an error, never a panic, and a value is one trimmed line.
func FuzzProfileValue(f *testing.F) {
	f.Add("[default]\nsts_regional_endpoints = legacy\n", "default")
	f.Add("[profile a]\n  x = y\nsts_regional_endpoints:regional\n[", "a")
	f.Add("[profile\tb]\r\nsts_regional_endpoints = legacy\r\n", "b")
	f.Fuzz(func(t *testing.T, file, profile string) {
		v, err := ProfileValue(strings.NewReader(file), profile, "sts_regional_endpoints")
		if err != nil {
			return
		}
		if strings.ContainsAny(v, "\n") || strings.TrimSpace(v) != v {
			t.Fatalf("value %q", v)
		}
		if v != "" && !strings.Contains(file, v) {
			t.Fatalf("value %q is not in the file", v)
		}
	})
}

func TestSetProfile(t *testing.T) {
	keys := [][2]string{{"credential_process", "kcc-connect credentials --profile p"}, {"region", "eu-west-1"}}
	want := "[profile p]\n# c\ncredential_process = kcc-connect credentials --profile p\nregion = eu-west-1\n"
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", want},
		{"appended", "[default]\nregion = us-east-1", "[default]\nregion = us-east-1\n\n" + want},
		{"replaced, others kept", "# top\n[profile a]\nx = 1\n[profile p]\nold = 1\n  nested = 2\n; note\n[profile b]\ny = 2\n", "# top\n[profile a]\nx = 1\n" + want + "[profile b]\ny = 2\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SetProfile(tc.in, "p", "c", keys)
			if got != tc.want {
				t.Errorf("SetProfile =\n%q\nwant\n%q", got, tc.want)
			}
			if v, _ := ProfileValue(strings.NewReader(got), "p", "region"); v != "eu-west-1" {
				t.Errorf("ProfileValue(region) = %q", v)
			}
		})
	}
}
