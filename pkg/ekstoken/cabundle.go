package ekstoken

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"sync"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// caBundleEnv names a PEM file of the CAs to trust instead of the system's
// (corporate TLS proxies).
const caBundleEnv = "AWS_CA_BUNDLE"

// The SDK reads and parses AWS_CA_BUNDLE while it loads the configuration,
// which costs more than the rest of a run (docs/design.md §14), though most
// runs make no request at all: static keys and profiles sign offline. So the SDK does not see the variable while it loads, and gets
// instead an HTTP client that trusts the bundle exactly as the SDK's would
// (the bundle only, not the system roots), loaded on its first request.

// hideCABundle removes AWS_CA_BUNDLE from the environment until restore is
// called, and returns the HTTP client to use in its place (nil when unset).
// restore must run before anything reads the environment for children
// (credential_process) or for requests.
func hideCABundle() (client *lazyCAClient, restore func()) {
	path, ok := os.LookupEnv(caBundleEnv)
	if !ok || path == "" {
		return nil, func() {}
	}
	os.Unsetenv(caBundleEnv)
	return &lazyCAClient{path: path}, func() { os.Setenv(caBundleEnv, path) }
}

// lazyCAClient is an aws.HTTPClient that builds the SDK's default client
// with the CA bundle on its first request.
type lazyCAClient struct {
	path   string
	once   sync.Once
	client *awshttp.BuildableClient
	err    error
}

func (c *lazyCAClient) Do(req *http.Request) (*http.Response, error) {
	c.once.Do(c.build)
	if c.err != nil {
		return nil, c.err
	}
	return c.client.Do(req)
}

func (c *lazyCAClient) build() {
	pem, err := os.ReadFile(c.path)
	if err != nil {
		c.err = fmt.Errorf("could not read %s %s: %w", caBundleEnv, c.path, err)
		return
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		c.err = fmt.Errorf("%s %s holds no PEM certificate", caBundleEnv, c.path)
		return
	}
	c.client = awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		if tr.TLSClientConfig == nil {
			tr.TLSClientConfig = &tls.Config{}
		}
		tr.TLSClientConfig.RootCAs = pool
	})
}
