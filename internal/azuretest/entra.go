// Package azuretest is a local TLS stand-in for Microsoft Entra ID, for the
// tests of kcc-aks and kcc-connect's aks provider: no Azure emulator
// exists, so the real Azure SDK (azidentity, MSAL) talks to this server
// instead, reached through an environment file at AZURE_ENVIRONMENT_FILEPATH
// as a user of a sovereign or Stack cloud reaches theirs. It serves the
// documented v2.0 shapes (OpenID configuration, token and device code
// endpoints, JWKS), checks every credential it receives, and issues RS256
// JWTs that other stand-ins (an API server, Resource Manager) check with
// Verify.
package azuretest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Tenant is the stand-in's tenant ID.
const Tenant = "5f3b7c2e-1d2a-4c8e-9b1f-0a1b2c3d4e5f"

// User is the user a device-code sign-in signs in as.
const User = "alice@kcc.example"

// Entra is a running stand-in.
type Entra struct {
	// URL is the server's base URL, https://127.0.0.1:PORT (the authority
	// host is URL + "/").
	URL string
	// Tenant is the one tenant it serves.
	Tenant string
	// CAFile is the PEM file of the server's certificate: SSL_CERT_FILE
	// for a subprocess.
	CAFile string
	// CertPool trusts the server, for in-process clients.
	CertPool *x509.CertPool
	// Lifetime is the access tokens' lifetime (default an hour).
	Lifetime time.Duration

	srv *httptest.Server
	key *rsa.PrivateKey

	mu        sync.Mutex
	clients   map[string]string // confidential client id → secret
	federated map[string]string // client id → the assertion it presents
	public    map[string]bool
	devices   map[string]string // device code → client id
	refresh   map[string]string // refresh token → client id
	counts    map[string]int
}

// StartEntra starts a stand-in for the test's lifetime.
func StartEntra(t testing.TB) *Entra {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	e := &Entra{
		Tenant:    Tenant,
		Lifetime:  time.Hour,
		key:       key,
		clients:   map[string]string{},
		federated: map[string]string{},
		public:    map[string]bool{},
		devices:   map[string]string{},
		refresh:   map[string]string{},
		counts:    map[string]int{},
	}
	e.srv = httptest.NewUnstartedServer(e.handler())
	e.srv.StartTLS()
	t.Cleanup(e.srv.Close)
	e.URL = e.srv.URL
	cert := e.srv.Certificate()
	e.CertPool = x509.NewCertPool()
	e.CertPool.AddCert(cert)
	e.CAFile = filepath.Join(t.TempDir(), "entra-ca.pem")
	if err := os.WriteFile(e.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

// Client is an HTTP client that trusts the stand-in (and nothing else).
func (e *Entra) Client() *http.Client { return e.srv.Client() }

// AuthorityHost is the Entra ID authority host: URL with a slash.
func (e *Entra) AuthorityHost() string { return e.URL + "/" }

// Issuer is the iss of the tokens it issues, as Entra's v2.0 endpoint
// writes it.
func (e *Entra) Issuer() string { return e.URL + "/" + e.Tenant + "/v2.0" }

// AddClient registers a service principal (a confidential client) with
// its secret.
func (e *Entra) AddClient(id, secret string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clients[id] = secret
}

// AddFederatedClient registers a service principal that signs in with a
// client assertion (workload identity): the exact assertion it accepts.
func (e *Entra) AddFederatedClient(id, assertion string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.federated[id] = assertion
}

// AddPublicClient registers a public client (device code, refresh).
func (e *Entra) AddPublicClient(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.public[id] = true
}

// TokenRequests is how many requests reached the token endpoint.
func (e *Entra) TokenRequests() int { return e.Requests("token") }

// Requests is how many requests reached an endpoint: "token",
// "devicecode", "openid-configuration" or "keys".
func (e *Entra) Requests(endpoint string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.counts[endpoint]
}

func (e *Entra) count(endpoint string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.counts[endpoint]++
}

func randomString() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
