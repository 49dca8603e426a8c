package gke

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// gcloudConfig is the part of gcloud's properties the provider follows:
// the active configuration's file, under the environment's overrides
// (CLOUDSDK_SECTION_NAME), as gcloud itself reads them.
type gcloudConfig struct {
	dir   string
	props map[string]string // "section/name" -> value
}

// configDir is gcloud's configuration directory: $CLOUDSDK_CONFIG, else
// ~/.config/gcloud (%APPDATA%\gcloud on Windows).
func configDir(getenv func(string) string) string {
	if d := getenv("CLOUDSDK_CONFIG"); d != "" {
		return d
	}
	if runtime.GOOS == "windows" {
		return filepath.Join(getenv("APPDATA"), "gcloud")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".config", "gcloud")
}

// loadGcloudConfig reads the active configuration
// ($CLOUDSDK_ACTIVE_CONFIG_NAME, else the active_config file, else
// "default"). A missing file is an empty configuration.
func loadGcloudConfig(getenv func(string) string) (gcloudConfig, error) {
	c := gcloudConfig{dir: configDir(getenv), props: map[string]string{}}
	name := getenv("CLOUDSDK_ACTIVE_CONFIG_NAME")
	if name == "" {
		if b, err := os.ReadFile(filepath.Join(c.dir, "active_config")); err == nil {
			name = strings.TrimSpace(string(b))
		}
	}
	if name == "" {
		name = "default"
	}
	b, err := os.ReadFile(filepath.Join(c.dir, "configurations", "config_"+name))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return c, err
	}
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[' && strings.HasSuffix(line, "]"):
			section = strings.TrimSpace(line[1 : len(line)-1])
		default:
			k, v, ok := strings.Cut(line, "=")
			if ok {
				c.props[section+"/"+strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
	}
	// The environment wins over the file, as in gcloud.
	for _, key := range []string{"core/project", "core/custom_ca_certs_file", "api_endpoint_overrides/container", "api_endpoint_overrides/cloudresourcemanager"} {
		env := "CLOUDSDK_" + strings.ToUpper(strings.ReplaceAll(key, "/", "_"))
		if v := getenv(env); v != "" {
			c.props[key] = v
		}
	}
	return c, nil
}

// get is a property, "" when unset.
func (c gcloudConfig) get(key string) string { return c.props[key] }
