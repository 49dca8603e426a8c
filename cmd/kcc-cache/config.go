package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kelseyhightower/envconfig"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend"
	"github.com/IvMisticos/kube-credential-cache/pkg/cache"
)

const envPrefix = "KUBE_CREDENTIAL_CACHE"

// config is every KUBE_CREDENTIAL_CACHE_* variable.
type config struct {
	Backend           string        `envconfig:"BACKEND" default:"auto"`
	File              string        `envconfig:"FILE"`
	RefreshMargin     time.Duration `envconfig:"REFRESH_MARGIN" default:"30s"`
	DefaultTTL        time.Duration `envconfig:"DEFAULT_TTL" default:"1h"`
	NoExpiryThreshold time.Duration `envconfig:"NO_EXPIRY_THRESHOLD" default:"24h"`
	CacheKeyEnvList   []string      `envconfig:"CACHEKEY_ENV_LIST" default:"KUBE_CREDENTIAL_CACHE_USER,AWS_PROFILE,AWS_REGION,AWS_DEFAULT_REGION,AWS_VAULT,AWS_ROLE_ARN,AWS_ACCESS_KEY_ID,AWS_CONFIG_FILE,AWS_SHARED_CREDENTIALS_FILE,CLOUDSDK_CONFIG,GOOGLE_APPLICATION_CREDENTIALS,AZURE_CONFIG_DIR"`
	Debug             truthy        `envconfig:"DEBUG"`
	LockTimeout       time.Duration `envconfig:"LOCK_TIMEOUT" default:"2m"`
	HealCooldown      time.Duration `envconfig:"HEAL_COOLDOWN" default:"5m"`
	KeyringTimeout    time.Duration `envconfig:"KEYRING_TIMEOUT" default:"500ms"`
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

func loadConfig() (config, error) {
	var cfg config
	if err := envconfig.Process(envPrefix, &cfg); err != nil {
		var perr *envconfig.ParseError
		if errors.As(err, &perr) {
			return config{}, fmt.Errorf("invalid %s=%q: %v", perr.KeyName, perr.Value, perr.Err)
		}
		return config{}, fmt.Errorf("invalid configuration: %w", err)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"REFRESH_MARGIN", cfg.RefreshMargin}, {"DEFAULT_TTL", cfg.DefaultTTL},
		{"NO_EXPIRY_THRESHOLD", cfg.NoExpiryThreshold}, {"LOCK_TIMEOUT", cfg.LockTimeout},
		{"HEAL_COOLDOWN", cfg.HealCooldown}, {"KEYRING_TIMEOUT", cfg.KeyringTimeout},
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
	switch cfg.Backend {
	case "auto", "keyring", "file":
	default:
		return config{}, fmt.Errorf("invalid %s_BACKEND=%q: want auto, keyring or file", envPrefix, cfg.Backend)
	}
	if cfg.File == "" {
		file, err := backend.DefaultFile()
		if err != nil {
			return config{}, fmt.Errorf("no cache file location (set %s_FILE): %w", envPrefix, err)
		}
		cfg.File = file
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
func (c config) stateDir() string { return backend.StateDir(c.File) }

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
