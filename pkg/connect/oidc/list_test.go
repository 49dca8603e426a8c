package oidc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"
)

// testCA is base64 PEM of a fresh self-signed certificate.
func testCA(t testing.TB) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<33, 0), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestParseList(t *testing.T) {
	ca := testCA(t)
	good := "clusters:\n- id: dev\n  server: https://dev.example.com\n  issuerUrl: https://issuer.example.com\n  clientId: kube\n"
	for _, tc := range []struct {
		name, list string
		wantErr    string // "" for a good list
		wantIDs    string
	}{
		{"map", good, "", "dev"},
		{"bare list", "- {id: a, server: 'https://a', issuerUrl: 'https://i', clientId: c}\n- {id: b, server: 'https://b', issuerUrl: 'https://i', clientId: c}", "", "a,b"},
		{"JSON", `{"clusters":[{"id":"a","server":"https://a","issuerUrl":"https://i","clientId":"c","extraScopes":["groups"],"labels":{"env":"dev"}}]}`, "", "a"},
		{"CA", "- {id: a, server: 'https://a', issuerUrl: 'https://i', clientId: c, caData: " + ca + "}", "", "a"},
		{"loopback issuer", "- {id: a, server: 'https://a', issuerUrl: 'http://127.0.0.1:5556/dex', clientId: c}", "", "a"},
		{"localhost issuer", "- {id: a, server: 'https://a', issuerUrl: 'http://localhost:9998/', clientId: c}", "", "a"},
		{"IPv6 loopback issuer", "- {id: a, server: 'https://a', issuerUrl: 'http://[::1]:9998/', clientId: c}", "", "a"},

		{"empty", "", "empty", ""},
		{"no clusters", "clusters: []", "no clusters listed", ""},
		{"scalar", "hello", "want a list of clusters", ""},
		{"not YAML", "clusters: [", "not YAML or JSON", ""},
		{"unknown key", "- {id: a, server: 'https://a', issuerURL: 'https://i', clientId: c}", "field issuerURL not found", ""},
		{"duplicate id", good + "- id: dev\n  server: https://other\n  issuerUrl: https://i\n  clientId: c\n", "cluster 2 (dev): id: the same as cluster 1's", ""},
		{"missing id", "- {server: 'https://a', issuerUrl: 'https://i', clientId: c}", "cluster 1: id: missing", ""},
		{"http server", "- {id: a, server: 'http://a', issuerUrl: 'https://i', clientId: c}", `cluster 1 (a): server: "http://a": want https://`, ""},
		{"server with user", "- {id: a, server: 'https://u:p@a', issuerUrl: 'https://i', clientId: c}", "cluster 1 (a): server: has user info", ""},
		{"missing issuer", "- {id: a, server: 'https://a', clientId: c}", "cluster 1 (a): issuerUrl: missing", ""},
		{"http issuer", "- {id: a, server: 'https://a', issuerUrl: 'http://issuer.example.com', clientId: c}", "cluster 1 (a): issuerUrl:", ""},
		{"missing client", "- {id: a, server: 'https://a', issuerUrl: 'https://i'}", "cluster 1 (a): clientId: missing", ""},
		{"CA not base64", "- {id: a, server: 'https://a', issuerUrl: 'https://i', clientId: c, caData: '!!'}", "cluster 1 (a): caData: not base64", ""},
		{"CA not PEM", "- {id: a, server: 'https://a', issuerUrl: 'https://i', clientId: c, caData: aGVsbG8=}", "caData: not a PEM bundle", ""},
		{"scope with space", "- {id: a, server: 'https://a', issuerUrl: 'https://i', clientId: c, extraScopes: ['a b']}", "extraScopes:", ""},
		{"control in id", "- {id: \"a\\e[31m\", server: 'https://a', issuerUrl: 'https://i', clientId: c}", "id: has spaces or control characters", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := ParseList([]byte(tc.list))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, c := range cs {
					ids = append(ids, c.ID)
				}
				if got := strings.Join(ids, ","); got != tc.wantIDs {
					t.Errorf("ids %s, want %s", got, tc.wantIDs)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line with %q", err, tc.wantErr)
			}
		})
	}
}
