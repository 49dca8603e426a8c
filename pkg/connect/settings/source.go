package settings

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// ReadSource reads a team's defaults file from a path or an https:// URL
// with client (whose Timeout and TLS settings bound and verify the fetch).
// Plain http:// is refused: defaults from a URL choose which profile and
// kubeconfig the user's commands act on, so they must not be changeable on
// the way.
func ReadSource(ctx context.Context, client *http.Client, src string) ([]byte, error) {
	lower := strings.ToLower(src)
	switch {
	case strings.HasPrefix(lower, "https://"):
		return fetch(ctx, client, src)
	case strings.Contains(lower, "://"):
		return nil, fmt.Errorf("%s: only https:// URLs or file paths can be imported", src)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", src, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", src, maxFileSize)
	}
	return data, nil
}

func fetch(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("could not fetch %w", err) // *url.Error names the URL
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("could not fetch %s: %s", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", url, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", url, maxFileSize)
	}
	return data, nil
}
