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
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/atomicfile"
	"github.com/IvMisticos/kube-credential-cache/internal/httpsonly"
	"github.com/IvMisticos/kube-credential-cache/internal/termtext"
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

// maxFeedSize bounds the feed's answer: a release's JSON is a few KiB.
const maxFeedSize = 1 << 20

// Check asks the feed now, within Timeout. The feed must be an https://
// URL, and redirects are followed only to https://: its answer is printed
// to the user and names where to download from.
func (c *Checker) Check(ctx context.Context) (Result, error) {
	feed, err := url.Parse(c.URL)
	if err != nil {
		return Result{}, fmt.Errorf("version check: the feed URL does not parse")
	}
	if feed.Scheme != "https" {
		return Result{}, fmt.Errorf("version check: the feed %s is not an https:// URL", termtext.Clean(httpsonly.Shown(feed)))
	}
	shown := termtext.Clean(httpsonly.Shown(feed))
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return Result{}, fmt.Errorf("version check: %s: %w", shown, withoutURL(err))
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := httpsonly.Client(c.Client).Do(req)
	if err != nil {
		return Result{}, fmt.Errorf("version check: %s: %w", shown, withoutURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Result{}, fmt.Errorf("version check: %s answered %s", shown, termtext.Clean(resp.Status))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFeedSize+1))
	if err != nil {
		return Result{}, fmt.Errorf("version check: %s: %w", shown, err)
	}
	if len(body) > maxFeedSize {
		return Result{}, fmt.Errorf("version check: %s: answer larger than %d bytes", shown, maxFeedSize)
	}
	var rel struct {
		TagName string `json:"tag_name"`
		HTMLURL string `json:"html_url"`
	}
	if err := json.Unmarshal(body, &rel); err != nil {
		return Result{}, fmt.Errorf("version check: %s: %w", shown, err)
	}
	if _, ok := parse(rel.TagName); !ok || !termtext.Printable(rel.TagName) {
		return Result{}, fmt.Errorf("version check: %s: %q is not a version", shown, rel.TagName)
	}
	return Result{Current: c.Current, Latest: rel.TagName, Newer: Newer(rel.TagName, c.Current), URL: releaseURL(rel.HTMLURL)}, nil
}

// releaseURL is the feed's link to the release when it is one to print: an
// https:// URL that parses, with a host and nothing a terminal would act on;
// anything else is left out of the notice.
func releaseURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || !termtext.Printable(s) || strings.ContainsAny(s, " ") {
		return ""
	}
	return s
}

// withoutURL is err without the *url.Error that quotes the whole URL.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
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
