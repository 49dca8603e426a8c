package ekstoken

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
