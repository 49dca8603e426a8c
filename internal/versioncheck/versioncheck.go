// Package versioncheck asks a release feed whether a newer kcc-connect
// exists (the kconnect design's new-version notice): at most once a day,
// within a short bound, remembered in a stamp file. Only kcc-connect links
// it; kcc-cache and kcc-eks run on every kubectl call and never make a
// network request of their own.
package versioncheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/atomicfile"
)

const (
	// DefaultURL is GitHub's "latest release" API of this project.
	DefaultURL = "https://api.github.com/repos/IvMisticos/kube-credential-cache/releases/latest"
	// DefaultTimeout bounds a check: a notice is not worth a slow command.
	DefaultTimeout = time.Second
	// Interval is how often the notice looks at most.
	Interval = 24 * time.Hour
)

// Checker looks for a newer release than Current.
type Checker struct {
	URL     string
	Current string
	// Client makes the request; nil means http.DefaultClient. The bound is
	// Timeout, applied to the request's context.
	Client  *http.Client
	Timeout time.Duration
	// StampPath remembers when the last check was made.
	StampPath string
	Now       func() time.Time
}

// Result is the answer of a check.
type Result struct {
	Current string `json:"current"`
	Latest  string `json:"latest"`
	// Newer is whether Latest is a higher version than Current (false when
	// either is not a version, as for a "dev" build).
	Newer bool   `json:"newer"`
	URL   string `json:"url,omitempty"`
}

// Notice is the one line shown on stderr.
func (r Result) Notice(name string) string {
	s := fmt.Sprintf("%s: a new version %s is available (you have %s)", name, r.Latest, r.Current)
	if r.URL != "" {
		s += ": " + r.URL
	}
	return s
}

// DefaultStampPath is kube-credential-cache/connect/version-check in the
// user's cache directory: losing it only means one more check.
func DefaultStampPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory: %w", err)
	}
	return filepath.Join(dir, "kube-credential-cache", "connect", "version-check"), nil
}

// Due reports whether a day has passed since the last check. A stamp from
// the future (a clock set back) counts as due, so a wrong clock cannot
// silence the notice for good.
func (c *Checker) Due() bool {
	data, err := os.ReadFile(c.StampPath)
	if err != nil {
		return true
	}
	last, err := time.Parse(time.RFC3339, strings.TrimSpace(string(data)))
	if err != nil {
		return true
	}
	now := c.now()
	return now.Before(last) || now.Sub(last) >= Interval
}

// Daily checks when Due, noting the attempt first so that an offline
// machine is slowed once a day at most, not on every command. checked is
// false when it was not due.
func (c *Checker) Daily(ctx context.Context) (r Result, checked bool, err error) {
	if !c.Due() {
		return Result{}, false, nil
	}
	if err := c.stamp(); err != nil {
		return Result{}, true, err
	}
	r, err = c.Check(ctx)
	return r, true, err
}

// Check asks the feed now, within Timeout.
func (c *Checker) Check(ctx context.Context) (Result, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return Result{}, fmt.Errorf("version check: %w", err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return Result{}, fmt.Errorf("version check: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Result{}, fmt.Errorf("version check: %s answered %s", c.URL, resp.Status)
	}
	var rel struct {
		TagName string `json:"tag_name"`
		HTMLURL string `json:"html_url"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&rel); err != nil {
		return Result{}, fmt.Errorf("version check: %s: %w", c.URL, err)
	}
	if _, ok := parse(rel.TagName); !ok {
		return Result{}, fmt.Errorf("version check: %s: %q is not a version", c.URL, rel.TagName)
	}
	return Result{Current: c.Current, Latest: rel.TagName, Newer: Newer(rel.TagName, c.Current), URL: rel.HTMLURL}, nil
}

func (c *Checker) stamp() error {
	if err := os.MkdirAll(filepath.Dir(c.StampPath), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("version check: %w", err)
	}
	stamp := c.now().UTC().Format(time.RFC3339) + "\n"
	if err := atomicfile.WriteFile(c.StampPath, []byte(stamp), 0o600); err != nil {
		return fmt.Errorf("version check: %w", err)
	}
	return nil
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
