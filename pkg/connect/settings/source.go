package settings

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/IvMisticos/kube-credential-cache/internal/httpsonly"
)

// ReadSource reads a team's defaults file from a path or an https:// URL
// with client (whose Timeout and TLS settings bound and verify the fetch).
// Plain http:// is refused, and so is a redirect to anything but https://:
// defaults from a URL choose which profile and kubeconfig the user's
// commands act on, so they must not be changeable on the way. Either is
// read through a limit (a path may be /dev/zero or a pipe that never ends).
func ReadSource(ctx context.Context, client *http.Client, src string) ([]byte, error) {
	switch {
	case IsURL(src) && strings.HasPrefix(strings.ToLower(src), "https://"):
		return fetch(ctx, client, src)
	case IsURL(src):
		return nil, fmt.Errorf("%s: only https:// URLs or file paths can be imported", Redact(src))
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", src, err)
	}
	defer f.Close()
	return readLimited(f, src)
}

// ReadLimited reads r (a pipe, say) through the same limit as ReadSource.
func ReadLimited(r io.Reader, shown string) ([]byte, error) { return readLimited(r, shown) }

// IsURL says whether ReadSource takes src as a URL (remote) rather than
// as a path the user named (local).
func IsURL(src string) bool { return strings.Contains(src, "://") }

// readLimited reads r to its end, or fails as soon as it holds more than
// maxFileSize bytes, without reading further.
func readLimited(r io.Reader, shown string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", shown, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", shown, maxFileSize)
	}
	return data, nil
}

func fetch(ctx context.Context, client *http.Client, src string) ([]byte, error) {
	shown := Redact(src)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", shown, withoutURL(err))
	}
	resp, err := httpsonly.Client(client).Do(req)
	if err != nil {
		return nil, fmt.Errorf("could not fetch %s: %w", shown, withoutURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("could not fetch %s: %s", shown, resp.Status)
	}
	return readLimited(resp.Body, shown)
}

// Redact is src as messages show it: a URL without its user info and
// query, either of which may be a token (https://TOKEN@host/..., a
// presigned URL's X-Amz-Security-Token and signature); a path as it is.
func Redact(src string) string {
	scheme, _, isURL := strings.Cut(src, "://")
	if !isURL {
		return src
	}
	u, err := url.Parse(src)
	if err != nil {
		return scheme + "://(a URL that does not parse)"
	}
	u.User = nil
	if u.RawQuery != "" || u.ForceQuery {
		u.RawQuery, u.ForceQuery = "...", false
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// withoutURL is err without the *url.Error that quotes the whole URL.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
