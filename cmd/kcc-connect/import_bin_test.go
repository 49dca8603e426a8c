package main

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// config import through the real binary from a local HTTPS server whose CA
// the process trusts only through SSL_CERT_FILE, as a team with a private CA
// would run it; without that the certificate is refused.
func TestConfigImportBinaryHTTPS(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("SSL_CERT_FILE is how Go on Linux takes extra roots")
	}
	bin := extrasBinary(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("region: [eu-west-1, eu-central-1]\nno-version-check: true\n"))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted run's handshake error
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.yaml")
	run := func(extraEnv ...string) (string, error) {
		cmd := exec.Command(bin, "config", "import", srv.URL+"/team.yaml")
		cmd.Env = append(os.Environ(), append([]string{"KCC_CONNECT_CONFIG=" + cfg, "HOME=" + dir}, extraEnv...)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	// The system's roots only (the default), which do not hold the test CA.
	out, err := run()
	if err == nil || !strings.Contains(out, "certificate") || strings.Count(out, "\n") != 1 {
		t.Fatalf("untrusted server: %v %q", err, out)
	}
	if _, err := os.Stat(cfg); err == nil {
		t.Fatal("a failed import wrote the config file")
	}
	if out, err := run("SSL_CERT_FILE=" + ca); err != nil || !strings.Contains(out, "imported 2 default(s)") {
		t.Fatalf("trusted server: %v %q", err, out)
	}
	if b, _ := os.ReadFile(cfg); !strings.Contains(string(b), "region: [eu-west-1, eu-central-1]") {
		t.Fatalf("config after import:\n%s", b)
	}
}
