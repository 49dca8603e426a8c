package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/cache"
)

const envPrefix = contract.EnvPrefix

// config is every KUBE_CREDENTIAL_CACHE_* variable; settings says how each
// is read.
type config struct {
	Backend           string
	File              string
	RefreshMargin     time.Duration
	DefaultTTL        time.Duration
	NoExpiryThreshold time.Duration
	CacheKeyEnvList   []string
	Debug             truthy
	LockTimeout       time.Duration
	HealCooldown      time.Duration
	KeyringTimeout    time.Duration
	Agent             truthy
	AgentIdle         time.Duration
	CacheKeyFiles     []string
}

// defaultKeyEnvList is KUBE_CREDENTIAL_CACHE_CACHEKEY_ENV_LIST's default.
const defaultKeyEnvList = contract.UserEnv + ",AWS_PROFILE,AWS_DEFAULT_PROFILE,AWS_REGION,AWS_DEFAULT_REGION,AWS_VAULT,AWS_ROLE_ARN,AWS_ACCESS_KEY_ID,AWS_CONFIG_FILE,AWS_SHARED_CREDENTIALS_FILE,CLOUDSDK_CONFIG,GOOGLE_APPLICATION_CREDENTIALS,AZURE_CONFIG_DIR"

// settings lists the variables (after the prefix), their defaults and their
// parsers, in the order envconfig read the struct this replaces; see env.go
// for why it is read without envconfig.
func (c *config) settings() []setting {
	return []setting{
		{"BACKEND", "auto", stringInto(&c.Backend)},
		{"FILE", "", stringInto(&c.File)},
		{"REFRESH_MARGIN", "30s", durationInto(&c.RefreshMargin)},
		{"DEFAULT_TTL", "1h", durationInto(&c.DefaultTTL)},
		{"NO_EXPIRY_THRESHOLD", "24h", durationInto(&c.NoExpiryThreshold)},
		{"CACHEKEY_ENV_LIST", defaultKeyEnvList, listInto(&c.CacheKeyEnvList)},
		{"DEBUG", "", c.Debug.Decode},
		{"LOCK_TIMEOUT", "2m", durationInto(&c.LockTimeout)},
		{"HEAL_COOLDOWN", "5m", durationInto(&c.HealCooldown)},
		{"KEYRING_TIMEOUT", "500ms", durationInto(&c.KeyringTimeout)},
		{"AGENT", "true", c.Agent.Decode},
		{"AGENT_IDLE", "15m", durationInto(&c.AgentIdle)},
		{"CACHEKEY_FILES", "", listInto(&c.CacheKeyFiles)},
	}
}

// truthy accepts the spellings users write for "on": 1, true, yes, on.
type truthy bool

func (t *truthy) Decode(v string) error {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "t", "true", "y", "yes", "on":
		*t = true
	case "", "0", "f", "false", "n", "no", "off":
		*t = false
	default:
		return fmt.Errorf("want 1/true/yes/on or 0/false/no/off")
	}
	return nil
}

func loadConfig() (config, error) { return loadConfigFrom(os.LookupEnv) }

func loadConfigFrom(lookup func(string) (string, bool)) (config, error) {
	cfg, err := parseConfig(lookup)
	if err != nil {
		return config{}, err
	}
	if cfg.File == "" {
		file, err := filestore.DefaultFile()
		if err != nil {
			return config{}, fmt.Errorf("no cache file location (set %s_FILE): %w", envPrefix, err)
		}
		cfg.File = file
	}
	return cfg, nil
}

// parseConfig reads and checks the variables, leaving File empty when it is
// not set: the agent, which touches no file, needs nothing more.
func parseConfig(lookup func(string) (string, bool)) (config, error) {
	var cfg config
	if err := readEnv(envPrefix, cfg.settings(), lookup); err != nil {
		return config{}, err
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"REFRESH_MARGIN", cfg.RefreshMargin}, {"DEFAULT_TTL", cfg.DefaultTTL},
		{"NO_EXPIRY_THRESHOLD", cfg.NoExpiryThreshold}, {"LOCK_TIMEOUT", cfg.LockTimeout},
		{"HEAL_COOLDOWN", cfg.HealCooldown}, {"KEYRING_TIMEOUT", cfg.KeyringTimeout},
		{"AGENT_IDLE", cfg.AgentIdle},
	} {
		if d.v < 0 {
			return config{}, fmt.Errorf("invalid %s_%s=%s: must not be negative", envPrefix, d.name, d.v)
		}
	}
	names, err := cleanNames(cfg.CacheKeyEnvList)
	if err != nil {
		return config{}, fmt.Errorf("invalid %s_CACHEKEY_ENV_LIST: %w", envPrefix, err)
	}
	cfg.CacheKeyEnvList = names
	files, err := cleanFiles(cfg.CacheKeyFiles)
	if err != nil {
		return config{}, fmt.Errorf("invalid %s_CACHEKEY_FILES: %w", envPrefix, err)
	}
	cfg.CacheKeyFiles = files
	switch cfg.Backend {
	case "auto", "keyring", "file":
	default:
		return config{}, fmt.Errorf("invalid %s_BACKEND=%q: want auto, keyring or file", envPrefix, cfg.Backend)
	}
	return cfg, nil
}

func (c config) policy() cache.Policy {
	return cache.Policy{
		RefreshMargin:     c.RefreshMargin,
		DefaultTTL:        c.DefaultTTL,
		NoExpiryThreshold: c.NoExpiryThreshold,
		HealCooldown:      c.HealCooldown,
	}
}

// stateDir holds lock files and served markers beside the cache file.
func (c config) stateDir() string { return filestore.StateDir(c.File) }

// cleanNames trims the names of the cache-key list ("A, B" is a common way
// to write it, and " B" is never set, which would silently drop B from the
// key) and rejects what cannot be a variable name.
func cleanNames(list []string) ([]string, error) {
	out := make([]string, 0, len(list))
	for _, n := range list {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if strings.ContainsAny(n, "= \t\r\n") {
			return nil, fmt.Errorf("%q is not a variable name", n)
		}
		out = append(out, n)
	}
	return out, nil
}

// cleanFiles trims the paths of the cache-key files list and rejects a
// relative one: kubectl runs kcc-cache from whatever directory the user is
// in, so it would name another file (or none) from one shell to the next.
func cleanFiles(list []string) ([]string, error) {
	out := make([]string, 0, len(list))
	for _, f := range list {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
		case f == "~" || strings.HasPrefix(f, "~/") || filepath.IsAbs(f):
			out = append(out, f)
		default:
			return nil, fmt.Errorf("%q is neither absolute nor under ~/", f)
		}
	}
	return out, nil
}
