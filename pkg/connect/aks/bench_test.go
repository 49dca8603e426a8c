package aks

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/azuretest"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

// benchLatency is the fixed latency the Resource Manager stand-in adds to
// every request, so that listing subscriptions one after the other would
// show (docs/benchmark.md).
const benchLatency = 20 * time.Millisecond

// benchCloud is an Entra ID and Resource Manager stand-in pair (local TLS:
// no Azure emulator exists) holding subscriptions of the given sizes.
func benchCloud(b *testing.B, sizes ...int) (*azuretest.ARM, Options) {
	b.Helper()
	entra := azuretest.StartEntra(b)
	entra.AddClient("bench-client", "bench-secret")
	arm := azuretest.StartARM(b, entra)
	for i, n := range sizes {
		sub := fmt.Sprintf("22222222-0000-0000-0000-%012d", i)
		arm.AddSubscription(azuretest.Subscription{ID: sub, Name: fmt.Sprintf("sub-%d", i)})
		for j := range n {
			arm.AddCluster(&azuretest.Cluster{Subscription: sub, ResourceGroup: "rg", Name: fmt.Sprintf("c-%03d", j), Location: "westeurope", FQDN: "c.example"})
		}
	}
	arm.SetLatency(benchLatency)
	pool := entra.CertPool.Clone()
	pool.AddCert(mustCert(b, arm.Certificate()))
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig.RootCAs = pool
	env := map[string]string{
		"AZURE_ENVIRONMENT_FILEPATH": entra.EnvironmentFile(b, arm.URL),
		"AZURE_TENANT_ID":            entra.Tenant, "AZURE_CLIENT_ID": "bench-client", "AZURE_CLIENT_SECRET": "bench-secret",
	}
	for k, v := range env {
		b.Setenv(k, v)
	}
	return arm, Options{Environment: "AzureStackCloud", Transport: &http.Client{Transport: tr}, Getenv: func(k string) string { return env[k] }}
}

// discoverOnce runs one discovery as kcc-connect discover does (a new
// provider: token, subscriptions list, every subscription's clusters) and
// returns its duration.
func discoverOnce(b *testing.B, opts Options, want int) time.Duration {
	b.Helper()
	start := time.Now()
	cs, ws, err := New(opts).Discover(context.Background(), connect.Selection{})
	d := time.Since(start)
	if err != nil || len(ws) > 0 || len(cs) != want {
		b.Fatalf("discover: %v, %v, %d clusters, want %d", err, ws, len(cs), want)
	}
	return d
}

// BenchmarkDiscoverSubscriptions: discovery of 110 clusters in three
// subscriptions (50, 35, 25) against discovery of an account holding only
// the largest (50), in the same run; ratio is their quotient (target ≤ 1.5:
// subscriptions are listed concurrently).
func BenchmarkDiscoverSubscriptions(b *testing.B) {
	_, three := benchCloud(b, 50, 35, 25)
	threeEnv := three.Getenv("AZURE_ENVIRONMENT_FILEPATH")
	_, one := benchCloud(b, 50)
	oneEnv := one.Getenv("AZURE_ENVIRONMENT_FILEPATH")
	var all, largest time.Duration
	for b.Loop() {
		b.Setenv("AZURE_ENVIRONMENT_FILEPATH", threeEnv)
		all += discoverOnce(b, three, 110)
		b.Setenv("AZURE_ENVIRONMENT_FILEPATH", oneEnv)
		largest += discoverOnce(b, one, 50)
	}
	n := float64(b.N)
	b.ReportMetric(float64(all.Milliseconds())/n, "ms/discover-110-in-3")
	b.ReportMetric(float64(largest.Milliseconds())/n, "ms/discover-largest")
	b.ReportMetric(float64(all)/float64(largest), "ratio")
}

func mustCert(b *testing.B, der []byte) *x509.Certificate {
	b.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		b.Fatal(err)
	}
	return c
}
