package verify

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// TLS is how the provider's certificate is checked.
type TLS struct {
	CAFiles    []string // PEM files
	CAData     []string // base64 of PEM
	SkipVerify bool
}

// Bounds of one exchange with the provider: an issuer that does not answer
// costs at most these, never a hung kubectl.
const (
	dialTimeout    = 10 * time.Second
	requestTimeout = 30 * time.Second
)

// HTTPClient is the client for every request to the provider: the system
// roots plus the given CAs, no proxy surprises beyond the environment's.
func HTTPClient(t TLS) (*http.Client, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: t.SkipVerify} //nolint:gosec // the user's explicit --insecure-skip-tls-verify
	if len(t.CAFiles)+len(t.CAData) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		for _, f := range t.CAFiles {
			pem, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("could not read the certificate authority: %w", err)
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("no PEM certificate in %s", f)
			}
		}
		for _, d := range t.CAData {
			pem, err := base64.StdEncoding.DecodeString(d)
			if err != nil {
				return nil, fmt.Errorf("--certificate-authority-data is not base64: %w", err)
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("no PEM certificate in --certificate-authority-data")
			}
		}
		cfg.RootCAs = pool
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = cfg
	tr.DialContext = (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = dialTimeout
	return &http.Client{Transport: tr, Timeout: requestTimeout}, nil
}
