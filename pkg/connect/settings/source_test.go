package settings

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadSource(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/team.yaml":
			w.Write([]byte("profile: team\n"))
		case "/big":
			w.Write([]byte(strings.Repeat("#", maxFileSize+1)))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()

	got, err := ReadSource(ctx, srv.Client(), srv.URL+"/team.yaml")
	if err != nil || string(got) != "profile: team\n" {
		t.Fatalf("https: %q, %v", got, err)
	}
	path := filepath.Join(t.TempDir(), "team.yaml")
	os.WriteFile(path, []byte("region: x\n"), 0o600)
	if got, err := ReadSource(ctx, nil, path); err != nil || string(got) != "region: x\n" {
		t.Fatalf("file: %q, %v", got, err)
	}

	for _, tt := range []struct {
		name   string
		client *http.Client
		src    string
		want   string
	}{
		{"not found", srv.Client(), srv.URL + "/nope", "404"},
		{"too large", srv.Client(), srv.URL + "/big", "larger"},
		// The default client does not trust the test server's CA: TLS is
		// verified, not skipped.
		{"untrusted certificate", &http.Client{}, srv.URL + "/team.yaml", "certificate"},
		{"plain http", srv.Client(), strings.Replace(srv.URL, "https", "http", 1) + "/team.yaml", "only https"},
		{"missing file", nil, filepath.Join(t.TempDir(), "none.yaml"), "could not read"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadSource(ctx, tt.client, tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("ReadSource = %v, want one line containing %q", err, tt.want)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"https://example.com/team.yaml", "https://example.com/team.yaml"},
		{"https://TOKEN@example.com/team.yaml", "https://example.com/team.yaml"},
		{"https://user:pw@example.com:8443/a/b.yaml?X-Amz-Signature=s&X-Amz-Security-Token=t#frag", "https://example.com:8443/a/b.yaml?..."},
		{"https://u:p@example.com:1:2/x", "https://(a URL that does not parse)"},
		{"team/defaults.yaml", "team/defaults.yaml"},
		{`C:\team\defaults.yaml`, `C:\team\defaults.yaml`},
	} {
		if got := Redact(tt.src); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}
