package rolecache

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/atomicfile"
)

// ExpiryWindow is how long before its expiry a cached session is no longer
// used: botocore's CachedCredentialFetcher window, so that the CLI and
// kcc-eks replace a session at the same time, and a token presigned with
// it (valid 15 minutes) never outlives it.
const ExpiryWindow = 15 * time.Minute

// Dir is the AWS CLI's cache directory, ~/.aws/cli/cache.
func Dir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("could not find the AWS CLI's cache: %w", err)
	}
	return filepath.Join(home, ".aws", "cli", "cache"), nil
}

// Default is the cache in Dir; false when there is no home directory to
// keep it in (roles are then assumed on every run, as without a cache).
func Default() (Cache, bool) {
	dir, err := Dir()
	return Cache{Dir: dir}, err == nil
}

// Session is the part of a cached AssumeRole response that is read back;
// botocore writes the whole response, and reads only Credentials.
type Session struct {
	Credentials     Credentials      `json:"Credentials"`
	AssumedRoleUser *AssumedRoleUser `json:"AssumedRoleUser,omitempty"`
}

// Credentials are a session's keys, as in STS's response.
type Credentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
	AccountID       string `json:"AccountId,omitempty"`
}

// AssumedRoleUser is the session's identity, as in STS's response.
type AssumedRoleUser struct {
	AssumedRoleID string `json:"AssumedRoleId"`
	Arn           string `json:"Arn"`
}

// Expires parses Expiration as botocore writes it: ISO 8601 with Z or an
// offset (from the response), or with "UTC" (its own serializer).
func (c Credentials) Expires() (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999MST", "2006-01-02T15:04:05.999999999-0700"} {
		if t, err := time.Parse(layout, c.Expiration); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognized Expiration %q", c.Expiration)
}

// Cache is a directory of cached sessions.
type Cache struct {
	Dir string
	Now func() time.Time // time.Now when nil
}

func (c Cache) path(key string) string { return filepath.Join(c.Dir, key+".json") }

// Load is the session cached under key if it is complete and valid for at
// least ExpiryWindow more; anything else (no file, an unreadable or foreign
// one) is a miss, as for botocore.
func (c Cache) Load(key string) (Session, bool) {
	b, err := os.ReadFile(c.path(key))
	if err != nil {
		return Session{}, false
	}
	var s Session
	if json.Unmarshal(b, &s) != nil {
		return Session{}, false
	}
	cr := s.Credentials
	if cr.AccessKeyID == "" || cr.SecretAccessKey == "" || cr.SessionToken == "" {
		return Session{}, false
	}
	exp, err := cr.Expires()
	if err != nil {
		return Session{}, false
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	if exp.Sub(now()) < ExpiryWindow {
		return Session{}, false
	}
	return s, true
}

// Store writes s under key: a 0600 file replaced atomically, in a directory
// created 0700 (botocore's own files are 0600 too).
func (c Cache) Store(key string, s Session) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("could not encode a role session: %w", err)
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("could not create the role session cache %s: %w", c.Dir, err)
	}
	if err := atomicfile.WriteFile(c.path(key), b, 0o600); err != nil {
		return fmt.Errorf("could not cache a role session: %w", err)
	}
	return nil
}
