package rolecache

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func sessionExpiring(expires string) Session {
	return Session{Credentials: Credentials{AccessKeyID: "ASIA1", SecretAccessKey: "s", SessionToken: "t", Expiration: expires}}
}

// TestLoadHonoursTheExpiryWindow: a session is used until 15 minutes
// before it expires, whichever of botocore's formats its expiry has.
func TestLoadHonoursTheExpiryWindow(t *testing.T) {
	for _, tc := range []struct {
		expires string
		hit     bool
	}{
		{"2026-12-04T13:00:00Z", true},
		{"2026-12-04T13:00:00.605779Z", true},
		{"2026-12-04T13:00:00+00:00", true},
		{"2026-12-04T13:00:00UTC", true},
		{"2026-12-04T12:15:00Z", true},
		{"2026-12-04T12:14:59Z", false},
		{"2026-12-04T11:00:00Z", false},
		{"tomorrow", false},
	} {
		c := Cache{Dir: t.TempDir(), Now: func() time.Time { return now }}
		if err := c.Store("k", sessionExpiring(tc.expires)); err != nil {
			t.Fatal(err)
		}
		if _, hit := c.Load("k"); hit != tc.hit {
			t.Errorf("expiry %s: hit %v, want %v", tc.expires, hit, tc.hit)
		}
	}
}

// TestLoadMisses: no file, a file that is not JSON, or one without keys.
func TestLoadMisses(t *testing.T) {
	c := Cache{Dir: t.TempDir(), Now: func() time.Time { return now }}
	if _, hit := c.Load("none"); hit {
		t.Error("hit without a file")
	}
	for key, text := range map[string]string{"bad": "{", "empty": `{"Credentials": {"Expiration": "2027-01-01T00:00:00Z"}}`} {
		if err := os.WriteFile(filepath.Join(c.Dir, key+".json"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, hit := c.Load(key); hit {
			t.Errorf("hit on %s", text)
		}
	}
}

// TestStoreModes: 0600 files in a 0700 directory it creates.
func TestStoreModes(t *testing.T) {
	c := Cache{Dir: filepath.Join(t.TempDir(), "cli", "cache")}
	if err := c.Store("k", sessionExpiring("2026-12-04T13:00:00Z")); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{c.Dir: 0o700 | os.ModeDir, c.path("k"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
		}
	}
}
