package gke

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadGcloudConfig: the active configuration is chosen and read as
// gcloud does, and CLOUDSDK_SECTION_NAME wins over the file.
func TestLoadGcloudConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("configurations/config_default", "[core]\nproject = from-default\n")
	write("configurations/config_work", "# a comment\n[core]\nproject = from-work\ncustom_ca_certs_file = /ca.pem\n\n[api_endpoint_overrides]\ncontainer = https://container.example.com/\n")
	write("active_config", "work\n")
	for _, tc := range []struct {
		name              string
		env               map[string]string
		project, endpoint string
	}{
		{"active_config file", nil, "from-work", "https://container.example.com/"},
		{"CLOUDSDK_ACTIVE_CONFIG_NAME", map[string]string{"CLOUDSDK_ACTIVE_CONFIG_NAME": "default"}, "from-default", ""},
		{"environment over the file", map[string]string{"CLOUDSDK_CORE_PROJECT": "from-env", "CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER": "https://env.example.com/"}, "from-env", "https://env.example.com/"},
		{"missing configuration", map[string]string{"CLOUDSDK_ACTIVE_CONFIG_NAME": "none"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"CLOUDSDK_CONFIG": dir}
			for k, v := range tc.env {
				env[k] = v
			}
			c, err := loadGcloudConfig(func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if got := c.get("core/project"); got != tc.project {
				t.Errorf("core/project %q, want %q", got, tc.project)
			}
			if got := c.get("api_endpoint_overrides/container"); got != tc.endpoint {
				t.Errorf("container endpoint %q, want %q", got, tc.endpoint)
			}
		})
	}
}
