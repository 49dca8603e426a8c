package ekstoken

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
		got, err := profileValue(strings.NewReader(file), tc.profile, tc.key)
		if err != nil || got != tc.want {
			t.Errorf("profileValue(%s, %s) = %q, %v; want %q", tc.profile, tc.key, got, err, tc.want)
		}
	}
}

func TestLegacyGlobalSTS(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	if err := os.WriteFile(path, []byte("[profile old]\nsts_regional_endpoints = legacy\n[profile bad]\nsts_regional_endpoints = global\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == stsRegionalEndpointsEnv {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		env, path, profile string
		want               bool
		wantErr            string
	}{
		{env: "legacy", path: path, profile: "default", want: true},
		{env: "regional", path: path, profile: "old", want: false},
		{env: "", path: path, profile: "old", want: true},
		{env: "", path: path, profile: "default", want: false},
		{env: "", path: filepath.Join(dir, "none"), profile: "old", want: false},
		{env: "Legacy", path: path, profile: "default", wantErr: "AWS_STS_REGIONAL_ENDPOINTS"},
		{env: "", path: path, profile: "bad", wantErr: "sts_regional_endpoints of profile bad"},
		{env: "", path: dir, profile: "old", wantErr: "could not read"},
	} {
		got, err := legacyGlobalSTS(env(tc.env), tc.path, tc.profile)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%+v: err %v, want %q", tc, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%+v: got %v, %v", tc, got, err)
		}
	}
}

// FuzzProfileValue: the config file is the user's; any content gives a
// value or an error, never a panic, and a value is one trimmed line.
func FuzzProfileValue(f *testing.F) {
	f.Add("[default]\nsts_regional_endpoints = legacy\n", "default")
	f.Add("[profile a]\n  x = y\nsts_regional_endpoints:regional\n[", "a")
	f.Add("[profile\tb]\r\nsts_regional_endpoints = legacy\r\n", "b")
	f.Fuzz(func(t *testing.T, file, profile string) {
		v, err := profileValue(strings.NewReader(file), profile, stsRegionalEndpointsKey)
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
